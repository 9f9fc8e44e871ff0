/**
 * The script of a system rclone mount (`hosts/<host>/mounts/<name>.sh`, a directory of its
 * own so a mount never shares a file name with a job or a user's scripts). It reuses the
 * jobs' `rclone-config` partial, so a mount and a job build the same config from the same
 * remotes and secrets.
 */
import type { HostPlan, MountPlan, Plan, RemotePlan, SecretRef } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { renderTemplate } from './handlebars.js';
import { rcloneConfigData } from './rclone-config-data.js';
import { remoteSpec } from './rclone-args.js';

export interface MountScriptText {
  readonly path: string;
  readonly text: string;
  /** nixpkgs attribute names for writeShellApplication (sorted). */
  readonly runtimeInputs: readonly string[];
  /** Secrets the config is built from (crypt bases' included), sorted by name, unique. */
  readonly secrets: readonly SecretRef[];
  /** rclone rewrites an option (OAuth token): the config lives in the state directory. */
  readonly configInState: boolean;
}

/**
 * coreutils (mkdir, sha256sum), gawk (the partial reads a kept OAuth token), rclone, and
 * fuse3: rclone mount calls `fusermount3` from PATH to mount and unmount (rclone docs,
 * "rclone mount", Linux).
 */
const MOUNT_INPUTS = ['coreutils', 'fuse3', 'gawk', 'rclone'];

export function mountUnitName(mount: MountPlan): string {
  return `backupgen-mount-${mount.name}`;
}

export function mountScriptPath(host: HostPlan, mount: MountPlan): string {
  return `hosts/${host.name}/mounts/${mount.name}.sh`;
}

/**
 * The mount's remote plus every remote it wraps (a crypt's `remote = "b2:bucket"`), looked
 * up among the host's remotes, which the planner completes with crypt bases.
 */
export function mountRemotes(host: HostPlan, mount: MountPlan): RemotePlan[] {
  const byName = new Map(host.remotes.map((r) => [r.name, r]));
  const seen = new Map<string, RemotePlan>();
  const queue: RemotePlan[] = [mount.remote];
  while (queue.length > 0) {
    const remote = queue.shift()!;
    if (seen.has(remote.name)) continue;
    seen.set(remote.name, remote);
    for (const [key, value] of remote.options) {
      if (key !== 'remote' && key !== 'upstreams') continue;
      for (const word of value.split(/\s+/)) {
        const base = byName.get(word.split(':')[0] ?? '');
        if (base !== undefined && word.includes(':')) queue.push(base);
      }
    }
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `--vfs-cache-mode writes` -> [`--vfs-cache-mode`, `writes`]: a flag and its value. */
export function mountArgs(options: readonly string[]): string[] {
  return options.flatMap((option) => {
    const match = /^(\S+)\s+(.*)$/.exec(option.trim());
    return match === null ? [option.trim()] : [match[1]!, match[2]!];
  });
}

export function renderMountScript(plan: Plan, host: HostPlan, mount: MountPlan): MountScriptText {
  const remotes = mountRemotes(host, mount);
  const rcloneConfig = rcloneConfigData(remotes);
  const secrets = new Map(remotes.flatMap((r) => r.secrets.map((s) => [s.secret.name, s.secret] as const)));
  const data = {
    header: generatedHeader('#', plan.sourceFile),
    rcloneConfig,
    mount: {
      name: mount.name,
      tag: mountUnitName(mount),
      mountPoint: mount.mountPoint,
      source: remoteSpec(mount.remote.name, mount.path),
      args: mountArgs(mount.options),
    },
  };
  return {
    path: mountScriptPath(host, mount),
    text: renderTemplate('mount', data),
    runtimeInputs: MOUNT_INPUTS,
    secrets: [...secrets.keys()].sort().map((name) => secrets.get(name)!),
    configInState: rcloneConfig.inState,
  };
}
