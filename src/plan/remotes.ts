/** Remote names -> RemotePlan with their secrets; wrapping remotes pull in their bases. */
import { wrappedRemoteName } from '../config/rules/remotes.js';
import type { BackupgenConfig } from '../config/schema/config.js';
import type { RemotePlan } from './model.js';
import { isObscured, isRefreshedByRclone } from './rclone-options.js';
import { planSecret, type SecretScope } from './secrets.js';
import { sortedUniqueByName } from './sorted.js';

function byKey<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function planRemote(config: BackupgenConfig, name: string, scope: SecretScope): RemotePlan {
  const remote = config.remotes[name];
  if (remote === undefined) throw new Error(`planner: unknown remote \`${name}\` reached the planner`);
  return {
    name,
    type: remote.type,
    options: byKey(Object.entries(remote.options)).map(([key, value]) => [key, String(value)] as const),
    secrets: byKey(Object.entries(remote.secrets)).map(([option, secret]) => ({
      option,
      secret: planSecret(config.secrets, secret, scope),
      obscure: isObscured(remote.type, option),
      refreshedByRclone: isRefreshedByRclone(option),
    })),
  };
}

/** The remotes themselves plus every remote they wrap (crypt over b2 needs b2 too), sorted. */
export function withWrappedRemotes(config: BackupgenConfig, remotes: readonly RemotePlan[], scope: SecretScope): RemotePlan[] {
  const all = new Map(remotes.map((r) => [r.name, r]));
  const queue = [...remotes];
  for (let remote = queue.shift(); remote !== undefined; remote = queue.shift()) {
    const base = wrappedRemoteName(Object.fromEntries(remote.options));
    if (base === undefined || all.has(base) || !Object.hasOwn(config.remotes, base)) continue;
    const plan = planRemote(config, base, scope);
    all.set(base, plan);
    queue.push(plan);
  }
  return sortedUniqueByName(all.values());
}
