import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { archiveRuntimeInputs, renderArchiveScript } from './archive-script.js';
import { rcloneRuntimeInputs, renderRcloneScript } from './rclone-script.js';
import { renderSnapshotScript, snapshotRuntimeInputs } from './snapshot-script.js';

/** A job's script and the nixpkgs packages it needs on PATH (writeShellApplication runtimeInputs). */
export interface JobScript {
  /** Relative to the output root: `job.scriptPath`. */
  readonly path: string;
  readonly text: string;
  /** nixpkgs attribute names, sorted and unique (`coreutils`, `rsync`, `util-linux`, ...). */
  readonly runtimeInputs: readonly string[];
}

// Asked for several times per job (its script, the Nix module, the host tools): computed once.
const runtimeInputsByJob = new WeakMap<JobPlan, readonly string[]>();

/**
 * The nixpkgs packages a job's script needs, without rendering it: the module emitters only
 * need this list, and rendering every script a second time for it doubled the emit cost.
 */
export function jobRuntimeInputs(job: JobPlan): readonly string[] {
  let inputs = runtimeInputsByJob.get(job);
  if (inputs === undefined) runtimeInputsByJob.set(job, (inputs = engineRuntimeInputs(job)));
  return inputs;
}

function engineRuntimeInputs(job: JobPlan): readonly string[] {
  switch (job.engine) {
    case 'snapshot':
      return snapshotRuntimeInputs(job);
    case 'rclone':
      return rcloneRuntimeInputs(job);
    case 'archive':
      return archiveRuntimeInputs(job);
  }
}

/** One renderer per engine; each owns its template under templates/scripts/. */
export function renderJobScript(plan: Plan, host: HostPlan, job: JobPlan): JobScript {
  switch (job.engine) {
    case 'snapshot':
      return renderSnapshotScript(plan, host, job);
    case 'rclone':
      return renderRcloneScript(plan, host, job);
    case 'archive':
      return renderArchiveScript(plan, host, job);
  }
}
