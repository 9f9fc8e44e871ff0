/**
 * Writes a file so that a reader (or a build killed half-way) sees the old contents or the
 * new ones, never a truncated mix: write a temporary file in the output root, set its mode,
 * rename it over the target (rename(2) is atomic within one file system).
 */
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX } from './output-path.js';

let counter = 0;

// The process's umask, read once (process.umask() without an argument only reads it).
let umask: number | undefined;

export function writeFileAtomic(outDir: string, target: string, contents: string | Uint8Array, mode: number): void {
  const temp = join(outDir, `${TEMP_PREFIX}-${process.pid}-${counter++}`);
  try {
    writeFileSync(temp, contents, { mode });
    // writeFile's mode is filtered by the umask; the documented mode is exact. With the
    // usual umasks (022, 002) nothing of 0644/0755 is filtered and the chmod is skipped.
    umask ??= process.umask();
    if ((mode & umask) !== 0) chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
