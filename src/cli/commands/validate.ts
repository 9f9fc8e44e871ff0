/** `backupgen validate [--config FILE]`: load, validate and plan; print every problem. */
import { relative } from 'node:path';
import { planFile, resolveConfigPath } from '../compile.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { plural } from '../plural.js';

export async function validateCommand(options: { readonly config?: string }, io: CliIo): Promise<number> {
  const configPath = resolveConfigPath(io.cwd, options.config);
  // Planning too: some problems (the job graph, secrets a host needs) are found there.
  const plan = await planFile(configPath, io.cwd, io.cwd);
  const jobs = plan.hosts.reduce((n, host) => n + host.jobs.length + host.users.reduce((m, u) => m + u.jobs.length, 0), 0);
  io.out(`${relative(io.cwd, configPath) || configPath}: ok (${plural(plan.hosts.length, 'host')}, ${plural(jobs, 'job')})`);
  return EXIT_OK;
}
