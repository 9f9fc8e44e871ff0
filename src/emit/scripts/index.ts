/**
 * The scripts target: one executable file per job, system and user jobs alike, rendered by
 * the engine's template (job-script.ts), and per host the runtime library they all start
 * from (runtime-library.ts). Kubernetes hosts get none here: their jobs run from the
 * ConfigMap the kubernetes target renders from the same functions, and a second copy on disk
 * that nothing runs would only mislead.
 */
import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import type { GeneratedFile } from '../types.js';
import { renderJobScript } from './job-script.js';
import { renderRuntimeLibrary } from './runtime-library.js';

export function emitScripts(plan: Plan): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  let runtime: string | undefined;
  for (const host of plan.hosts) {
    if (!hostRunsScripts(host)) continue;
    const jobs = hostJobs(host);
    const first = jobs[0];
    if (first === undefined) continue;
    // Sourced, not run: not executable. Rendered once, as it holds no host's data; every
    // job of a host has the same runtimePath (the planner's runtimePathOf).
    runtime ??= renderRuntimeLibrary(plan);
    files.push({ path: first.runtimePath, contents: runtime, executable: false });
    for (const job of jobs) {
      const script = renderJobScript(plan, host, job);
      files.push({ path: script.path, contents: script.text, executable: true });
    }
  }
  return files;
}

/** A host's system jobs, then its users' jobs. */
export function hostJobs(host: HostPlan): JobPlan[] {
  return [...host.jobs, ...host.users.flatMap((user) => user.jobs)];
}

export function hostRunsScripts(host: HostPlan): boolean {
  return host.kind !== 'kubernetes';
}
