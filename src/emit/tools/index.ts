/**
 * The host tools target: commands for the people who run the host, installed next to the
 * jobs (the NixOS module puts them in environment.systemPackages). For now `backup-status`,
 * which reads the status files every job writes; `backup-now`, `backup-restore` and
 * `backup-verify` are still to come (README, "Not built yet").
 */
import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { hostRunsScripts } from '../scripts/index.js';
import { renderTemplate } from '../scripts/handlebars.js';
import type { GeneratedFile } from '../types.js';

/** `hosts/<host>/tools/<tool>.sh`, relative to the output root. */
export const toolPath = (host: string, tool: string): string => `hosts/${host}/tools/${tool}.sh`;

/** The tools a host gets, with the nixpkgs packages each needs (writeShellApplication runtimeInputs). */
export function hostTools(host: HostPlan): readonly { name: string; runtimeInputs: readonly string[] }[] {
  if (!hostRunsScripts(host) || hostJobs(host).length === 0) return [];
  // coreutils: date, id, cut, numfmt; util-linux: flock (is a run still holding the lock?);
  // getent: a user's home folder.
  return [{ name: 'backup-status', runtimeInputs: ['coreutils', 'getent', 'util-linux'] }];
}

export function emitTools(plan: Plan): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const host of plan.hosts) {
    for (const tool of hostTools(host)) {
      files.push({ path: toolPath(host.name, tool.name), contents: renderStatusTool(plan, host), executable: true });
    }
  }
  return files;
}

function hostJobs(host: HostPlan): JobPlan[] {
  return [...host.jobs, ...host.users.flatMap((user) => user.jobs)];
}

function renderStatusTool(plan: Plan, host: HostPlan): string {
  const jobs = hostJobs(host);
  return renderTemplate('tools/backup-status', {
    header: generatedHeader('#', plan.sourceFile.replace(/[\r\n]+/g, ' ')),
    host: host.name.replace(/[\r\n]+/g, ' '),
    jobs: {
      names: jobs.map((job) => job.name),
      users: jobs.map((job) => job.runAs.user),
      scopes: jobs.map((job) => job.runAs.scope),
    },
  });
}
