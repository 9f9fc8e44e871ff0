/** rclone's `--allow-other` needs `user_allow_other` in /etc/fuse.conf (programs.fuse.userAllowOther). */
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { parseMountOptions } from '../mount-options.js';
import { eachMount } from './walk.js';

export function hasAllowOther(options: readonly string[]): boolean {
  // Options may be written as one string per flag or with their value (`--allow-other=true`).
  return options.some((option) => option.split(/\s+/).some((word) => /^--allow-other(=true)?$/.test(word)));
}

export function allowOtherNeedsFuse(config: BackupgenConfig): PathIssue[] {
  return eachMount(config)
    .filter((site) => hasAllowOther(site.mount.options) && site.host.fuse?.userAllowOther !== true)
    .map((site) => ({
      path: [...site.path, 'options'],
      message: `\`--allow-other\` needs \`fuse: { userAllowOther: true }\` on host \`${site.hostName}\``,
    }));
}

/**
 * A user mount's options become home-manager's `programs.rclone` attribute set: each must be
 * an rclone flag (`--key value`, `--key=value`, `--key`), each flag once. System mounts pass
 * their options to `rclone mount` as they are.
 */
export function userMountOptionsAreFlags(config: BackupgenConfig): PathIssue[] {
  return eachMount(config).flatMap((site) => {
    if (site.scope.kind !== 'user') return [];
    const parsed = parseMountOptions(site.mount.options);
    return parsed.ok ? [] : [{ path: [...site.path, 'options'], message: parsed.error.replace(/^mount option:? /, '') }];
  });
}
