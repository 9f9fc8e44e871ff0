import type { SnapshotJob, HostPlan, Plan } from '../../plan/model.js';
import type { JobScript } from './job-script.js';
import { commonRuntimeInputs, commonScriptData, mergeRuntimeInputs } from './common-script-data.js';
import { renderTemplate } from './handlebars.js';
import { sourceGuardData } from './limit-data.js';

/**
 * nixpkgs attributes the snapshot engine calls besides the common runtime: rsync, coreutils
 * (cp -al, mv -T, ln, df, date), util-linux (mountpoint), findutils (find, to make
 * read-only directories of a pruned snapshot removable).
 */
const SNAPSHOT_INPUTS = ['coreutils', 'findutils', 'rsync', 'util-linux'];

/** The `snapshot` engine: rsync hard-link snapshots with daily/weekly/monthly rotation. */
export function renderSnapshotScript(plan: Plan, host: HostPlan, job: SnapshotJob): JobScript {
  return {
    path: job.scriptPath,
    text: renderTemplate('snapshot', { common: commonScriptData(plan, host, job), snapshot: snapshotData(job) }),
    runtimeInputs: snapshotRuntimeInputs(job),
  };
}

export function snapshotRuntimeInputs(job: SnapshotJob): string[] {
  return mergeRuntimeInputs(commonRuntimeInputs(job), SNAPSHOT_INPUTS);
}

/** Every value is a string: the template renders each through `sh` / `sharray`. */
function snapshotData(job: SnapshotJob) {
  return {
    sources: job.sources,
    ...sourceGuardData(job),
    excludes: job.exclude,
    destination: job.destination.path,
    requireMountpoint: job.destination.requireMountpoint ? '1' : '',
    // df(1) reports 1K blocks; minFreeGB counts GiB (2^30 bytes) and may be fractional.
    minFreeKiB: String(Math.ceil(job.destination.minFreeGB * 1024 * 1024)),
    keepDaily: String(job.retention.daily),
    keepWeekly: String(job.retention.weekly),
    keepMonthly: String(job.retention.monthly),
    rsyncArchiveFlags: rsyncArchiveFlags(job),
  };
}

/** rsync(1): -a, plus -H (hard links among source files), -A (ACLs), -X (xattrs) when asked. */
export function rsyncArchiveFlags(job: SnapshotJob): string {
  return `-a${job.preserve.hardLinks ? 'H' : ''}${job.preserve.acls ? 'A' : ''}${job.preserve.xattrs ? 'X' : ''}`;
}
