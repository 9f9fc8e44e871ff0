/**
 * Writes a file so that a reader (or a build killed half-way) sees the old contents or the
 * new ones, never a truncated mix: write a temporary file in the output root, set its mode,
 * rename it over the target (rename(2) is atomic within one file system).
 */
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX } from './output-path.js';

let counter = 0;

export function writeFileAtomic(outDir: string, target: string, contents: string, mode: number): void {
  const temp = join(outDir, `${TEMP_PREFIX}-${process.pid}-${counter++}`);
  try {
    writeFileSync(temp, contents, { mode });
    // writeFile's mode is filtered by the umask; the documented mode is exact.
    chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
