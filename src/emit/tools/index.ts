/**
 * The host tools target: commands for the people who run the host, installed next to the
 * jobs (the NixOS module puts them in environment.systemPackages): `backup-status`, which
 * reads the status files every job writes, and `backup-restore` for hosts with snapshot
 * jobs; `backup-now` and `backup-verify` are still to come (README, "Not built yet").
 */
import type { HostPlan, JobPlan, Plan, SnapshotJob } from '../../plan/model.js';
import { rsyncArchiveFlags } from '../scripts/snapshot-script.js';
import { generatedHeader } from '../header.js';
import { hostJobs, hostRunsScripts } from '../scripts/index.js';
import { renderTemplate } from '../scripts/handlebars.js';
import type { GeneratedFile } from '../types.js';

/** `hosts/<host>/tools/<tool>.sh`, relative to the output root. */
export const toolPath = (host: string, tool: string): string => `hosts/${host}/tools/${tool}.sh`;

export interface HostTool {
  readonly name: string;
  /** nixpkgs attribute names (writeShellApplication runtimeInputs), sorted. */
  readonly runtimeInputs: readonly string[];
  readonly render: (plan: Plan, host: HostPlan) => string;
}

/** The tools a host gets. */
export function hostTools(host: HostPlan): readonly HostTool[] {
  if (!hostRunsScripts(host) || hostJobs(host).length === 0) return [];
  // coreutils: date, id, cut, numfmt, readlink; util-linux: flock (is a run still holding
  // the lock?); getent: a user's home folder.
  const tools: HostTool[] = [{ name: 'backup-status', runtimeInputs: ['coreutils', 'getent', 'util-linux'], render: renderStatusTool }];
  if (snapshotJobs(host).length > 0) {
    tools.push({ name: 'backup-restore', runtimeInputs: ['coreutils', 'getent', 'rsync'], render: renderRestoreTool });
  }
  return tools;
}

export function emitTools(plan: Plan): GeneratedFile[] {
  return plan.hosts.flatMap((host) =>
    hostTools(host).map((tool) => ({ path: toolPath(host.name, tool.name), contents: tool.render(plan, host), executable: true })),
  );
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
    header: generatedHeader('#', plan.sourceFile),
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
