/**
 * The folder backupgen is installed in (the one holding its package.json and templates/).
 * Found by walking up from this module rather than by a fixed number of `..`: the same code
 * runs from src/ (tests), from dist/ (tsc output) and from the single-file bundle
 * (scripts/bundle.mjs), each at a different depth below the package root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** Whether this code runs from the TypeScript sources (vitest) rather than compiled output. */
export const runningFromSource = import.meta.url.endsWith('.ts');

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'backupgen') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`backupgen: no package.json of backupgen above ${start}`);
  }
}
