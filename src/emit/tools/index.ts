/**
 * The host tools target: commands for the people who run the host, installed next to the
 * jobs (the NixOS module puts them in environment.systemPackages, a home-manager module in
 * home.packages): `backup-status` (the status files every job writes), `backup-now` (start
 * jobs now), `backup-verify` (check what the jobs wrote) and `backup-restore` (get files
 * back). A host's tools cover all its jobs (`hosts/<host>/tools/`); a user's cover that
 * user's jobs only (`hosts/<host>/tools/<user>/`).
 *
 * A tool's text is the host's runtime library followed by the tool's own, as a job script's
 * is (tool-prologue partial): on NixOS both files go into one writeShellApplication.
 */
import type { HostPlan, Plan, UserPlan } from '../../plan/model.js';
import { hostJobs, hostRunsScripts } from '../scripts/index.js';
import { renderTemplate } from '../scripts/handlebars.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';
import { mergeRuntimeInputs } from '../scripts/common-script-data.js';
import type { GeneratedFile } from '../types.js';
import { scopeToolData, toolTemplateData, type ScopeToolData, type ToolScope } from './tool-data.js';

export const TOOL_NAMES = ['backup-status', 'backup-now', 'backup-verify', 'backup-restore'] as const;

/**
 * nixpkgs attributes a tool calls besides what its jobs' scripts need (it does what they do:
 * list a snapshot, read an archive, talk to a remote): getent (a user's home folder),
 * diffutils (cmp, the sampled byte comparison), unzip (zip archives), systemd (systemctl and
 * journalctl for backup-now and the next run in backup-status).
 */
const TOOL_INPUTS: Record<(typeof TOOL_NAMES)[number], readonly string[]> = {
  'backup-status': ['coreutils', 'getent', 'systemd', 'util-linux'],
  'backup-now': ['coreutils', 'getent', 'systemd', 'util-linux'],
  'backup-verify': ['coreutils', 'diffutils', 'getent', 'unzip', 'util-linux'],
  'backup-restore': ['coreutils', 'getent', 'rsync', 'unzip'],
};

export interface HostTool {
  readonly name: string;
  /** `hosts/<host>/tools[/<user>]/<tool>.sh`, relative to the output root. */
  readonly path: string;
  /** nixpkgs attribute names (writeShellApplication runtimeInputs), sorted. */
  readonly runtimeInputs: readonly string[];
  /** The host's runtime library, the first part of the tool's text. */
  readonly runtimePath: string;
  readonly render: (plan: Plan) => string;
}

function toolsFor(scope: ToolScope): HostTool[] {
  const first = scope.jobs[0];
  if (first === undefined) return [];
  const jobInputs = scope.jobs.map(jobRuntimeInputs);
  // The four tools of a scope share their job tables: built once, on the first render.
  let shared: { plan: Plan; data: ScopeToolData } | undefined;
  const sharedData = (plan: Plan): ScopeToolData => {
    if (shared?.plan !== plan) shared = { plan, data: scopeToolData(plan, scope) };
    return shared.data;
  };
  return TOOL_NAMES.map((name) => ({
    name,
    path: `${scope.dir}/${name}.sh`,
    runtimeInputs: mergeRuntimeInputs(TOOL_INPUTS[name], ...jobInputs),
    runtimePath: first.runtimePath,
    render: (plan: Plan) => renderTemplate(`tools/${name}`, toolTemplateData(sharedData(plan), scope, name, first.runtimePath)),
  }));
}

/** The tools a host gets: every job of the host, users' jobs included. */
export function hostTools(host: HostPlan): readonly HostTool[] {
  if (!hostRunsScripts(host)) return [];
  return toolsFor({ host, dir: `hosts/${host.name}/tools`, jobs: hostJobs(host) });
}

/** A user's tools (home-manager): that user's jobs only. */
export function userTools(host: HostPlan, user: UserPlan): readonly HostTool[] {
  if (!hostRunsScripts(host)) return [];
  return toolsFor({ host, dir: `hosts/${host.name}/tools/${user.name}`, jobs: user.jobs });
}

export function emitTools(plan: Plan): GeneratedFile[] {
  return plan.hosts.flatMap((host) =>
    [...hostTools(host), ...host.users.flatMap((user) => userTools(host, user))].map((tool) => ({
      path: tool.path,
      contents: tool.render(plan),
      executable: true,
    })),
  );
}
