/**
 * Paths on the host must be absolute; `~/` is allowed only where a user's home is known:
 * user jobs and user mounts (emitters resolve it against $HOME / home.homeDirectory).
 */
import type { IssuePath, PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob, eachMount, type Scope } from './walk.js';

interface PathField {
  readonly value: string;
  readonly path: IssuePath;
  readonly scope: Scope;
}

function checkPath({ value, path, scope }: PathField): PathIssue[] {
  if (value.startsWith('/')) return [];
  if (value.startsWith('~/')) {
    return scope.kind === 'user' ? [] : [{ path, message: `\`~/\` paths are only for user jobs and mounts; use an absolute path, got ${JSON.stringify(value)}` }];
  }
  const allowed = scope.kind === 'user' ? 'an absolute path or one starting with `~/`' : 'an absolute path';
  return [{ path, message: `expected ${allowed}, got ${JSON.stringify(value)}` }];
}

export function pathsAreAbsolute(config: BackupgenConfig): PathIssue[] {
  const fields: PathField[] = [];
  for (const { job, path, scope } of eachJob(config)) {
    const add = (value: string, ...rest: (string | number)[]): void => void fields.push({ value, path: [...path, ...rest], scope });
    if (job.engine === 'snapshot' || job.engine === 'archive') {
      job.sources.forEach((s, i) => (typeof s === 'string' ? add(s, 'sources', i) : add(s.path, 'sources', i, 'path')));
    }
    if (job.engine === 'snapshot') add(job.destination.path, 'destination', 'path');
    if (job.engine === 'rclone' && typeof job.source === 'string') add(job.source, 'source');
    if (job.engine === 'archive') job.destinations.forEach((d, i) => d.remote === undefined && add(d.path, 'destinations', i, 'path'));
    // A volume's mountPath is inside the container, where no home directory applies.
    if (job.volume) fields.push({ value: job.volume.mountPath, path: [...path, 'volume', 'mountPath'], scope: { kind: 'system' } });
  }
  for (const { mount, path, scope } of eachMount(config)) fields.push({ value: mount.mountPoint, path: [...path, 'mountPoint'], scope });
  const prometheus = config.monitoring.prometheus;
  if (prometheus) fields.push({ value: prometheus.textfileDir, path: ['monitoring', 'prometheus', 'textfileDir'], scope: { kind: 'system' } });
  return fields.flatMap(checkPath);
}
