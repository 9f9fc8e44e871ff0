/**
 * The fixture cases, compiled through the real pipeline (the CLI's compile: load -> plan ->
 * emitAll). The golden test and the lanes share it, so they judge the same output. Each
 * case is planned as if built to `fixtures/<case>/backupgen`, the default layout (output
 * next to the config), so relative paths in the goldens are the ones users get.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedFile } from '../../src/emit/types.js';
import type { Plan } from '../../src/plan/model.js';
import { compile } from '../../src/cli/compile.js';

export const repoRoot = join(import.meta.dirname, '../..');
export const fixturesDir = join(repoRoot, 'fixtures');
export const goldenDir = join(repoRoot, 'test/golden');

export type CompiledCase =
  | { readonly name: string; readonly ok: true; readonly plan: Plan; readonly files: readonly GeneratedFile[] }
  | { readonly name: string; readonly ok: false; readonly error: unknown };

export function caseNames(): string[] {
  return readdirSync(fixturesDir)
    .filter((name) => statSync(join(fixturesDir, name)).isDirectory())
    .sort();
}

export function configOf(name: string): string {
  return join(fixturesDir, name, 'backupgen.yaml');
}

/** One failing case must not hide the others: errors are kept, not thrown. */
export async function compileCase(name: string): Promise<CompiledCase> {
  try {
    const { plan, files } = await compile(configOf(name), join(fixturesDir, name, 'backupgen'));
    return { name, ok: true, plan, files };
  } catch (error) {
    return { name, ok: false, error };
  }
}

export async function compileAllCases(): Promise<CompiledCase[]> {
  return Promise.all(caseNames().map(compileCase));
}
