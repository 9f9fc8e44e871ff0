/**
 * `backupgen plan [--host H] [--json] [--strict] [--now TIME] [--runs N]`: per host what runs
 * when, what goes where and what retention keeps, then the 3-2-1 analysis of every source
 * path (src/report/). Exit 0; with --strict, 1 when there are warnings (for CI).
 */
import { fleetReport, type FleetReport } from '../../report/fleet-report.js';
import type { JobSummary } from '../../report/job-summary.js';
import type { SourceCopies } from '../../report/three-two-one.js';
import { planFile, resolveConfigPath } from '../compile.js';
import { EXIT_OK, EXIT_WARNINGS } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { plural } from '../plural.js';
import { UsageError } from '../user-error.js';

export interface PlanOptions {
  readonly config?: string;
  readonly host?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
  readonly now?: string;
  readonly runs?: string;
}

export async function planCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const plan = await planFile(resolveConfigPath(io.cwd, options.config), io.cwd, io.cwd);
  if (options.host !== undefined && !plan.hosts.some((h) => h.name === options.host)) {
    throw new UsageError(`--host ${options.host}: no such host (hosts: ${plan.hosts.map((h) => h.name).join(', ')})`);
  }
  const report = fleetReport(plan, { nowMs: parseNow(options.now), runs: parseRuns(options.runs), host: options.host });
  io.out(options.json === true ? JSON.stringify(report, null, 2) : planText(report).join('\n'));
  return options.strict === true && report.warnings.length > 0 ? EXIT_WARNINGS : EXIT_OK;
}

function parseNow(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`--now: expected a date and time like 2025-01-15T10:00:00Z, got ${JSON.stringify(text)}`);
  return ms;
}

function parseRuns(text: string | undefined): number {
  if (text === undefined) return 3;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100) throw new UsageError(`--runs: expected a count from 1 to 100, got ${JSON.stringify(text)}`);
  return Number(text);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Thu 2025-01-16 02:00` in this machine's time zone (seconds only when not :00). */
function localTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  const seconds = d.getSeconds() === 0 ? '' : `:${two(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}${seconds}`;
}

export function planText(report: FleetReport): string[] {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const jobs = report.hosts.reduce((n, h) => n + h.jobs.length, 0);
  const lines = [`${plural(report.hosts.length, 'host')}, ${plural(jobs, 'job')}; times in ${zone} (this machine's time zone), from ${localTime(report.now)}`];
  for (const host of report.hosts) {
    lines.push('', `${host.name} (${host.kind})`);
    if (host.jobs.length === 0) lines.push('  no jobs');
    for (const job of host.jobs) lines.push(...jobText(job));
  }
  lines.push('', '3-2-1: copies of every source path (the original is one; media: distinct disks and remotes; off-site: remotes outside the house)');
  for (const source of report.sources) lines.push(...sourceText(source));
  lines.push('');
  if (report.warnings.length === 0) lines.push('no warnings: every source path has a backup and an off-site copy');
  else lines.push(`${plural(report.warnings.length, 'warning')}:`, ...report.warnings.map((w) => `  ${w}`));
  return lines;
}

function jobText(job: JobSummary): string[] {
  const title = job.user === undefined ? job.name : `${job.user}/${job.name} (user ${job.user}'s`;
  const head = job.user === undefined ? `  ${title} (${job.engine})` : `  ${title} ${job.engine} job)`;
  const w = job.when;
  const calendar = `${JSON.stringify(w.schedule)}${w.onCalendar.join(' | ') === w.schedule ? '' : ` = ${w.onCalendar.join(' | ')}`}`;
  const whenLine =
    w.trigger === 'timer' ? `${calendar}${w.next.length > 0 ? `; next ${w.next.map(localTime).join(', ')}` : ''}` : w.notes[0]!;
  const notes = w.trigger === 'timer' ? w.notes : w.notes.slice(1);
  return [
    head,
    `    when:  ${whenLine}`,
    ...notes.map((n) => `           ${n}`),
    `    what:  ${job.what.join(', ')}`,
    `    where: ${job.where.join(', ')}`,
    `    keeps: ${job.retention}`,
  ];
}

function sourceText(source: SourceCopies): string[] {
  const owner = source.user === undefined ? source.host : `${source.host}, user ${source.user}`;
  const rows = source.places.map((p) => [p.by, p.where, p.medium]);
  const width = (i: number) => Math.max(...rows.map((r) => r[i]!.length));
  return [
    `  ${source.path} on ${owner}: ${plural(source.copies, 'copy', 'copies')}, ${plural(source.media, 'medium', 'media')}, ${source.offsite} off-site`,
    ...rows.map((r) => `    ${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]}`),
  ];
}
