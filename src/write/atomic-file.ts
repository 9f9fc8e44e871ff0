/**
 * Writes a file so that a reader (or a build killed half-way) sees the old contents or the
 * new ones, never a truncated mix: write a temporary file in the output root, set its mode,
 * rename it over the target (rename(2) is atomic within one file system).
 */
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PREFIX } from './output-path.js';

let counter = 0;

export async function writeFileAtomic(outDir: string, target: string, contents: string, mode: number): Promise<void> {
  const temp = join(outDir, `${TEMP_PREFIX}-${process.pid}-${counter++}`);
  try {
    await writeFile(temp, contents, { mode });
    // writeFile's mode is filtered by the umask; the documented mode is exact.
    await chmod(temp, mode);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
