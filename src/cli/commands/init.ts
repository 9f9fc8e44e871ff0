/** `backupgen init [--force]`: a commented starter ./backupgen.yaml. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE_NAMES } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../user-error.js';

const TARGET = 'backupgen.yaml';

export async function initCommand(options: { readonly force?: boolean }, io: CliIo): Promise<number> {
  // Another format's config would make the folder ambiguous for `build`, --force or not.
  const other = CONFIG_FILE_NAMES.find((name) => name !== TARGET && existsSync(join(io.cwd, name)));
  if (other !== undefined) throw new UsageError(`${other} already exists here; edit it instead`);
  const path = join(io.cwd, TARGET);
  try {
    // `wx` refuses atomically: no window between "does it exist" and the write.
    await writeFile(path, starterConfig(), { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${TARGET} already exists; pass --force to replace it`);
    }
    throw error;
  }
  io.out(`wrote ${TARGET}; edit it, then run \`backupgen build\``);
  return EXIT_OK;
}
