/**
 * The template data every host tool gets (templates/scripts/tools/*.sh.hbs): one column per
 * job fact, as parallel arrays for `sharray`, plus each rclone-using job's run-time rclone
 * config (the same `rclone-config-write` partial its job script renders). Every tool starts
 * from the host's runtime library (the `tool-prologue` partial), so a mechanism the jobs have
 * (secrets, rclone config assembly, status file, verification) has one implementation.
 *
 * A list inside one cell (a snapshot job's sources, an archive job's destinations) is joined
 * with newlines: validation refuses control characters in every config string, so a newline
 * never occurs inside a value (README, "Validation").
 */
import { posix } from 'node:path';
import type { ArchiveDestination, HostPlan, JobPlan, Plan, RcloneJob } from '../../plan/model.js';
import { metricsData } from '../scripts/common-script-data.js';
import { generatedHeader } from '../header.js';
import { rcloneConfigData, type RcloneConfigData } from '../scripts/rclone-config-data.js';
import { rcloneSelectionArgs, remoteSpec } from '../scripts/rclone-args.js';
import { backupDirBase } from '../scripts/rclone-script.js';
import { rsyncArchiveFlags } from '../scripts/snapshot-script.js';
import { timespanSeconds } from '../monitoring/index.js';

/** The jobs a tool covers and where its file lives. */
export interface ToolScope {
  readonly host: HostPlan;
  /** `hosts/<host>/tools` (NixOS: every job of the host) or `hosts/<host>/tools/<user>`. */
  readonly dir: string;
  readonly jobs: readonly JobPlan[];
}

const lines = (values: readonly string[]): string => values.join('\n');
const flag = (on: boolean): string => (on ? '1' : '');

function destinationSpec(d: ArchiveDestination): string {
  return d.kind === 'local' ? d.path : remoteSpec(d.remote.name, d.path.replace(/\/+$/, ''));
}

function rcloneSource(job: RcloneJob): string {
  return job.source.kind === 'remote' ? remoteSpec(job.source.remote.name, job.source.path) : job.source.path;
}

/** Per job, what the tools read; '' where a column does not apply to the job's engine. */
const COLUMNS: Record<string, (job: JobPlan, scope: ToolScope, plan: Plan) => string> = {
  names: (job) => job.name,
  users: (job) => job.runAs.user,
  scopes: (job) => job.runAs.scope,
  engines: (job) => job.engine,
  units: (job) => job.unitName,
  enabled: (job) => flag(job.enable),
  runAfter: (job) => job.runAfter?.job ?? '',
  schedules: (job) => (job.runAfter === undefined ? job.schedule.source : `after ${job.runAfter.job}`),
  /** The job script relative to the tool's folder (a run by hand, without systemd). */
  scripts: (job, scope) => posix.relative(scope.dir, job.scriptPath),
  /** snapshot: the destination path; archive: every destination; rclone: the target. */
  destinations: (job) =>
    job.engine === 'snapshot'
      ? job.destination.path
      : job.engine === 'archive'
        ? lines(job.destinations.map(destinationSpec))
        : remoteSpec(job.target.remote.name, job.target.path),
  destKinds: (job) => (job.engine === 'archive' ? lines(job.destinations.map((d) => d.kind)) : ''),
  /** snapshot and archive: the sources; rclone: its source (a path or remote:path). */
  sources: (job) => (job.engine === 'rclone' ? rcloneSource(job) : lines(job.sources)),
  sourceLocal: (job) => flag(job.engine !== 'rclone' || job.source.kind !== 'remote'),
  formats: (job) => (job.engine === 'archive' ? job.format : ''),
  excludes: (job) => lines(job.exclude),
  rsyncFlags: (job) => (job.engine === 'snapshot' ? rsyncArchiveFlags(job) : ''),
  modes: (job) => (job.engine === 'rclone' ? job.mode : ''),
  filters: (job) => (job.engine === 'rclone' ? lines(rcloneSelectionArgs(job.exclude)) : ''),
  /** rclone: what a verification compares, `none` made `checksum` (see backup-verify). */
  verifyLevels: (job) => (job.engine === 'rclone' ? (job.verify === 'size' ? 'size' : 'checksum') : ''),
  cryptTargets: (job) => flag(job.engine === 'rclone' && job.target.remote.type === 'crypt'),
  backupDirs: (job) => (job.engine === 'rclone' && job.backupDir ? backupDirBase(job) : ''),
  /** backup-verify's metrics file (`backupgen-<job>-verify.prom`; '' for none) and labels. */
  verifyMetricsFiles: (job, scope, plan) => metricsData(plan, scope.host, job)?.file.replace(/\.prom$/, '-verify.prom') ?? '',
  metricsLabels: (job, scope, plan) => metricsData(plan, scope.host, job)?.labels ?? '',
  staleSeconds: (job, scope, plan) => String(staleAfterSeconds(plan, job, scope.jobs)),
  rcloneInState: (job) => flag(job.engine !== 'snapshot' && rcloneConfigData(job.remotes).inState),
};

export interface ToolTemplateData {
  readonly header: string;
  readonly host: string;
  readonly tool: { readonly name: string; readonly runtimeFromTool: string };
  readonly jobs: Record<string, readonly string[]>;
  /** Jobs that talk to a remote: their index in `jobs` and their rclone config. */
  readonly rcloneJobs: readonly { readonly index: string; readonly rcloneConfig: RcloneConfigData }[];
}

/** What every tool of one scope gets alike: computed once per scope, not once per tool. */
export type ScopeToolData = Omit<ToolTemplateData, 'tool'>;

export function scopeToolData(plan: Plan, scope: ToolScope): ScopeToolData {
  const jobs = Object.fromEntries(Object.entries(COLUMNS).map(([key, column]) => [key, scope.jobs.map((job) => column(job, scope, plan))]));
  const rcloneJobs = scope.jobs.flatMap((job, index) =>
    job.engine !== 'snapshot' && job.remotes.length > 0 ? [{ index: String(index), rcloneConfig: rcloneConfigData(job.remotes) }] : [],
  );
  return { header: generatedHeader('#', plan.sourceFile), host: scope.host.name, jobs, rcloneJobs };
}

export function toolTemplateData(shared: ScopeToolData, scope: ToolScope, tool: string, runtimePath: string): ToolTemplateData {
  return { ...shared, tool: { name: tool, runtimeFromTool: posix.relative(scope.dir, runtimePath) } };
}

const HOUR = 3_600;
const DAY = 86_400;

/**
 * How long a job may go without a success before backup-status calls it stale:
 * `monitoring.prometheus.staleAfter` when set (the alert rules use the same), else one
 * period of its schedule plus a margin for a late or slow run (2h up to daily, a day
 * beyond): hourly 3h, daily 26h, weekly 8d, monthly 32d. A schedule whose period is not one
 * of those (a cron line, a calendar with several times) gets 8 days. A job started by
 * another (runAfter) has that job's.
 */
export function staleAfterSeconds(plan: Plan, job: JobPlan, jobs: readonly JobPlan[], seen = new Set<string>()): number {
  const prometheus = plan.monitoring.prometheus;
  if (prometheus !== undefined) return timespanSeconds(prometheus.staleAfter);
  const previous = job.runAfter === undefined ? undefined : jobs.find((j) => j.name === job.runAfter?.job);
  if (previous !== undefined && !seen.has(previous.name)) return staleAfterSeconds(plan, previous, jobs, seen.add(job.name));
  const period = schedulePeriod(job.schedule.onCalendar);
  if (period === undefined) return 8 * DAY;
  return period + (period >= 7 * DAY ? DAY : 2 * HOUR);
}

function schedulePeriod(onCalendar: readonly string[]): number | undefined {
  const [only, ...more] = onCalendar;
  if (only === undefined || more.length > 0) return undefined;
  if (only === 'hourly' || /^\*-\*-\* \*:\d\d(:\d\d)?$/.test(only)) return HOUR;
  if (only === 'daily' || /^\*-\*-\* \d\d:\d\d(:\d\d)?$/.test(only)) return DAY;
  if (only === 'weekly' || /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \*-\*-\* \d\d:\d\d(:\d\d)?$/.test(only)) return 7 * DAY;
  if (only === 'monthly' || /^\*-\*-01 \d\d:\d\d(:\d\d)?$/.test(only)) return 31 * DAY;
  return undefined;
}
