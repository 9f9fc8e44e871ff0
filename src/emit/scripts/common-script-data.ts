import { posix } from 'node:path';
import type { HostPlan, JobPlan, NotifierPlan, Plan, SecretOrValue } from '../../plan/model.js';
import { generatedHeader } from '../header.js';

/**
 * The data every engine template gets under the `common` key; the `prologue` partial
 * (templates/scripts/partials/) reads only this. docs/conventions.md ("Script runtime")
 * describes the shell API the host's runtime library gives the engine body.
 */
export interface CommonScriptData {
  /** The generated-by comment line (one line: generatedHeader), rendered bare by `prologue`. */
  readonly header: string;
  readonly job: string;
  readonly host: string;
  readonly scope: 'system' | 'user';
  /**
   * The host's runtime library relative to the script's folder (`../lib/runtime.sh`, or
   * `../../lib/runtime.sh` for a user's script): what a hand-run script sources.
   */
  readonly runtimeFromScript: string;
  /** Hook commands; '' when the job has none (bash tests `-n`). */
  readonly before: string;
  readonly after: string;
  /**
   * One argument vector per notifier, passed through `sharray` to `bg__notify_one`:
   * `[type, name, events (comma-separated), ...type-specific]` — see notifierArgs.
   */
  readonly notifiers: readonly (readonly string[])[];
  /**
   * Prometheus textfile metrics (common-metrics partial); both '' when the config has no
   * `monitoring.prometheus` or the job is a user job (see metricsData): the runtime tests
   * the file name.
   */
  readonly metrics: MetricsScriptData;
}

export interface MetricsScriptData {
  /** `<textfileDir>/backupgen-<job>.prom`. */
  readonly file: string;
  /**
   * The label set every sample carries, `{backup_job="…",host="…"}`, already escaped for the
   * text exposition format, so the runtime pastes it as is.
   */
  readonly labels: string;
}

export function commonScriptData(plan: Plan, host: HostPlan, job: JobPlan): CommonScriptData {
  return {
    header: generatedHeader('#', plan.sourceFile),
    job: job.name,
    host: host.name,
    scope: job.runAs.scope,
    runtimeFromScript: posix.relative(posix.dirname(job.scriptPath), job.runtimePath),
    before: job.before ?? '',
    after: job.after ?? '',
    notifiers: job.notify.map(notifierArgs),
    metrics: metricsData(plan, host, job) ?? { file: '', labels: '' },
  };
}

/**
 * Only system jobs write metrics: node_exporter's textfile directory belongs to the system
 * (root-owned, read by the exporter's own user), and a user job has neither the right to
 * write there nor a way to tell its series from another user's job of the same name.
 *
 * The job's label is `backup_job`, not `job`: Prometheus attaches the scrape target's own
 * `job` label (e.g. "node") and, with the default `honor_labels: false`, renames a clashing
 * label of the exposed series to `exported_job` — alert rules matching `job` would then never
 * match (prometheus.io configuration docs, scrape_config `honor_labels`).
 */
export function metricsData(plan: Plan, host: HostPlan, job: JobPlan): MetricsScriptData | undefined {
  const prometheus = plan.monitoring.prometheus;
  // A pod has no node_exporter textfile directory: kube-state-metrics watches CronJobs.
  if (prometheus === undefined || job.runAs.scope !== 'system' || host.kind === 'kubernetes') return undefined;
  return {
    file: posix.join(prometheus.textfileDir, `backupgen-${job.name}.prom`),
    labels: `{backup_job="${promLabelValue(job.name)}",host="${promLabelValue(host.name)}"}`,
  };
}

/**
 * A label value of the Prometheus text exposition format: inside the double quotes only `\`,
 * `"` and line feed are escaped (as `\\`, `\"`, `\n`); everything else is UTF-8 as is.
 */
export function promLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/**
 * nixpkgs attribute names the common runtime needs: coreutils (date, mktemp, mv, rm, id,
 * timeout), util-linux (flock), and curl when a webhook or healthchecks notifier is
 * configured. notify-send and sendmail are used only when present on PATH (best effort),
 * so they are not runtime inputs.
 */
export function commonRuntimeInputs(job: JobPlan): string[] {
  const inputs = ['coreutils', 'util-linux'];
  if (job.notify.some((n) => n.type === 'webhook' || n.type === 'healthchecks')) inputs.push('curl');
  return inputs;
}

/** Sorted, unique nixpkgs attribute names (JobScript.runtimeInputs is sorted and unique). */
export function mergeRuntimeInputs(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

function notifierArgs(notifier: NotifierPlan): string[] {
  const head = [notifier.type, notifier.name, notifier.on.join(',')];
  switch (notifier.type) {
    case 'webhook':
    case 'healthchecks':
      return [...head, ...urlArgs(notifier.url)];
    case 'email':
      return [...head, notifier.to];
    case 'desktop':
      return head;
  }
}

/** `value URL` or `secret NAME ENVVAR DEFAULT_PATH`: the runtime reads a secret URL from its file. */
function urlArgs(url: SecretOrValue): string[] {
  return url.kind === 'value'
    ? ['value', url.value]
    : ['secret', url.secret.name, url.secret.envVar, url.secret.defaultPath];
}
