/**
 * The CLI's entry to the front end: find the config file, read it in its format, validate.
 * Every user mistake (syntax, schema, cross-field) comes out as one ConfigError.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { SyntaxProblems, type ParsedSource } from './load/source.js';
import { parseYamlSource } from './load/yaml.js';
import type { BackupgenConfig } from './schema/config.js';
import { validateConfig } from './validate.js';

/** Looked up in this order; more than one in the same directory is an error. */
export const CONFIG_FILE_NAMES = ['backupgen.yaml', 'backupgen.yml', 'backupgen.toml', 'backupgen.json', 'backupgen.config.ts'] as const;

type Reader = (text: () => Promise<string>, absolutePath: string) => Promise<ParsedSource>;

// The TOML parser and jiti (TypeScript) are imported on first use: most configs are YAML,
// and loading them eagerly cost every command start-up time.
const READERS: readonly (readonly [suffix: string, reader: Reader])[] = [
  ['.config.ts', async (_text, path) => (await import('./load/typescript.js')).loadTypeScriptSource(path)],
  ['.yaml', async (text) => parseYamlSource(await text())],
  ['.yml', async (text) => parseYamlSource(await text())],
  // JSON is YAML 1.2, so the YAML reader gives JSON files positions too.
  ['.json', async (text) => parseYamlSource(await text())],
  ['.toml', async (text) => (await import('./load/toml.js')).parseTomlSource(await text())],
];

/** The config file in `dir`, or undefined when there is none; ConfigError when ambiguous. */
export function findConfig(dir: string): string | undefined {
  const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter((path) => existsSync(path));
  if (found.length > 1) {
    throw new ConfigError([{
      file: dir, line: undefined, column: undefined, path: [],
      message: `found both ${basename(found[0]!)} and ${basename(found[1]!)}; keep one`,
    }]);
  }
  return found[0];
}

/**
 * Load and validate a config file. `file` in the result is the absolute path (the planner's
 * `configPath`); issues name the file as the caller wrote it.
 */
export async function loadConfig(path: string): Promise<{ config: BackupgenConfig; file: string }> {
  const absolutePath = resolve(path);
  const reader = READERS.find(([suffix]) => absolutePath.endsWith(suffix))?.[1];
  const fail = (message: string): ConfigError => new ConfigError([{ file: path, line: undefined, column: undefined, path: [], message }]);
  if (reader === undefined) {
    throw fail(`unknown config format; expected a file ending in ${READERS.map(([s]) => s).join(', ')}`);
  }
  let source: ParsedSource;
  try {
    source = await reader(() => readFile(absolutePath, 'utf8'), absolutePath);
  } catch (error) {
    if (error instanceof SyntaxProblems) {
      throw new ConfigError(error.problems.map((p) => ({ file: path, line: p.position?.line, column: p.position?.column, path: [], message: p.message })));
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('no such file');
    if (code === 'EISDIR' || code === 'EACCES') throw fail(`cannot read (${code})`);
    throw error;
  }
  return { config: validateConfig(source.data, path, source.locate), file: absolutePath };
}
