/**
 * The host tools target: commands for the people who run the host, installed next to the
 * jobs (the NixOS module puts them in environment.systemPackages): `backup-status`, which
 * reads the status files every job writes, and `backup-restore` for hosts with snapshot
 * jobs; `backup-now` and `backup-verify` are still to come (README, "Not built yet").
 */
import type { HostPlan, JobPlan, Plan, SnapshotJob } from '../../plan/model.js';
import { rsyncArchiveFlags } from '../scripts/snapshot-script.js';
import { generatedHeader } from '../header.js';
import { hostRunsScripts } from '../scripts/index.js';
import { renderTemplate } from '../scripts/handlebars.js';
import type { GeneratedFile } from '../types.js';

/** `hosts/<host>/tools/<tool>.sh`, relative to the output root. */
export const toolPath = (host: string, tool: string): string => `hosts/${host}/tools/${tool}.sh`;

/** The tools a host gets, with the nixpkgs packages each needs (writeShellApplication runtimeInputs). */
export function hostTools(host: HostPlan): readonly { name: string; runtimeInputs: readonly string[] }[] {
  if (!hostRunsScripts(host) || hostJobs(host).length === 0) return [];
  // coreutils: date, id, cut, numfmt, readlink; util-linux: flock (is a run still holding
  // the lock?); getent: a user's home folder.
  const tools = [{ name: 'backup-status', runtimeInputs: ['coreutils', 'getent', 'util-linux'] }];
  if (snapshotJobs(host).length > 0) tools.push({ name: 'backup-restore', runtimeInputs: ['coreutils', 'getent', 'rsync'] });
  return tools;
}

export function emitTools(plan: Plan): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const host of plan.hosts) {
    for (const tool of hostTools(host)) {
      const contents = tool.name === 'backup-status' ? renderStatusTool(plan, host) : renderRestoreTool(plan, host);
      files.push({ path: toolPath(host.name, tool.name), contents, executable: true });
    }
  }
  return files;
}

function hostJobs(host: HostPlan): JobPlan[] {
  return [...host.jobs, ...host.users.flatMap((user) => user.jobs)];
}

/**
 * A tool's template data: the header, the host, and per job (parallel arrays for `sharray`)
 * its name and user plus the tool's own columns.
 */
function renderTool<J extends JobPlan>(
  plan: Plan,
  host: HostPlan,
  tool: string,
  jobs: readonly J[],
  columns: Record<string, (job: J) => string>,
): string {
  const perJob = Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, jobs.map(column)]));
  return renderTemplate(`tools/${tool}`, {
    header: generatedHeader('#', plan.sourceFile.replace(/[\r\n]+/g, ' ')),
    host: host.name,
    jobs: { names: jobs.map((job) => job.name), users: jobs.map((job) => job.runAs.user), ...perJob },
  });
}

function renderStatusTool(plan: Plan, host: HostPlan): string {
  return renderTool(plan, host, 'backup-status', hostJobs(host), { scopes: (job) => job.runAs.scope });
}

function snapshotJobs(host: HostPlan): SnapshotJob[] {
  return hostJobs(host).filter((job): job is SnapshotJob => job.engine === 'snapshot');
}

function renderRestoreTool(plan: Plan, host: HostPlan): string {
  return renderTool(plan, host, 'backup-restore', snapshotJobs(host), {
    destinations: (job) => job.destination.path,
    rsyncFlags: rsyncArchiveFlags,
  });
}
