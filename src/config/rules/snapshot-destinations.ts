/**
 * Two snapshot jobs of one host writing to the same destination share
 * `<destination>/<host>/{daily,weekly,monthly}` and `latest`: each run's pruning would count
 * and delete the other job's snapshots, and `latest` would flip between them. Nothing in
 * the engine can tell whose snapshot a folder is, so the config must keep them apart.
 * Paths are compared as the host sees them: `~/x` is per user, and `/mnt/b/` is `/mnt/b`.
 */
import { posix } from 'node:path';
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob } from './walk.js';

export function snapshotDestinationsAreDistinct(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const taken = new Map<string, string>();
  for (const { hostName, scope, name, job, path } of eachJob(config)) {
    if (job.engine !== 'snapshot') continue;
    const destination = job.destination.path;
    const where = destination.startsWith('~/') && scope.kind === 'user' ? `~${scope.user}/${destination.slice(2)}` : destination;
    const key = `${hostName}\0${posix.normalize(where).replace(/(.)\/+$/, '$1')}`;
    const first = taken.get(key);
    if (first === undefined) {
      taken.set(key, name);
      continue;
    }
    issues.push({
      path: [...path, 'destination', 'path'],
      message: `the snapshot job \`${first}\` of this host already uses ${JSON.stringify(destination)}; two jobs in one destination would prune each other's snapshots (give each its own path)`,
    });
  }
  return issues;
}
