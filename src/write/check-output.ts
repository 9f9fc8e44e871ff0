/**
 * `backupgen build --check`: what a build would change, without touching the disk. CI runs
 * it against the committed output; an empty list means the committed files are exactly
 * what this config and this backupgen version produce.
 */
import { resolve } from 'node:path';
import type { GeneratedFile } from '../emit/types.js';
import { compareOutput } from './compare-output.js';
import { MANIFEST_NAME } from './output-path.js';

export type DifferenceKind = 'changed' | 'missing' | 'stale';

export interface Difference {
  readonly path: string;
  readonly kind: DifferenceKind;
}

export async function checkOutput(outDir: string, files: readonly GeneratedFile[]): Promise<Difference[]> {
  const comparison = await compareOutput(resolve(outDir), files);
  const differences: Difference[] = [];
  for (const { file, state } of comparison.files) {
    if (state !== 'unchanged') differences.push({ path: file.path, kind: state });
  }
  for (const stale of comparison.stale) differences.push({ path: stale.path, kind: 'stale' });
  if (comparison.manifest.state !== 'unchanged') {
    differences.push({ path: MANIFEST_NAME, kind: comparison.manifest.state });
  }
  return differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
