/**
 * Names that end up in unit names, file names and Nix attributes: job names become
 * `backupgen-<job>.service` (systemd.unit(5) allows [A-Za-z0-9:_.\-]; `:` is kept out
 * because it is special in paths), host and mount names become file names.
 */
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob, eachMount } from './walk.js';

const UNIT_NAME_PART = /^[A-Za-z0-9_.-]+$/;
const USER_NAME = /^[a-z_][a-z0-9_-]*\$?$/;

function badName(name: string, what: string): string | undefined {
  if (!UNIT_NAME_PART.test(name)) return `${what} name ${JSON.stringify(name)} may only use letters, digits, \`_\`, \`.\` and \`-\``;
  if (name.startsWith('.') || name.startsWith('-')) return `${what} name ${JSON.stringify(name)} may not start with \`${name[0]}\``;
  return undefined;
}

export function namesAreValid(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const check = (name: string, what: string, path: (string | number)[]): void => {
    const message = badName(name, what);
    if (message !== undefined) issues.push({ path, message });
  };
  for (const [host, h] of Object.entries(config.hosts)) {
    check(host, 'host', ['hosts', host]);
    for (const user of Object.keys(h.users)) {
      if (!USER_NAME.test(user)) issues.push({ path: ['hosts', host, 'users', user], message: `user name ${JSON.stringify(user)} is not a valid Linux user name` });
    }
  }
  for (const site of eachJob(config)) check(site.name, 'job', [...site.path]);
  for (const site of eachMount(config)) check(site.name, 'mount', [...site.path]);
  return issues;
}

export function userOnlyOnSystemJobs(config: BackupgenConfig): PathIssue[] {
  return eachJob(config)
    .filter(({ scope, job }) => scope.kind === 'user' && job.user !== undefined)
    .map(({ path, scope }) => ({
      path: [...path, 'user'],
      message: `\`user\` is only for system jobs; this job already runs as \`${scope.kind === 'user' ? scope.user : ''}\``,
    }));
}
