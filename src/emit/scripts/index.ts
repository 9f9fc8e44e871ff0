/**
 * The scripts target: one executable file per job, system and user jobs alike, rendered by
 * the engine's template (job-script.ts). Kubernetes hosts get none yet: their jobs will run
 * from ConfigMaps inside a container, which is future work, and a script on disk that
 * nothing runs would only mislead.
 */
import type { HostPlan, Plan } from '../../plan/model.js';
import type { GeneratedFile } from '../types.js';
import { renderJobScript } from './job-script.js';

export function emitScripts(plan: Plan): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const host of plan.hosts) {
    if (!hostRunsScripts(host)) continue;
    const jobs = [...host.jobs, ...host.users.flatMap((user) => user.jobs)];
    for (const job of jobs) {
      const script = renderJobScript(plan, host, job);
      files.push({ path: script.path, contents: script.text, executable: true });
    }
  }
  return files;
}

export function hostRunsScripts(host: HostPlan): boolean {
  return host.kind !== 'kubernetes';
}
