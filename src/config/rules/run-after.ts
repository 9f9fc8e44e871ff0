/** `runAfter`: the job exists on the same host in the same scope, and the chain has no cycle. */
import { didYouMean } from '../did-you-mean.js';
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob, type JobSite } from './walk.js';

export function runAfterTargetsExist(config: BackupgenConfig): PathIssue[] {
  return eachJob(config).flatMap((site) => {
    const target = site.job.runAfter;
    if (target === undefined || Object.hasOwn(site.siblings, target)) return [];
    const where = site.scope.kind === 'system' ? `system jobs of host \`${site.hostName}\`` : `jobs of user \`${site.scope.user}\` on host \`${site.hostName}\``;
    return [{
      path: [...site.path, 'runAfter'],
      message: `no job \`${target}\` among the ${where}${didYouMean(target, Object.keys(site.siblings))}`,
    }];
  });
}

/**
 * Each job has at most one `runAfter`, so following the chain from any job either ends or
 * comes back to a job already seen: that loop is the cycle. Reported once, at the job of
 * the cycle that comes first in the file.
 */
export function runAfterHasNoCycle(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const reported = new Set<string>();
  for (const site of eachJob(config)) {
    const cycle = cycleFrom(site);
    const key = `${site.path.slice(0, -1).join('\0')}\0${[...(cycle ?? [])].sort().join('\0')}`;
    if (cycle === undefined || reported.has(key)) continue;
    reported.add(key);
    issues.push({ path: [...site.path, 'runAfter'], message: `runAfter forms a cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  }
  return issues;
}

/** The cycle starting at this job, or undefined when the job is not on one. */
function cycleFrom(site: JobSite): string[] | undefined {
  const chain = [site.name];
  let current = site.siblings[site.name]?.runAfter;
  while (current !== undefined && Object.hasOwn(site.siblings, current)) {
    if (current === site.name) return chain;
    if (chain.includes(current)) return undefined; // a cycle further down, not through this job
    chain.push(current);
    current = site.siblings[current]?.runAfter;
  }
  return undefined;
}
