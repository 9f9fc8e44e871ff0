/** Iterating a validated config's jobs and mounts, with where they live and their scope. */
import type { BackupgenConfig } from '../schema/config.js';
import type { HostConfig, MountConfig } from '../schema/hosts.js';
import type { JobConfig } from '../schema/jobs.js';
import type { IssuePath } from '../errors.js';

export type Scope = { readonly kind: 'system' } | { readonly kind: 'user'; readonly user: string };

export interface JobSite {
  readonly hostName: string;
  readonly host: HostConfig;
  readonly scope: Scope;
  readonly name: string;
  readonly job: JobConfig;
  /** Path of the job in the config (`hosts.laptop.users.mads.jobs.home`). */
  readonly path: IssuePath;
  /** The other jobs in the same host and scope, by name (runAfter and `{ job }` look here). */
  readonly siblings: Readonly<Record<string, JobConfig>>;
}

export interface MountSite {
  readonly hostName: string;
  readonly host: HostConfig;
  readonly scope: Scope;
  readonly name: string;
  readonly mount: MountConfig;
  readonly path: IssuePath;
}

export function eachJob(config: BackupgenConfig): JobSite[] {
  return Object.entries(config.hosts).flatMap(([hostName, host]) => [
    ...jobSites(hostName, host, { kind: 'system' }, host.jobs, ['hosts', hostName, 'jobs']),
    ...Object.entries(host.users).flatMap(([user, u]) =>
      jobSites(hostName, host, { kind: 'user', user }, u.jobs, ['hosts', hostName, 'users', user, 'jobs']),
    ),
  ]);
}

function jobSites(hostName: string, host: HostConfig, scope: Scope, jobs: Record<string, JobConfig>, base: IssuePath): JobSite[] {
  return Object.entries(jobs).map(([name, job]) => ({ hostName, host, scope, name, job, path: [...base, name], siblings: jobs }));
}

export function eachMount(config: BackupgenConfig): MountSite[] {
  return Object.entries(config.hosts).flatMap(([hostName, host]) => [
    ...Object.entries(host.mounts).map(([name, mount]) => ({
      hostName, host, scope: { kind: 'system' } as Scope, name, mount, path: ['hosts', hostName, 'mounts', name],
    })),
    ...Object.entries(host.users).flatMap(([user, u]) =>
      Object.entries(u.mounts).map(([name, mount]) => ({
        hostName, host, scope: { kind: 'user', user } as Scope, name, mount, path: ['hosts', hostName, 'users', user, 'mounts', name],
      })),
    ),
  ]);
}

/** Every place a job names a remote, with the path of that field. */
export function remoteReferencesOf(site: JobSite): { remote: string; path: IssuePath }[] {
  const { job, path } = site;
  if (job.engine === 'rclone') {
    const refs = [{ remote: job.target.remote, path: [...path, 'target', 'remote'] }];
    if (typeof job.source === 'object' && job.source.remote !== undefined) {
      refs.push({ remote: job.source.remote, path: [...path, 'source', 'remote'] });
    }
    return refs;
  }
  if (job.engine === 'archive') {
    return job.destinations.flatMap((d, i) => (d.remote === undefined ? [] : [{ remote: d.remote, path: [...path, 'destinations', i, 'remote'] }]));
  }
  return [];
}
