/**
 * The command line. `bin/backupgen.js` calls `main(process.argv)`. Commands return an exit
 * status instead of calling process.exit, so output is flushed and tests can run them
 * in-process; every failure goes through reportError.
 */
import { Command, CommanderError } from 'commander';
import { buildCommand } from './commands/build.js';
import { initCommand } from './commands/init.js';
import { planCommand, type PlanOptions } from './commands/plan.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { reportError } from './report-error.js';
import { packageVersion } from './version.js';

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const status = await runCli(argv, io);
  process.exitCode = status;
  return status;
}

/** Runs one command line and returns its exit status; no process-wide side effects. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let status = EXIT_OK;
  const program = buildProgram(io, (command) => {
    // commander's action handlers cannot return a value; this carries the status out.
    return async (...args: unknown[]) => {
      status = await command(...args);
    };
  });
  try {
    await program.parseAsync([...argv]);
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end up here too, with exitCode 0; usage errors are the user's.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USER_ERROR;
    }
    return reportError(error, io);
  }
}

type Action = (...args: unknown[]) => Promise<number> | number;

function buildProgram(io: CliIo, wrap: (action: Action) => (...args: unknown[]) => Promise<void>): Command {
  const program = new Command('backupgen')
    .description('Describe backups once; compile them into NixOS and home-manager modules and job scripts.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .showHelpAfterError('(run `backupgen --help` for usage)');

  program
    .command('build')
    .description('Compile the config into the output directory (only changed files are written).')
    .option('-c, --config <file>', 'config file (default: the backupgen.* file in this folder)')
    .option('-o, --out <dir>', 'output directory', './backupgen')
    .option('--check', 'write nothing; exit 1 and list the files that differ when the output is out of date')
    .action(wrap((options) => buildCommand(options as { config?: string; out: string; check?: boolean }, io)));

  program
    .command('validate')
    .description('Check the config and print every problem with its position.')
    .option('-c, --config <file>', 'config file (default: the backupgen.* file in this folder)')
    .action(wrap((options) => validateCommand(options as { config?: string }, io)));

  program
    .command('plan')
    .description('Show per host what runs when, what goes where, what retention keeps, and the 3-2-1 analysis of every source path.')
    .option('-c, --config <file>', 'config file (default: the backupgen.* file in this folder)')
    .option('--host <name>', 'only this host (copies are still followed through every host)')
    .option('--json', 'print the report as JSON')
    .option('--strict', 'exit 1 when there are warnings (one copy only, no off-site copy)')
    .option('--now <time>', 'count next runs from this time (ISO 8601) instead of the current time')
    .option('--runs <count>', 'next runs listed per job', '3')
    .action(wrap((options) => planCommand(options as PlanOptions, io)));

  program
    .command('schema')
    .description('Print the JSON Schema of the config (for editor completion and checks).')
    .action(wrap(() => schemaCommand(io)));

  program
    .command('init')
    .description('Write a commented starter backupgen.yaml in this folder.')
    .option('--force', 'replace an existing backupgen.yaml')
    .action(wrap((options) => initCommand(options as { force?: boolean }, io)));

  return program;
}
