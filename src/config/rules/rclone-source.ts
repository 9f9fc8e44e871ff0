/** `source: { job: X }` reads another job's `latest` snapshot, so X is a snapshot job beside it. */
import { didYouMean } from '../did-you-mean.js';
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob } from './walk.js';

export function sourceJobIsSnapshot(config: BackupgenConfig): PathIssue[] {
  return eachJob(config).flatMap(({ job, path, siblings }) => {
    if (job.engine !== 'rclone' || typeof job.source !== 'object' || job.source.job === undefined) return [];
    const name = job.source.job;
    const at = [...path, 'source', 'job'];
    const target = Object.hasOwn(siblings, name) ? siblings[name] : undefined;
    if (target === undefined) {
      const snapshots = Object.keys(siblings).filter((n) => siblings[n]?.engine === 'snapshot');
      return [{ path: at, message: `no snapshot job \`${name}\` on this host${didYouMean(name, snapshots)}` }];
    }
    if (target.engine !== 'snapshot') return [{ path: at, message: `\`source.job\` needs a snapshot job; \`${name}\` uses engine ${target.engine}` }];
    return [];
  });
}
