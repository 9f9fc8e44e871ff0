/**
 * Alerts for `kind: kubernetes` hosts, over kube-state-metrics' CronJob series (a pod has no
 * node_exporter textfile directory, so the jobs write no backupgen_* metrics there):
 * `kube_cronjob_status_last_successful_time`, `kube_cronjob_status_last_schedule_time` and
 * `kube_cronjob_status_active`, labelled `namespace` and `cronjob`. One rule set per CronJob,
 * i.e. per job chain: a chain succeeds only when every step did (emit/kubernetes/layout.ts).
 * The annotations name the job and host literally: the series carry only `namespace` and
 * `cronjob`, so `{{ $labels.backup_job }}` would render empty (job names here are DNS labels
 * and host names plain, so neither can hold template syntax).
 */
import type { HostPlan, JobPlan, KubernetesHostPlan } from '../../plan/model.js';
import { cronJobName, jobChains } from '../kubernetes/layout.js';
import { promDuration, promqlString, type AlertRule } from './prometheus.js';

export function kubernetesRules(host: HostPlan, k8s: KubernetesHostPlan, staleSeconds: number, staleAfter: string): AlertRule[] {
  return jobChains(host).flatMap((chain) => {
    const first = chain[0]!;
    const rules = [failedRule(host, k8s, first, chain)];
    if (first.enable) rules.push(...staleRules(host, k8s, first, staleSeconds, staleAfter));
    return rules;
  });
}

function selector(k8s: KubernetesHostPlan, first: JobPlan): string {
  return `{namespace=${promqlString(k8s.namespace)},cronjob=${promqlString(cronJobName(first))}}`;
}

const ruleLabels = (host: HostPlan, first: JobPlan) => ({ backup_job: first.name, host: host.name });

/**
 * The last scheduled run is newer than the last success and nothing is running: that run
 * failed (or is retrying in vain). A later success clears it, unlike counting failed Jobs,
 * which the CronJob keeps around as history.
 */
function failedRule(host: HostPlan, k8s: KubernetesHostPlan, first: JobPlan, chain: readonly JobPlan[]): AlertRule {
  const sel = selector(k8s, first);
  return {
    alert: 'BackupgenJobFailed',
    expr:
      `kube_cronjob_status_last_schedule_time${sel} > on(namespace, cronjob) kube_cronjob_status_last_successful_time${sel}` +
      ` and on(namespace, cronjob) kube_cronjob_status_active${sel} == 0`,
    for: '5m',
    labels: { severity: 'warning', ...ruleLabels(host, first) },
    annotations: {
      summary: `backupgen job ${first.name} failed on ${host.name}`,
      description:
        `The last run of CronJob ${cronJobName(first)} (namespace ${k8s.namespace}; steps ${chain.map((j) => j.name).join(', ')}) failed. ` +
        `See \`kubectl -n ${k8s.namespace} get jobs -l app.kubernetes.io/component=${first.name}\` and the logs of its pods.`,
    },
  };
}

function staleRules(host: HostPlan, k8s: KubernetesHostPlan, first: JobPlan, staleSeconds: number, staleAfter: string): AlertRule[] {
  const lastSuccess = `kube_cronjob_status_last_successful_time${selector(k8s, first)}`;
  const summary = `backupgen job ${first.name} on ${host.name} has not succeeded for over ${staleAfter}`;
  return [
    {
      alert: 'BackupgenJobStale',
      expr: `time() - ${lastSuccess} > ${staleSeconds}`,
      for: '5m',
      labels: { severity: 'critical', ...ruleLabels(host, first), reason: 'last_success_too_old' },
      annotations: { summary, description: `CronJob ${cronJobName(first)} in namespace ${k8s.namespace} last succeeded more than ${staleAfter} ago.` },
    },
    {
      alert: 'BackupgenJobStale',
      // kube-state-metrics has the series only once the CronJob has succeeded.
      expr: `absent(${lastSuccess})`,
      for: promDuration(staleSeconds),
      labels: { severity: 'critical', ...ruleLabels(host, first), reason: 'no_metrics' },
      annotations: {
        summary,
        description:
          `CronJob ${cronJobName(first)} in namespace ${k8s.namespace} has no success for ${staleAfter}: ` +
          'it never succeeded, or kube-state-metrics is not scraped.',
      },
    },
  ];
}
