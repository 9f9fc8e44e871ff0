/**
 * Random data trees (attrs, lists, strings, ints, bools, null) printed with printNix and
 * evaluated by nix-instantiate must give back the same data: this exercises indented
 * strings at every nesting depth, where the printer's indentation and Nix's
 * stripIndentation have to agree, and quoted attribute names inside nested sets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attrs, bind, bool, int, list, nul, str, type NixExpr } from '../../src/print/nix/ast.js';
import { printNix } from '../../src/print/nix/print.js';
import { nixEvalJson } from '../nix-harness/nix-cli.js';

type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

function toNix(data: Data): NixExpr {
  if (data === null) return nul;
  if (typeof data === 'boolean') return bool(data);
  if (typeof data === 'number') return int(data);
  if (typeof data === 'string') return str(data);
  if (Array.isArray(data)) return list(data.map(toNix));
  return attrs(Object.entries(data).map(([key, value]) => bind(key, toNix(value))));
}

const text = fc.oneof(
  fc.string({ unit: fc.constantFrom("'", '$', '{', '\\', '"', '\n', ' ', '\t', 'a', '\u{1F4BE}'), maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\0')),
);

const { data } = fc.letrec<{ data: Data }>((tie) => ({
  data: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: 0, max: 2 ** 40 }),
    text,
    fc.array(tie('data'), { maxLength: 4 }),
    fc.dictionary(text, tie('data'), { maxKeys: 4 }),
  ),
}));

describe('printNix data round trip', () => {
  it('random trees evaluate to the same data (one evaluation per run)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(data, { minLength: 1, maxLength: 8 }), async (values) => {
        expect(await nixEvalJson(printNix(toNix(values)))).toEqual(values);
      }),
      { numRuns: 100 },
    );
  });
});
