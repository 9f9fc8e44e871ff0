/** jobRuntimeInputs must say exactly what the rendered script declares, without rendering it. */
import { describe, expect, it } from 'vitest';
import { jobRuntimeInputs, renderJobScript } from '../../../src/emit/scripts/job-script.js';
import type { JobPlan } from '../../../src/plan/model.js';
import { archiveJob, host, plan, rcloneJob, remote, snapshotJob } from '../../support/plan-builders.js';

const b2 = remote({ name: 'b2', type: 'b2' });
const jobs: [string, JobPlan][] = [
  ['snapshot', snapshotJob()],
  ['snapshot with a webhook notifier', snapshotJob({ notify: [{ name: 'ops', type: 'webhook', url: { kind: 'value', value: 'https://x' }, on: ['failure'] }] })],
  ['rclone', rcloneJob()],
  ['archive, local zip', archiveJob({ format: 'zip' })],
  ['archive, remote tar.gz', archiveJob({ format: 'tar.gz', destinations: [{ kind: 'remote', remote: b2, path: 'a' }], remotes: [b2] })],
];

describe('jobRuntimeInputs', () => {
  it.each(jobs)('%s: equals the rendered script\'s runtimeInputs', (_name, job) => {
    const h = host({ name: job.host, jobs: [job] });
    const rendered = renderJobScript(plan([h]), h, job).runtimeInputs;
    expect(rendered.length).toBeGreaterThan(0);
    expect(jobRuntimeInputs(job)).toEqual(rendered);
  });
});
