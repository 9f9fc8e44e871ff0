/**
 * The monitoring target: `monitoring/backupgen.rules.yaml`, Prometheus alerting rules over
 * the metrics every system job writes for node_exporter's textfile collector (the
 * common-metrics script partial; docs/conventions.md "Prometheus metrics"). Emitted only when
 * `monitoring.prometheus` is set. Kubernetes hosts get rules over kube-state-metrics' CronJob
 * series instead (kubernetes-rules.ts).
 *
 * The rules are written per job rather than once over all series: a job removed from the
 * config leaves its `.prom` file behind on the host, and a per-job rule set stops alerting
 * about it with the next build; it also lets a job that never wrote metrics at all (its timer
 * never fired, its unit cannot start) be caught with `absent()`, which needs the labels.
 */
import { stringify } from 'yaml';
import { parseTimespan } from '../../config/timespan.js';
import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { kubernetesRules } from './kubernetes-rules.js';
import { promDuration, promqlString, type AlertRule } from './prometheus.js';

export { promDuration, promqlString };
import type { GeneratedFile } from '../types.js';

export const RULES_PATH = 'monitoring/backupgen.rules.yaml';


export function emitMonitoring(plan: Plan): GeneratedFile[] {
  const prometheus = plan.monitoring.prometheus;
  if (prometheus === undefined) return [];
  const staleSeconds = timespanSeconds(prometheus.staleAfter);
  const rules: AlertRule[] = [];
  for (const host of plan.hosts) {
    if (host.kubernetes !== undefined) {
      rules.push(...kubernetesRules(host, host.kubernetes, staleSeconds, prometheus.staleAfter));
      continue;
    }
    // User jobs write no metrics (common-script-data.ts metricsData).
    for (const job of host.jobs) {
      rules.push(failedRule(host, job), verifyFailedRule(host, job));
      if (runsByItself(host, job)) rules.push(...staleRules(host, job, staleSeconds, prometheus.staleAfter));
    }
  }
  const document = { groups: [{ name: 'backupgen', rules }] };
  // lineWidth 0: PromQL expressions stay on one line instead of being folded.
  const yaml = stringify(document, { lineWidth: 0 });
  return [{ path: RULES_PATH, contents: `${generatedHeader('#', plan.sourceFile)}\n${yaml}` }];
}

/**
 * Whether the job runs without anyone starting it: enabled (its timer is on) and, for a
 * `runAfter` job, its predecessor runs by itself too. Only such a job can go stale; a job
 * run by hand still gets the failure alert.
 */
function runsByItself(host: HostPlan, job: JobPlan, seen: ReadonlySet<string> = new Set()): boolean {
  if (!job.enable) return false;
  if (job.runAfter === undefined) return true;
  const previous = host.jobs.find((j) => j.name === job.runAfter?.job);
  // The planner rejects runAfter cycles; `seen` only keeps this function total.
  if (previous === undefined || seen.has(previous.name)) return false;
  return runsByItself(host, previous, new Set([...seen, job.name]));
}

function failedRule(host: HostPlan, job: JobPlan): AlertRule {
  return {
    alert: 'BackupgenJobFailed',
    expr: `backupgen_last_run_success${selector(host, job)} == 0`,
    // The value stays 0 until the next run; 5m keeps a failure that was fixed and re-run at
    // once from paging.
    for: '5m',
    labels: { severity: 'warning', backup_job: job.name, host: host.name },
    annotations: {
      summary: 'backupgen job {{ $labels.backup_job }} failed on {{ $labels.host }}',
      description:
        'The last run of backupgen job {{ $labels.backup_job }} on host {{ $labels.host }} failed. ' +
        `See \`journalctl -u ${job.unitName}\` on the host.`,
    },
  };
}

/**
 * BackupgenVerifyFailed: backup-verify's last check of the job failed (its gauge, written to
 * `backupgen-<job>-verify.prom`, exists only once the job was checked, so no check means no
 * alert). The gauge stays 0 until a check passes.
 */
function verifyFailedRule(host: HostPlan, job: JobPlan): AlertRule {
  return {
    alert: 'BackupgenVerifyFailed',
    expr: `backupgen_last_verify_success${selector(host, job)} == 0`,
    for: '5m',
    labels: { severity: 'warning', backup_job: job.name, host: host.name },
    annotations: {
      summary: 'backupgen job {{ $labels.backup_job }} failed its verification on {{ $labels.host }}',
      description:
        'The last `backup-verify` of backupgen job {{ $labels.backup_job }} on host {{ $labels.host }} found a mismatch. ' +
        `\`backup-status ${job.name}\` on the host names it.`,
    },
  };
}

/**
 * BackupgenJobStale, in two rules (one alert name): the metrics say the last success is too
 * old (or that there was none while the job has not even run for that long), or there are
 * no metrics for the job at all for staleAfter (`for:` carries the time, as absent() has no
 * timestamp to compare).
 */
function staleRules(host: HostPlan, job: JobPlan, staleSeconds: number, staleAfter: string): AlertRule[] {
  const sel = selector(host, job);
  const lastSuccess = `backupgen_last_success_timestamp_seconds${sel}`;
  const lastRun = `backupgen_last_run_timestamp_seconds${sel}`;
  const summary = 'backupgen job {{ $labels.backup_job }} on {{ $labels.host }} has not succeeded for over ' + staleAfter;
  return [
    {
      alert: 'BackupgenJobStale',
      // 0 means "never succeeded" (common-metrics partial): then the age of the last run
      // counts, so a job that has failed since its first run alerts once it stops running
      // (while it keeps failing, BackupgenJobFailed is firing).
      expr:
        `(time() - ${lastSuccess} > ${staleSeconds} and ${lastSuccess} > 0)` +
        ` or (time() - ${lastRun} > ${staleSeconds} and ${lastSuccess} == 0)`,
      // The threshold already holds the time; 5m lets a run that ends right at it land.
      for: '5m',
      labels: { severity: 'critical', backup_job: job.name, host: host.name, reason: 'last_success_too_old' },
      annotations: {
        summary,
        description:
          'backupgen job {{ $labels.backup_job }} on host {{ $labels.host }} last succeeded ' +
          `more than ${staleAfter} ago (its metric backupgen_last_success_timestamp_seconds is 0 when it never did).`,
      },
    },
    {
      alert: 'BackupgenJobStale',
      expr: `absent(${lastRun})`,
      for: promDuration(staleSeconds),
      labels: { severity: 'critical', backup_job: job.name, host: host.name, reason: 'no_metrics' },
      annotations: {
        summary,
        description:
          `backupgen job {{ $labels.backup_job }} on host {{ $labels.host }} has written no metrics for ${staleAfter}: ` +
          'it has not run, or node_exporter does not read its textfile directory.',
      },
    },
  ];
}

/** `{backup_job="…",host="…"}`: PromQL string literals, escaped as in Go (`\` and `"`). */
function selector(host: HostPlan, job: JobPlan): string {
  return `{backup_job=${promqlString(job.name)},host=${promqlString(host.name)}}`;
}


/** Whole seconds of a (planner-normalized, so valid) systemd time span, rounded up. */
export function timespanSeconds(span: string): number {
  const parsed = parseTimespan(span);
  if (!parsed.ok) throw new Error(`monitoring: staleAfter ${JSON.stringify(span)}: ${parsed.error}`);
  return Number((parsed.usec + 999_999n) / 1_000_000n);
}
