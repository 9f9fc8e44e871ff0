import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TOML from '@iarna/toml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/errors.js';
import { findConfig, loadConfig } from '../../src/config/load.js';
import { validConfig } from './valid-config.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'backupgen-load-'));
}

async function loadError(path: string): Promise<string[]> {
  const error = await loadConfig(path).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error.lines();
}

describe('loadConfig', () => {
  it('reads the same config from yaml, toml, json and ts', async () => {
    const dir = tempDir();
    const input = validConfig();
    writeFileSync(join(dir, 'backupgen.yaml'), stringify(input));
    writeFileSync(join(dir, 'backupgen.json'), JSON.stringify(input, null, 2));
    writeFileSync(join(dir, 'backupgen.toml'), TOML.stringify(input as TOML.JsonMap));
    writeFileSync(join(dir, 'backupgen.config.ts'), `import { defineConfig } from 'backupgen';\nexport default defineConfig(${JSON.stringify(input)});\n`);
    const loaded = await Promise.all(['yaml', 'json', 'toml', 'config.ts'].map((ext) => loadConfig(join(dir, `backupgen.${ext}`))));
    for (const { config } of loaded.slice(1)) expect(config).toEqual(loaded[0]!.config);
    expect(loaded[0]!.file).toBe(join(dir, 'backupgen.yaml'));
  });

  it('rejects an unknown extension and a missing file as ConfigErrors', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'backupgen.ini'), 'x');
    expect(await loadError(join(dir, 'backupgen.ini'))).toEqual([`${join(dir, 'backupgen.ini')} unknown config format; expected a file ending in .config.ts, .yaml, .yml, .json, .toml`]);
    expect(await loadError(join(dir, 'nope.yaml'))).toEqual([`${join(dir, 'nope.yaml')} no such file`]);
  });

  it('reports a TS config that throws', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'backupgen.config.ts'), "throw new Error('boom');\nexport default {};\n");
    expect(await loadError(join(dir, 'backupgen.config.ts'))).toEqual([`${join(dir, 'backupgen.config.ts')} cannot load: boom`]);
  });
});

describe('findConfig', () => {
  it('finds the one config in a directory, or none', () => {
    const dir = tempDir();
    expect(findConfig(dir)).toBeUndefined();
    writeFileSync(join(dir, 'backupgen.toml'), 'version = 1\n');
    expect(findConfig(dir)).toBe(join(dir, 'backupgen.toml'));
  });

  it('refuses two configs side by side, naming both', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'backupgen.yml'), 'version: 1\n');
    writeFileSync(join(dir, 'backupgen.json'), '{"version": 1}');
    expect(() => findConfig(dir)).toThrow(new ConfigError([{ file: dir, line: undefined, column: undefined, path: [], message: 'found both backupgen.yml and backupgen.json; keep one' }]));
  });
});

describe('loader fuzzing', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'fuzz'), { recursive: true });
  let counter = 0;

  /** Loads `text` as a file with this extension: it must load or throw ConfigError, nothing else. */
  async function loadsOrConfigError(text: string, ext: string): Promise<void> {
    const path = join(dir, 'fuzz', `case-${counter++}.${ext}`);
    writeFileSync(path, text);
    const outcome = await loadConfig(path).then(() => 'loaded', (e: unknown) => e);
    if (outcome !== 'loaded' && !(outcome instanceof ConfigError)) throw outcome;
  }

  const yamlish = fc.array(
    fc.oneof(
      fc.constantFrom('version: 1', 'hosts:', '  laptop:', '    jobs:', '      a: { engine: snapshot }', '- x', '[', '{', ': :', '&a [*a]', '"', 'retention: { daily: 7 }', '\t', '---'),
      fc.string(),
    ),
    { maxLength: 12 },
  ).map((lines) => lines.join('\n'));

  it('survives random YAML-ish and TOML-ish text', async () => {
    await fc.assert(fc.asyncProperty(yamlish, async (text) => {
      await loadsOrConfigError(text, 'yaml');
      await loadsOrConfigError(text.replace(/:/g, ' ='), 'toml');
      await loadsOrConfigError(text, 'json');
    }), { numRuns: 150, seed: 1 });
  });

  it('survives random mutations of a valid config', async () => {
    const base = validConfig() as unknown;
    const garbage = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
    const mutation = fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), garbage, fc.boolean());
    await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
      const data = structuredClone(base);
      for (const [steps, value, remove] of mutations) mutateAt(data, steps, value, remove);
      await loadsOrConfigError(stringify(data), 'yaml');
    }), { numRuns: 200, seed: 2 });
  });
});

/** Walk down by picking the n-th key at each level, then replace or delete what is there. */
function mutateAt(data: unknown, steps: readonly number[], value: unknown, remove: boolean): void {
  let node = data as Record<string, unknown>;
  for (const [index, step] of steps.entries()) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[step % keys.length]!;
    const child = node[key];
    if (index === steps.length - 1 || child === null || typeof child !== 'object') {
      if (remove) delete node[key];
      else node[key] = value;
      return;
    }
    node = child as Record<string, unknown>;
  }
}
