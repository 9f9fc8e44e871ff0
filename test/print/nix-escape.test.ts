/**
 * Round trips through the real evaluator: print with printNix, evaluate with
 * `nix-instantiate --eval --strict --json`, JSON.parse, compare with the input exactly.
 * Each property run batches its strings into ONE evaluation to keep the suite fast.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attrs, bind, interp, letIn, list, sel, str, v, type NixExpr } from '../../src/print/nix/ast.js';
import {
  escapeNixString,
  isNixIdentifier,
  nixIdentifier,
  nixIndentedStringFits,
  nixPathLiteralProblem,
} from '../../src/print/nix/escape.js';
import { printNix } from '../../src/print/nix/print.js';
import { nixEvalJson } from '../nix-harness/nix-cli.js';
import { HOSTILE_STRINGS } from './hostile-strings.js';

/** Evaluate a list of string expressions and return the strings Nix sees. */
async function evalStrings(items: readonly NixExpr[]): Promise<unknown> {
  return nixEvalJson(printNix(list(items)));
}

/** Attribute names through bindings, `builtins.attrNames` and selection, in one evaluation. */
async function roundTripAttrNames(names: readonly string[]): Promise<void> {
  const set = attrs(names.map((name, index) => bind(name, str(String(index)))));
  const expr = letIn(
    [bind('s', set)],
    attrs([
      bind('names', { kind: 'apply', fn: v('builtins.attrNames'), args: [v('s')] }),
      bind('selected', list(names.map((name) => sel(v('s'), name)))),
    ]),
  );
  const result = (await nixEvalJson(printNix(expr))) as { names: string[]; selected: string[] };
  expect([...result.names].sort()).toEqual([...names].sort());
  expect(result.selected).toEqual(names.map((_, index) => String(index)));
}

/** Multi-line texts built around a hostile string, to exercise indented strings. */
const multiLine = (s: string): string[] => [`first\n${s}\nlast\n`, `${s}\nx\n`, `x\n${s}`, `x\n  ${s}\n`];

describe('Nix strings round trip through nix-instantiate', () => {
  it('hostile strings as double-quoted strings', async () => {
    expect(await evalStrings(HOSTILE_STRINGS.map(str))).toEqual(HOSTILE_STRINGS);
  });

  it('hostile strings inside multi-line (indented) strings', async () => {
    const texts = HOSTILE_STRINGS.flatMap(multiLine);
    const printed = texts.map((text) => printNix(str(text)));
    // The indented form must really be exercised, hostile content included.
    expect(printed.filter((p) => p.startsWith("''")).length).toBeGreaterThan(texts.length / 2);
    expect(printNix(str("first\n${HOME} ''\nlast\n"))).toBe("''\n  first\n  ''${HOME} '''\n  last\n''");
    expect(await evalStrings(texts.map(str))).toEqual(texts);
  });

  it('hostile strings as attribute names (bindings, attrNames, selection)', async () => {
    await roundTripAttrNames([...new Set(HOSTILE_STRINGS)]);
  });

  it('interpolations keep the literal text around them exact', async () => {
    const texts = HOSTILE_STRINGS.flatMap((s) => [s, ...multiLine(s)]);
    const expr = letIn(
      [bind('x', str('<X>'))],
      list(texts.map((text) => interp(text, v('x'), text))),
    );
    expect(await nixEvalJson(printNix(expr))).toEqual(texts.map((text) => `${text}<X>${text}`));
  });

  it('JSON.stringify would have been wrong (control characters need no \\u escape)', () => {
    expect(escapeNixString('\u0001é')).toBe('"\u0001é"');
    expect(escapeNixString('${a} $b \\ "')).toBe('"\\${a} $b \\\\ \\""');
  });

  it('rejects what no Nix string can hold', () => {
    expect(() => escapeNixString('a\0b')).toThrow(/NUL/);
    expect(() => escapeNixString('\uD800')).toThrow(/surrogate/);
  });
});

/** Text from a small alphabet of the characters that matter to the lexer: finds edge cases fast. */
const lexerAlphabet = fc.constantFrom("'", '$', '{', '}', '\\', '"', '\n', ' ', '\t', '\r', 'a', '\u00a0', '\u{1F4BE}');
const trickyText = fc.string({ unit: lexerAlphabet, maxLength: 24 });
const unicodeText = fc
  .string({ unit: 'binary', maxLength: 40 })
  .filter((s) => !s.includes('\0'));

describe('Nix string properties (one evaluation per run)', () => {
  it('arbitrary unicode strings round trip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(unicodeText, { maxLength: 20 }), async (texts) => {
        expect(await evalStrings(texts.map(str))).toEqual(texts);
      }),
      { numRuns: 100 },
    );
  });

  it('lexer-significant characters round trip, indented strings included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(trickyText, { minLength: 1, maxLength: 30 }), async (texts) => {
        expect(await evalStrings(texts.map(str))).toEqual(texts);
      }),
      { numRuns: 100 },
    );
  });

  it('literal text around interpolations round trips', async () => {
    const part = fc.oneof(trickyText, fc.constant(null));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(part, { maxLength: 5 }), { minLength: 1, maxLength: 20 }), async (rows) => {
        const exprs = rows.map((parts) => interp(...parts.map((p) => (p === null ? v('x') : p))));
        const expected = rows.map((parts) => parts.map((p) => (p === null ? '<X>' : p)).join(''));
        expect(await nixEvalJson(printNix(letIn([bind('x', str('<X>'))], list(exprs))))).toEqual(expected);
      }),
      // The example is a counterexample fast-check found once: `'$` before an interpolation.
      { numRuns: 60, examples: [[[["'$", null, '\n'], []]]] },
    );
  });

  it('arbitrary attribute names round trip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.oneof(unicodeText, trickyText), { maxLength: 20 }), roundTripAttrNames),
      { numRuns: 60 },
    );
  });
});

describe('identifiers and path literals', () => {
  it.each([
    ['backupgen-home', 'backupgen-home'],
    ['_private', '_private'],
    ["x'", "x'"],
    ['rclone-mount:@gdrive', '"rclone-mount:@gdrive"'],
    ['1password', '"1password"'],
    ['-flag', '"-flag"'],
    ['', '""'],
    ['a.b', '"a.b"'],
    ['or', '"or"'],
    ['inherit', '"inherit"'],
    ['${x}', '"\\${x}"'],
  ])('nixIdentifier(%j) = %s', (name, expected) => {
    expect(nixIdentifier(name)).toBe(expected);
    expect(isNixIdentifier(name)).toBe(expected === name);
  });

  it.each([
    ['./scripts/home.sh', undefined],
    ['../../secrets/a.yaml', undefined],
    ['/etc/backupgen', undefined],
    ['./a+b/c_d-1.nix', undefined],
    ['scripts/home.sh', 'must start with ./, ../ or /'],
    ['./dir/', 'must not end with /'],
    ['./a//b', 'segment "" is not [A-Za-z0-9._+-]+'],
    ['./with space', 'segment "with space" is not [A-Za-z0-9._+-]+'],
    ['./${x}', 'segment "${x}" is not [A-Za-z0-9._+-]+'],
    ['~/x', 'must start with ./, ../ or /'],
    ['<nixpkgs>', 'must start with ./, ../ or /'],
  ])('nixPathLiteralProblem(%j)', (value, problem) => {
    expect(nixPathLiteralProblem(value)).toBe(problem);
  });

  it('accepted path literals evaluate to the path Nix reads', async () => {
    const paths = ['/etc/backupgen', '/a+b/c_d-1.nix', '/x/.hidden'];
    const expr = list(paths.map((p) => ({ kind: 'apply', fn: v('toString'), args: [{ kind: 'path', value: p }] }) as NixExpr));
    expect(await nixEvalJson(printNix(expr))).toEqual(paths);
  });

  it('indented strings are refused where Nix would not read them back', () => {
    expect(nixIndentedStringFits('a\nb\n')).toBe(true);
    expect(nixIndentedStringFits('one line')).toBe(false);
    expect(nixIndentedStringFits('  all\n  indented\n')).toBe(false);
    expect(nixIndentedStringFits('\n\n')).toBe(false);
    expect(nixIndentedStringFits('a\n   ')).toBe(false);
    expect(nixIndentedStringFits("a\nb'")).toBe(false);
    expect(nixIndentedStringFits("a\n'${x}\n")).toBe(false);
    expect(nixIndentedStringFits('a\r\nb\n')).toBe(false);
  });
});
