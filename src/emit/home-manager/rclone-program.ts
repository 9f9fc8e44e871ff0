/**
 * The user's remotes and mounts through home-manager's own `programs.rclone`
 * (modules/programs/rclone.nix): `remotes.<name>.config` becomes ~/.config/rclone/rclone.conf
 * (written by its `rclone-config.service`) and each `mounts.<path>` becomes a
 * `rclone-mount:<path>@<remote>` user service. Secret options are never handed to its
 * `secrets.<option>`, which puts the values in rclone's argv; rclone-secrets.ts adds them to
 * the file inside rclone-config.service instead.
 */
import type { MountPlan, RemotePlan, UserPlan } from '../../plan/model.js';
import { attrs, bind, bool, str, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { homePathExpr } from './home-path.js';
import { mountOptionsToAttrs } from '../../config/mount-options.js';
import { escapeSystemdExecText } from '../../print/systemd/escape.js';

/**
 * `mounts.<path> = { enable; mountPoint; options; }`. The remote path, mount point and
 * option values reach the mount unit's ExecStart= (and ExecStartPre's mkdir) through
 * `lib.escapeShellArg` only, so they are escaped for systemd here (src/print/systemd/escape.ts).
 *
 * `automount` (mount on first access) has no counterpart: programs.rclone's `autoMount`
 * means "start at login" (WantedBy=default.target), and the user manager has no
 * `.automount` units for FUSE. Every mount therefore starts at login (autoMount's default).
 */
function mountEntry(mount: MountPlan): AttrEntry {
  const options = mountOptionsToAttrs(mount.options).map(([key, value]) =>
    bind(key, value === true ? bool(true) : str(escapeSystemdExecText(value))),
  );
  return bind(
    escapeSystemdExecText(mount.path),
    attrs([
      bind('enable', bool(true)),
      bind('mountPoint', homePathExpr(mount.mountPoint, escapeSystemdExecText)),
      ...(options.length > 0 ? [bind('options', attrs(options))] : []),
    ]),
    `backupgen mount ${mount.name}`,
  );
}

function remoteEntry(remote: RemotePlan, mounts: readonly MountPlan[]): AttrEntry {
  const config: AttrEntry[] = [bind('type', str(remote.type)), ...remote.options.map(([key, value]) => bind(key, str(value)))];
  const entries: AttrEntry[] = [bind('config', attrs(config))];
  const own = mounts.filter((mount) => mount.remote.name === remote.name);
  const seen = new Set<string>();
  for (const mount of own) {
    if (seen.has(mount.path)) {
      throw new Error(`mounts of ${remote.name}:${mount.path}: programs.rclone allows one mount per remote path`);
    }
    seen.add(mount.path);
  }
  if (own.length > 0) entries.push(bind('mounts', attrs(own.map(mountEntry))));
  return bind(remote.name, attrs(entries));
}

/** `programs.rclone = { ... };`, or nothing when the user has no remotes. */
export function rcloneProgram(user: UserPlan): AttrEntry | undefined {
  if (user.remotes.length === 0) return undefined;
  const missing = user.mounts.filter((mount) => !user.remotes.some((r) => r.name === mount.remote.name));
  if (missing.length > 0) throw new Error(`user ${user.name}: mount ${missing[0]!.name} uses a remote not in the user's remotes`);
  const entries: AttrEntry[] = [bind('enable', bool(true))];
  const remotes: NixExpr = attrs(user.remotes.map((remote) => remoteEntry(remote, user.mounts)));
  entries.push(bind('remotes', remotes));
  return bind(['programs', 'rclone'], attrs(entries));
}
