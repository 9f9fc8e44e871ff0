/**
 * Control characters in every string of a valid config (issue 10, class 4): a line break,
 * NUL, escape or DEL in any value or key either fails validation with a positioned
 * ConfigError, or the whole pipeline (plan + every emitter) succeeds. Nothing may reach the
 * emitters and crash them (the CLI's exit 70).
 *
 * Every string leaf and every record key of the valid config is tried with each dangerous
 * character (exhaustively), then fast-check puts random control characters at random
 * places in random fields.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { compile } from '../../src/cli/compile.js';
import { validConfig } from './valid-config.js';

type Site = { readonly path: readonly (string | number)[]; readonly kind: 'value' | 'key' };

/** Every string value and every object key below the root, in a stable order. */
function stringSites(node: unknown, path: (string | number)[] = []): Site[] {
  if (typeof node === 'string') return [{ path, kind: 'value' }];
  if (Array.isArray(node)) return node.flatMap((child, i) => stringSites(child, [...path, i]));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, child]) => [
    // `version`, `engine`, `type`: literal keys of the schema, not user-chosen names.
    ...(path.length > 0 ? [{ path: [...path, key], kind: 'key' as const }] : []),
    ...stringSites(child, [...path, key]),
  ]);
}

/** A copy of `base` with `insert` spliced into the string (or key) at `site`, at `at` (0..1). */
function withInserted(base: unknown, site: Site, insert: string, at: number): unknown {
  const data = structuredClone(base) as Record<string | number, unknown>;
  let parent = data;
  for (const step of site.path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = site.path[site.path.length - 1]!;
  const splice = (s: string) => {
    const i = Math.floor(at * (s.length + 1));
    return s.slice(0, i) + insert + s.slice(i);
  };
  if (site.kind === 'value') {
    parent[last] = splice(parent[last] as string);
    return data;
  }
  // Rename the key in place, keeping the order of its siblings.
  const renamed = Object.fromEntries(Object.entries(parent).map(([k, v]) => [k === last ? splice(k) : k, v]));
  for (const k of Object.keys(parent)) delete parent[k];
  Object.assign(parent, renamed);
  return data;
}

const dir = mkdtempSync(join(tmpdir(), 'backupgen-ctl-'));
let counter = 0;

/** 'ok' when the pipeline emitted, 'refused' for a positioned ConfigError; throws otherwise. */
async function outcome(data: unknown): Promise<'ok' | 'refused'> {
  const file = join(dir, `case-${counter++}.json`);
  writeFileSync(file, JSON.stringify(data));
  try {
    await compile(file, join(dir, 'out'));
    return 'ok';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) expect(issue.line, error.lines().join('\n')).toBeTypeOf('number');
    return 'refused';
  }
}

const base = validConfig();
const sites = stringSites(base);
const hookSites = new Set(['before', 'after']);
const isHook = (site: Site) => site.kind === 'value' && hookSites.has(String(site.path[site.path.length - 1]));

describe('control characters in every string of the config', () => {
  it('the valid config itself compiles', async () => {
    expect(await outcome(base)).toBe('ok');
    expect(sites.length).toBeGreaterThan(80);
  });

  const dangerous: [string, string][] = [
    ['a line break', '\n'],
    ['a carriage return', '\r'],
    ['NUL', '\0'],
    ['ESC', '\x1b'],
    ['DEL', '\x7f'],
  ];
  it.each(dangerous)('%s in any value or key is refused with a position', async (_name, char) => {
    const wrong: string[] = [];
    for (const site of sites) {
      // A hook is shell: a line break between commands is what a multi-line hook is.
      if (char === '\n' && isHook(site)) continue;
      const where = `${site.kind} ${site.path.join('.')}`;
      const result = await outcome(withInserted(base, site, char, 0.5)).catch((e: unknown) => `crashed: ${String(e)}`);
      if (result !== 'refused') wrong.push(`${where}: ${result}`);
    }
    expect(wrong).toEqual([]);
  });

  it('random control characters anywhere never crash the build', async () => {
    const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f), fc.constantFrom(0x85, 0x2028, 0x2029)).map((c) => String.fromCharCode(c));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sites.length - 1 }), fc.array(control, { minLength: 1, maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), async (index, chars, at) => {
        await outcome(withInserted(base, sites[index]!, chars.join(''), at));
      }),
      { numRuns: 300, seed: 10 },
    );
  });

  it('characters that are special to rclone config lines, shells, Nix and systemd never crash the build', async () => {
    const special = fc.constantFrom(...'[]=:#; "\'$`\\-~*?{}%@!&|<>,.'.split(''), '${x}', "''", '\u00e9', '\u{1f600}');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sites.length - 1 }), fc.array(special, { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), async (index, chars, at) => {
        await outcome(withInserted(base, sites[index]!, chars.join(''), at));
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
