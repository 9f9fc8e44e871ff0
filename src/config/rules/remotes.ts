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
    const loop = wrapLoop(config, name);
    if (loop !== undefined) return [{ path, message: `remotes wrap each other in a loop: ${loop.join(' -> ')}` }];
    return [];
  });
}

/** The chain `name -> ... -> name` when following `options.remote` comes back to `name`. */
function wrapLoop(config: BackupgenConfig, name: string): string[] | undefined {
  const chain = [name];
  for (let next = wrappedRemoteName(config.remotes[name]!.options); next !== undefined; ) {
    chain.push(next);
    if (next === name) return chain;
    if (chain.indexOf(next) < chain.length - 1 || !Object.hasOwn(config.remotes, next)) return undefined;
    next = wrappedRemoteName(config.remotes[next]!.options);
  }
  return undefined;
}
