import type { RcloneJob, HostPlan, Plan, RcloneSource } from '../../plan/model.js';
import type { JobScript } from './job-script.js';
import { commonRuntimeInputs, commonScriptData, mergeRuntimeInputs } from './common-script-data.js';
import { renderTemplate } from './handlebars.js';
import { rcloneConfigData } from './rclone-config-data.js';
import { rcloneSelectionArgs, remoteSpec } from './rclone-args.js';
import { limitData } from './limit-data.js';

/**
 * nixpkgs attributes the rclone engine calls besides the common runtime: rclone, gawk
 * (reading a kept token from the config), gnugrep (counting dry-run deletions).
 */
const RCLONE_INPUTS = ['coreutils', 'gawk', 'gnugrep', 'rclone'];

/** The `rclone` engine: one rclone sync/copy/move of a path or remote to a remote. */
export function renderRcloneScript(plan: Plan, host: HostPlan, job: RcloneJob): JobScript {
  const config = rcloneConfigData(job.remotes);
  const data = {
    common: commonScriptData(plan, host, job),
    rcloneConfig: config,
    rclone: {
      job: job.name,
      mode: job.mode,
      configInState: config.inState,
      source: sourceData(job.source),
      target: remoteSpec(job.target.remote.name, job.target.path),
      targetKind: job.target.remote.type === 'crypt' ? 'crypt' : 'plain',
      flags: transferFlags(job),
      filters: rcloneSelectionArgs(job.exclude),
      verify: job.verify === 'none' ? false : job.verify,
      // maxDelete guards what a sync deletes on the target; copy never deletes and move
      // only deletes what it has already transferred from the source.
      maxDelete: job.mode === 'sync' && job.maxDelete !== undefined ? limitData(job.maxDelete) : false,
      backupDir: job.backupDir ? backupDirBase(job) : false,
    },
  };
  return {
    path: job.scriptPath,
    text: renderTemplate('rclone', data),
    runtimeInputs: rcloneRuntimeInputs(job),
  };
}

export function rcloneRuntimeInputs(job: RcloneJob): string[] {
  return mergeRuntimeInputs(commonRuntimeInputs(job), RCLONE_INPUTS);
}

/** A local path is expanded at run time by bg_expand_path (`~/` against $HOME). */
function sourceData(source: RcloneSource): { local: boolean; path: string } {
  if (source.kind === 'remote') return { local: false, path: remoteSpec(source.remote.name, source.path) };
  return { local: true, path: source.path };
}

/** Flags given as one argument each: a --bwlimit timetable contains spaces (rclone docs, "--bwlimit"). */
function transferFlags(job: RcloneJob): string[] {
  const flags: string[] = [];
  if (job.bwlimit !== undefined) flags.push('--bwlimit', job.bwlimit);
  if (job.transfers !== undefined) flags.push('--transfers', String(job.transfers));
  if (job.checkers !== undefined) flags.push('--checkers', String(job.checkers));
  return flags;
}

/**
 * backupDir: replaced and deleted files go to `<target>-backups/<UTC timestamp>` on the
 * same remote, a sibling of the target, because rclone refuses a --backup-dir that overlaps
 * the destination (rclone docs, "--backup-dir"). The root of a remote has no sibling.
 */
export function backupDirBase(job: RcloneJob): string {
  const path = job.target.path.replace(/\/+$/, '');
  if (path === '' || path === '/') {
    throw new Error(`job ${job.name}: backupDir needs a target path below the root of remote ${job.target.remote.name}`);
  }
  return remoteSpec(job.target.remote.name, `${path}-backups`);
}
