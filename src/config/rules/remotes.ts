/** A crypt remote wraps another remote: `options.remote` is "name:path" naming one that exists. */
import { didYouMean } from '../did-you-mean.js';
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';

/** The remote a crypt (or other wrapping) remote's `options.remote` points at, if any. */
export function wrappedRemoteName(options: Readonly<Record<string, string | number | boolean>>): string | undefined {
  const target = options.remote;
  if (typeof target !== 'string') return undefined;
  const colon = target.indexOf(':');
  return colon > 0 ? target.slice(0, colon) : undefined;
}

export function cryptRemotesWrapExistingRemotes(config: BackupgenConfig): PathIssue[] {
  const known = Object.keys(config.remotes);
  return Object.entries(config.remotes).flatMap(([name, remote]) => {
    if (remote.type !== 'crypt') return [];
    const path = ['remotes', name, 'options', 'remote'];
    const target = remote.options.remote;
    if (target === undefined) return [{ path: ['remotes', name, 'options'], message: 'a crypt remote needs `options.remote` ("other:path")' }];
    const base = wrappedRemoteName(remote.options);
    if (base === undefined) return [{ path, message: `expected "remote:path" naming another remote, got ${JSON.stringify(target)}` }];
    if (base === name) return [{ path, message: `crypt remote \`${name}\` cannot wrap itself` }];
    if (!Object.hasOwn(config.remotes, base)) return [{ path, message: `unknown remote \`${base}\`${didYouMean(base, known)}` }];
    return [];
  });
}
