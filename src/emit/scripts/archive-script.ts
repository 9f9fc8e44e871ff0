import type { ArchiveDestination, ArchiveJob, ArchiveFormat, HostPlan, Plan } from '../../plan/model.js';
import type { JobScript } from './job-script.js';
import { commonRuntimeInputs, commonScriptData, mergeRuntimeInputs } from './common-script-data.js';
import { renderTemplate } from './handlebars.js';
import { rcloneConfigData } from './rclone-config-data.js';
import { remoteSpec } from './rclone-args.js';
import { sourceGuardData } from './limit-data.js';

/**
 * nixpkgs attributes the archive engine calls: gnutar + a compressor per format (pigz and
 * pbzip2 are preferred, gzip and bzip2 the fallbacks the script picks when they are absent),
 * findutils (find, xargs), gnused (sed -z), coreutils (sort, sha256sum, od, stat, ...),
 * gnugrep, gawk (the manifest's file list), and rclone with a remote destination.
 */
const FORMAT_INPUTS: Record<ArchiveFormat, readonly string[]> = {
  'tar.gz': ['gnutar', 'gzip', 'pigz'],
  'tar.xz': ['gnutar', 'xz'],
  'tar.bz2': ['bzip2', 'gnutar', 'pbzip2'],
  'tar.zst': ['gnutar', 'zstd'],
  zip: ['zip'],
};
const BASE_INPUTS = ['coreutils', 'findutils', 'gawk', 'gnugrep', 'gnused'];

/** The `archive` engine: tar/zip archives with a checksum and a manifest, several destinations. */
export function renderArchiveScript(plan: Plan, host: HostPlan, job: ArchiveJob): JobScript {
  const hasRemote = job.destinations.some((d) => d.kind === 'remote');
  const data = {
    common: commonScriptData(plan, host, job),
    rcloneConfig: rcloneConfigData(job.remotes),
    archive: {
      name: job.name,
      format: job.format,
      sources: job.sources,
      ...sourceGuardData(job),
      prune: findPruneArgs(job.exclude),
      destKinds: job.destinations.map((d) => d.kind),
      destSpecs: job.destinations.map(destinationSpec),
      stopServices: job.stopServices,
      keep: String(job.retention.keep),
      maxAgeDays: String(job.retention.maxAgeDays),
      owner: job.owner === undefined ? '' : `${job.owner.user}:${job.owner.group}`,
      hasRemote,
    },
  };
  return {
    path: job.scriptPath,
    text: renderTemplate('archive', data),
    runtimeInputs: archiveRuntimeInputs(job),
  };
}

export function archiveRuntimeInputs(job: ArchiveJob): string[] {
  const hasRemote = job.destinations.some((d) => d.kind === 'remote');
  return mergeRuntimeInputs(commonRuntimeInputs(job), BASE_INPUTS, FORMAT_INPUTS[job.format], hasRemote ? ['rclone'] : []);
}

function destinationSpec(d: ArchiveDestination): string {
  return d.kind === 'local' ? d.path : remoteSpec(d.remote.name, d.path.replace(/\/+$/, ''));
}

/**
 * `exclude` patterns as a find(1) prune expression placed before -printf:
 * `( -name P1 -o -path '*' + '/P2' ) -prune -o`. A pattern without `/` matches a file or directory
 * name at any depth (like tar --exclude and rsync); one with `/` matches the end of a path
 * (`cache/x.tmp` becomes `-path '*' + '/cache/x.tmp'`); a trailing `/` limits it to directories. Pruned directories are not
 * descended into, so their contents are left out too.
 */
export function findPruneArgs(exclude: readonly string[]): string[] {
  if (exclude.length === 0) return [];
  const tests = exclude.map((raw) => {
    const dirOnly = raw.endsWith('/');
    const pattern = raw.replace(/\/+$/, '').replace(/^\/+/, '');
    const test = pattern.includes('/') ? ['-path', `*/${pattern}`] : ['-name', pattern];
    return dirOnly ? ['(', '-type', 'd', ...test, ')'] : test;
  });
  const joined = tests.flatMap((t, i) => (i === 0 ? t : ['-o', ...t]));
  return ['(', ...joined, ')', '-prune', '-o'];
}
