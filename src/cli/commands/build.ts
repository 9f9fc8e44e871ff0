/** `backupgen build [--config FILE] [--out DIR] [--check]`. */
import { relative, resolve } from 'node:path';
import { checkOutput } from '../../write/check-output.js';
import { writeOutput } from '../../write/write-output.js';
import { compile, resolveConfigPath } from '../compile.js';
import { EXIT_OK, EXIT_STALE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { plural } from '../plural.js';

export interface BuildOptions {
  readonly config?: string;
  readonly out: string;
  readonly check?: boolean;
}

export async function buildCommand(options: BuildOptions, io: CliIo): Promise<number> {
  const configPath = resolveConfigPath(io.cwd, options.config);
  const outDir = resolve(io.cwd, options.out);
  // Everything is compiled before the disk is touched: a config error writes nothing.
  const { files } = await compile(configPath, outDir, io.cwd);
  const shown = relative(io.cwd, outDir) || '.';

  if (options.check) {
    const differences = await checkOutput(outDir, files);
    if (differences.length === 0) {
      io.out(`${shown}: up to date (${plural(files.length, 'file')})`);
      return EXIT_OK;
    }
    for (const { kind, path } of differences) io.err(`${kind.padEnd(7)} ${shown}/${path}`);
    io.err(`${shown}: ${plural(differences.length, 'file')} out of date; run \`backupgen build\` and commit the result`);
    return EXIT_STALE;
  }

  const result = await writeOutput(outDir, files);
  for (const path of result.kept) {
    io.err(`warning: kept ${shown}/${path}: no longer generated, but edited since backupgen wrote it`);
  }
  io.out(
    `${plural(result.written.length, 'file')} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed (${shown})`,
  );
  return EXIT_OK;
}
