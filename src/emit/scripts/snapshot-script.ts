import type { SnapshotJob, HostPlan, Plan } from '../../plan/model.js';
import type { JobScript } from './job-script.js';
import { generatedHeader } from '../header.js';
import { shellQuote } from '../../print/shell/quote.js';

/** PLACEHOLDER until the snapshot template lands: the signature is the contract. */
export function renderSnapshotScript(plan: Plan, host: HostPlan, job: SnapshotJob): JobScript {
  const text = [
    '#!/usr/bin/env bash',
    generatedHeader('#', plan.sourceFile),
    'set -euo pipefail',
    `echo ${shellQuote(`job ${job.name} on ${host.name}: snapshot engine not implemented yet`)} >&2`,
    'exit 1',
    '',
  ].join('\n');
  return { path: job.scriptPath, text, runtimeInputs: ['coreutils'] };
}
