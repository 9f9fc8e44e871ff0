import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { shellQuote } from '../../print/shell/quote.js';

/** A job's script and the nixpkgs packages it needs on PATH (writeShellApplication runtimeInputs). */
export interface JobScript {
  /** Relative to the output root: `job.scriptPath`. */
  readonly path: string;
  readonly text: string;
  /** nixpkgs attribute names, sorted (`coreutils`, `rsync`, `util-linux`, ...). */
  readonly runtimeInputs: readonly string[];
}

/** PLACEHOLDER until the engine templates land: the signature is the contract. */
export function renderJobScript(plan: Plan, host: HostPlan, job: JobPlan): JobScript {
  const text = [
    '#!/usr/bin/env bash',
    generatedHeader('#', plan.sourceFile),
    'set -euo pipefail',
    `echo ${shellQuote(`job ${job.name} on ${host.name}: engine ${job.engine} not implemented yet`)} >&2`,
    'exit 1',
    '',
  ].join('\n');
  return { path: job.scriptPath, text, runtimeInputs: ['coreutils'] };
}
