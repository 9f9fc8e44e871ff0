/** Host-kind specific rules: what kubernetes hosts need and what only they take. */
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob } from './walk.js';

export function kubernetesHostsAreComplete(config: BackupgenConfig): PathIssue[] {
  return Object.entries(config.hosts).flatMap(([name, host]) => {
    const path = ['hosts', name];
    if (host.kind !== 'kubernetes') {
      return (['namespace', 'image', 'timeZone', 'stateClaim', 'runAsUser'] as const)
        .filter((key) => host[key] !== undefined)
        .map((key) => ({ path: [...path, key], message: `\`${key}\` is only for hosts with \`kind: kubernetes\`` }));
    }
    const issues: PathIssue[] = [];
    // CronJobs have no home-manager users and no host-level FUSE mounts.
    if (Object.keys(host.users).length > 0) issues.push({ path: [...path, 'users'], message: 'kubernetes hosts have no `users`' });
    if (Object.keys(host.mounts).length > 0) issues.push({ path: [...path, 'mounts'], message: 'kubernetes hosts have no `mounts`' });
    return issues;
  });
}

export function volumesOnlyOnKubernetes(config: BackupgenConfig): PathIssue[] {
  return eachJob(config)
    .filter(({ host, job }) => job.volume !== undefined && host.kind !== 'kubernetes')
    .map(({ path }) => ({ path: [...path, 'volume'], message: '`volume` is only for jobs on hosts with `kind: kubernetes`' }));
}
