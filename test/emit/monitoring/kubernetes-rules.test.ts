/**
 * Alerts for kubernetes hosts (src/emit/monitoring/kubernetes-rules.ts) over kube-state-
 * metrics' CronJob series: one rule set per CronJob (job chain), `promtool check rules`, and a
 * `promtool test rules` scenario with the series kube-state-metrics exposes for a CronJob that
 * succeeded long ago, one that never did, one whose last run failed, and a healthy one.
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { emitMonitoring } from '../../../src/emit/monitoring/index.js';
import { archiveJob, host, plan } from '../../support/plan-builders.js';

interface Rule { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }

const prometheus = { textfileDir: '/var/lib/prometheus-node-exporter', staleAfter: '1h' };

function clusterPlan() {
  const names = ['old', 'never', 'failed', 'fresh', 'running'];
  const jobs = [
    ...names.map((name) => archiveJob({ name }, 'cluster')),
    // Runs inside old's pod: no CronJob, no rules of its own.
    archiveJob({ name: 'old-copy', runAfter: { job: 'old', unitName: 'backupgen-old' } }, 'cluster'),
    // Suspended: can fail (when run by hand) but not go stale.
    archiveJob({ name: 'off', enable: false }, 'cluster'),
  ];
  return plan([host({ name: 'cluster', kind: 'kubernetes', jobs })], { monitoring: { prometheus } });
}

async function rulesFile(dir: string): Promise<{ path: string; rules: Rule[] }> {
  const contents = emitMonitoring(clusterPlan())[0]!.contents;
  const path = join(dir, 'backupgen.rules.yaml');
  await writeFile(path, contents);
  return { path, rules: (parse(contents) as { groups: { rules: Rule[] }[] }).groups[0]!.rules };
}

describe('kubernetes alert rules', () => {
  it('one rule set per CronJob, over kube-state-metrics series; promtool check rules passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupgen-k8s-rules-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const { path, rules } = await rulesFile(dir);
    expect(rules.map((r) => `${r.alert} ${r.labels['backup_job']} ${r.labels['reason'] ?? ''}`.trim())).toEqual([
      ...['old', 'never', 'failed', 'fresh', 'running'].flatMap((j) => [`BackupgenJobFailed ${j}`, `BackupgenJobStale ${j} last_success_too_old`, `BackupgenJobStale ${j} no_metrics`]),
      'BackupgenJobFailed off',
    ]);
    expect(rules[1]!.expr).toBe('time() - kube_cronjob_status_last_successful_time{namespace="apps",cronjob="backupgen-old"} > 3600');
    const r = await execa('promtool', ['check', 'rules', path], { reject: false });
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('SUCCESS: 16 rules found');
  });

  it('promtool test rules: stale, never, failed fire; fresh and running do not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupgen-k8s-rules-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const { rules } = await rulesFile(dir);
    // promtool's clock starts at 0; at 2h time() is 7200 and staleAfter is 3600 s.
    const series = (name: string, job: string, value: number) => ({ series: `${name}{namespace="apps",cronjob="backupgen-${job}"}`, values: `${value}x150` });
    const cronjob = (job: string, lastSchedule: number, lastSuccess: number | undefined, active: number) => [
      series('kube_cronjob_status_last_schedule_time', job, lastSchedule),
      series('kube_cronjob_status_active', job, active),
      ...(lastSuccess === undefined ? [] : [series('kube_cronjob_status_last_successful_time', job, lastSuccess)]),
    ];
    const input_series = [
      ...cronjob('old', 100, 100, 0),
      // kube-state-metrics exposes last_successful_time only once the CronJob has succeeded.
      ...cronjob('never', 100, undefined, 0),
      ...cronjob('failed', 7000, 6000, 0),
      ...cronjob('fresh', 7000, 7010, 0),
      ...cronjob('running', 7100, 7000, 1),
    ];
    const expected = (job: string, alert: string, severity: string, reason?: string) => {
      const rule = rules.find((r) => r.alert === alert && r.labels['backup_job'] === job && r.labels['reason'] === reason)!;
      expect(rule.annotations['summary']).toContain(`backupgen job ${job} `);
      // The alert keeps the series' namespace and cronjob labels (absent() builds them from the selector).
      return {
        exp_labels: { severity, backup_job: job, host: 'cluster', namespace: 'apps', cronjob: `backupgen-${job}`, ...(reason === undefined ? {} : { reason }) },
        exp_annotations: rule.annotations,
      };
    };
    const test = {
      rule_files: ['backupgen.rules.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series,
        alert_rule_test: [
          { eval_time: '2h', alertname: 'BackupgenJobFailed', exp_alerts: [expected('failed', 'BackupgenJobFailed', 'warning')] },
          {
            eval_time: '2h',
            alertname: 'BackupgenJobStale',
            exp_alerts: [
              expected('old', 'BackupgenJobStale', 'critical', 'last_success_too_old'),
              // `off` (suspended) has no series either, but no stale rule: it does not run by itself.
              expected('never', 'BackupgenJobStale', 'critical', 'no_metrics'),
            ],
          },
          { eval_time: '50m', alertname: 'BackupgenJobStale', exp_alerts: [] },
        ],
      }],
    };
    await writeFile(join(dir, 'test.yaml'), JSON.stringify(test));
    const r = await execa('promtool', ['test', 'rules', join(dir, 'test.yaml')], { reject: false });
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
  });
});
