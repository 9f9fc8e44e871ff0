/**
 * `backupgen plan`'s data: every host's jobs in plain words and the 3-2-1 analysis of the
 * whole config. A reporting stage: it reads the Plan only and returns plain,
 * JSON-serializable data; the CLI prints it as text or JSON.
 */
import type { Plan } from '../plan/model.js';
import { summarizeJob, type JobSummary } from './job-summary.js';
import { threeTwoOne, type SourceCopies } from './three-two-one.js';

export interface FleetReport {
  /** The instant next runs are counted from (ISO 8601, UTC). */
  readonly now: string;
  readonly hosts: readonly { readonly name: string; readonly kind: string; readonly jobs: readonly JobSummary[] }[];
  /** Every source path of the shown hosts, with its copies (counted across the whole config). */
  readonly sources: readonly SourceCopies[];
  readonly warnings: readonly string[];
}

export interface ReportOptions {
  readonly nowMs: number;
  /** Next runs listed per job. */
  readonly runs: number;
  /** Only this host's jobs and sources (the copies still follow every host's jobs). */
  readonly host?: string | undefined;
}

export function fleetReport(plan: Plan, options: ReportOptions): FleetReport {
  const shown = (name: string) => options.host === undefined || options.host === name;
  const hosts = plan.hosts.filter((h) => shown(h.name)).map((host) => ({
    name: host.name,
    kind: host.kind,
    jobs: [
      ...host.jobs.map((job) => summarizeJob(job, undefined, options.nowMs, options.runs)),
      ...host.users.flatMap((u) => u.jobs.map((job) => summarizeJob(job, u.name, options.nowMs, options.runs))),
    ],
  }));
  const sources = threeTwoOne(plan).filter((s) => shown(s.host));
  return { now: new Date(options.nowMs).toISOString(), hosts, sources, warnings: sources.flatMap((s) => s.warnings) };
}
