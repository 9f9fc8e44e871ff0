/**
 * A `file` secret at `~/...` lives in some user's home: only that user's jobs and mounts can
 * name it. A system job (root, or a configured service user) has no such home, so a system
 * job or mount that reads one would fail at run time; report it here instead.
 */
import type { IssuePath, PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { resolveSecretSource } from '../secret-source.js';
import { wrappedRemoteName } from './remotes.js';
import { eachJob, eachMount, remoteReferencesOf } from './walk.js';

export function systemJobsReadNoHomeSecrets(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const check = (remotes: string[], notifiers: readonly string[], path: IssuePath, what: string): void => {
    for (const name of secretsOf(config, remotes, notifiers)) {
      const source = resolveSecretSource(config.secrets, name);
      if (source.ok && source.source.provider === 'file' && source.source.path.startsWith('~/')) {
        issues.push({
          path,
          message: `${what} runs without a home directory but reads secret \`${name}\` at ${JSON.stringify(source.source.path)}; give it an absolute path`,
        });
      }
    }
  };
  for (const site of eachJob(config)) {
    if (site.scope.kind !== 'system') continue;
    const notify = site.job.notify ?? config.defaults.notify ?? [];
    check(remoteReferencesOf(site).map((r) => r.remote), notify, site.path, 'this system job');
  }
  for (const site of eachMount(config)) {
    if (site.scope.kind === 'system') check([site.mount.remote], [], site.path, 'this system mount');
  }
  return issues;
}

/** Secret names read through these remotes (crypt bases included) and notifiers. */
export function secretsOf(config: BackupgenConfig, remotes: string[], notifiers: readonly string[]): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const queue = [...remotes];
  for (let remote = queue.shift(); remote !== undefined; remote = queue.shift()) {
    // `seen` also stops a chain of crypt remotes that wrap each other in a loop.
    if (seen.has(remote) || !Object.hasOwn(config.remotes, remote)) continue;
    seen.add(remote);
    const spec = config.remotes[remote]!;
    Object.values(spec.secrets).forEach((secret) => names.add(secret));
    const base = wrappedRemoteName(spec.options);
    if (base !== undefined) queue.push(base);
  }
  for (const notifier of notifiers) {
    const spec = Object.hasOwn(config.notifiers, notifier) ? config.notifiers[notifier] : undefined;
    if (spec !== undefined && 'url' in spec && typeof spec.url === 'object') names.add(spec.url.secret);
  }
  return [...names].sort();
}
