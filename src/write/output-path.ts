/**
 * Paths inside the output directory. Emitters and the manifest speak posix paths relative
 * to the output root; this is the one place that turns them into disk paths, and it refuses
 * anything that could land outside the root (an emitter bug, or a hand-edited manifest that
 * would otherwise make the cleanup delete files elsewhere).
 */
import { join } from 'node:path';

export const MANIFEST_NAME = '.backupgen-manifest.json';
/** Temporary files live in the output root; the examples' .gitignore matches this prefix. */
export const TEMP_PREFIX = '.backupgen-tmp';

/** Why `path` is not a safe relative output path, or undefined when it is. */
export function outputPathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.startsWith('/')) return 'is absolute';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.includes('\0')) return 'contains a NUL byte';
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'has an empty, `.` or `..` segment';
  if (path === MANIFEST_NAME || segments[0]!.startsWith(TEMP_PREFIX)) return 'is reserved for the writer';
  return undefined;
}

export function assertOutputPath(path: string): void {
  const problem = outputPathProblem(path);
  if (problem !== undefined) throw new Error(`write: generated path ${JSON.stringify(path)} ${problem}`);
}

export function diskPath(outDir: string, path: string): string {
  return join(outDir, ...path.split('/'));
}
