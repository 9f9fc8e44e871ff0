/** One job of the config -> its JobPlan, per engine. */
import type { JobSite } from '../config/rules/walk.js';
import type { BackupgenConfig } from '../config/schema/config.js';
import type { ArchiveDestination, ArchiveJob, JobPlan, MaxDelete, RcloneJob, RcloneSource, SnapshotJob, UserPath } from './model.js';
import { planJobCommon } from './job-common.js';
import { planRemote, withWrappedRemotes } from './remotes.js';

type Of<E extends JobPlan['engine']> = Extract<JobSite['job'], { engine: E }>;

export function planJob(config: BackupgenConfig, site: JobSite): JobPlan {
  switch (site.job.engine) {
    case 'snapshot':
      return planSnapshot(config, site, site.job);
    case 'rclone':
      return planRclone(config, site, site.job);
    case 'archive':
      return planArchive(config, site, site.job);
  }
}

function planSnapshot(config: BackupgenConfig, site: JobSite, job: Of<'snapshot'>): SnapshotJob {
  return {
    ...planJobCommon(config, site, [], false),
    engine: 'snapshot',
    ...planSourceGuard(job),
    destination: { ...job.destination },
    retention: { ...job.retention },
    preserve: {
      hardLinks: job.preserve.includes('hardlinks'),
      acls: job.preserve.includes('acls'),
      xattrs: job.preserve.includes('xattrs'),
    },
  };
}

type SourceEntry = string | { readonly path: string; readonly requireMountpoint: boolean };

/** Sources as plain paths, the ones that must be mount points, and maxShrink (off: undefined). */
function planSourceGuard(job: { readonly sources: readonly SourceEntry[]; readonly maxShrink: number | string | false }) {
  const path = (s: SourceEntry): UserPath => (typeof s === 'string' ? s : s.path);
  return {
    sources: job.sources.map(path),
    sourceMountpoints: job.sources.filter((s) => typeof s !== 'string' && s.requireMountpoint).map(path),
    maxShrink: job.maxShrink === false || job.maxShrink === 'off' ? undefined : parseMaxDelete(job.maxShrink),
  };
}

/** `<destination>/<host>/latest` of a snapshot job (config.md, engine snapshot layout). */
export function latestSnapshotPath(destination: string, host: string): string {
  return `${destination.replace(/\/+$/, '')}/${host}/latest`;
}

function planRcloneSource(config: BackupgenConfig, site: JobSite, source: Of<'rclone'>['source']): RcloneSource {
  if (typeof source === 'string') return { kind: 'path', path: source };
  if (source.job !== undefined) {
    const snapshot = site.siblings[source.job];
    if (snapshot?.engine !== 'snapshot') throw new Error(`planner: source job \`${source.job}\` is not a snapshot job`);
    return { kind: 'job', job: source.job, path: latestSnapshotPath(snapshot.destination.path, site.hostName) };
  }
  return { kind: 'remote', remote: planRemote(config, source.remote!, site.scope.kind), path: source.path ?? '' };
}

function parseMaxDelete(value: number | string | undefined): MaxDelete | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { kind: 'count', value };
  return { kind: 'percent', value: Number(value.slice(0, -1)) };
}

function planRclone(config: BackupgenConfig, site: JobSite, job: Of<'rclone'>): RcloneJob {
  const scope = site.scope.kind;
  const source = planRcloneSource(config, site, job.source);
  const target = { remote: planRemote(config, job.target.remote, scope), path: job.target.path };
  const remotes = withWrappedRemotes(config, [target.remote, ...(source.kind === 'remote' ? [source.remote] : [])], scope);
  return {
    ...planJobCommon(config, site, remotes, true),
    engine: 'rclone',
    mode: job.mode,
    source,
    target,
    bwlimit: job.bwlimit,
    transfers: job.transfers,
    checkers: job.checkers,
    verify: job.verify,
    maxDelete: parseMaxDelete(job.maxDelete),
    backupDir: job.backupDir,
    remotes,
  };
}

function planArchive(config: BackupgenConfig, site: JobSite, job: Of<'archive'>): ArchiveJob {
  const scope = site.scope.kind;
  const destinations: ArchiveDestination[] = job.destinations.map((d) =>
    d.remote === undefined ? { kind: 'local', path: d.path } : { kind: 'remote', remote: planRemote(config, d.remote, scope), path: d.path },
  );
  const direct = destinations.flatMap((d) => (d.kind === 'remote' ? [d.remote] : []));
  const remotes = withWrappedRemotes(config, direct, scope);
  return {
    ...planJobCommon(config, site, remotes, direct.length > 0),
    engine: 'archive',
    ...planSourceGuard(job),
    stopServices: job.stopServices,
    format: job.format,
    destinations,
    retention: { ...job.retention },
    owner: job.owner === undefined ? undefined : { user: job.owner.user, group: job.owner.group ?? job.owner.user },
    remotes,
  };
}
