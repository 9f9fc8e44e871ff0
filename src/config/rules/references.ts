/** Names that must exist: remotes used by jobs and mounts, notifiers used by jobs. */
import { didYouMean } from '../did-you-mean.js';
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob, eachMount, remoteReferencesOf } from './walk.js';

export function remotesExist(config: BackupgenConfig): PathIssue[] {
  const known = Object.keys(config.remotes);
  const refs = [
    ...eachJob(config).flatMap(remoteReferencesOf),
    ...eachMount(config).map((site) => ({ remote: site.mount.remote, path: [...site.path, 'remote'] })),
  ];
  return refs
    .filter((ref) => !Object.hasOwn(config.remotes, ref.remote))
    .map((ref) => ({ path: ref.path, message: `unknown remote \`${ref.remote}\`${didYouMean(ref.remote, known)}` }));
}

export function notifiersExist(config: BackupgenConfig): PathIssue[] {
  const known = Object.keys(config.notifiers);
  const lists = [
    { names: config.defaults.notify ?? [], path: ['defaults', 'notify'] },
    ...eachJob(config).map((site) => ({ names: site.job.notify ?? [], path: [...site.path, 'notify'] })),
  ];
  return lists.flatMap(({ names, path }) =>
    names.flatMap((name, index) =>
      Object.hasOwn(config.notifiers, name) ? [] : [{ path: [...path, index], message: `unknown notifier \`${name}\`${didYouMean(name, known)}` }],
    ),
  );
}
