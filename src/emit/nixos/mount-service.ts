/**
 * A system rclone mount as a long-running service, `systemd.services.backupgen-mount-<name>`.
 * Type=notify: rclone mount reports READY=1 once the file system is mounted
 * (systemd.service(5) "Type=notify"), so units ordered after it see a mounted tree.
 */
import type { MountPlan, SecretRef } from '../../plan/model.js';
import { attrs, bind, bool, interp, list, sel, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { unitSecretEnvironment } from './unit-secret-environment.js';
import { scriptExe } from '../nix-common/script-package.js';
import { escapeSystemdExecArg, systemdUnitValue } from '../../print/systemd/escape.js';
import { seccompHardening } from './seccomp-hardening.js';

export interface MountScript {
  readonly mount: MountPlan;
  readonly unitName: string;
  /** `pkgs.writeShellApplication { ... }` of the mount's script. */
  readonly package: NixExpr;
  /** Whether rclone keeps its config in the state directory (OAuth token refresh). */
  readonly configInState: boolean;
  readonly secrets: readonly SecretRef[];
}

export function mountService(m: MountScript, script: NixExpr): NixExpr {
  const network = list([str('network-online.target')]);
  return attrs([
    bind('description', str(systemdUnitValue(`backupgen rclone mount ${m.mount.name}`))),
    bind('wants', network),
    bind('after', network),
    bind('wantedBy', list([str('multi-user.target')])),
    ...(m.secrets.length > 0 ? [bind('environment', attrs(unitSecretEnvironment(m.secrets, 'root')))] : []),
    bind(
      'serviceConfig',
      attrs([
        bind('Type', str('notify')),
        bind('ExecStart', scriptExe(script)),
        // rclone unmounts on SIGTERM; the lazy unmount covers a rclone that died and left
        // a stale FUSE mount ("Transport endpoint is not connected").
        bind(
          'ExecStop',
          interp(sel(v('pkgs'), 'fuse3'), `/bin/fusermount3 -uz ${escapeSystemdExecArg(m.mount.mountPoint)}`),
        ),
        bind('Restart', str('on-failure')),
        bind('RestartSec', str('10s')),
        // The script keeps rclone's VFS cache (written files not yet uploaded) and, for an
        // OAuth remote, the refreshed config under $STATE_DIRECTORY/mounts/<name>.
        bind('StateDirectory', str('backupgen')),
        bind('RuntimeDirectory', str(m.unitName)),
        bind('RuntimeDirectoryMode', str('0700')),
        ...mountSandbox(),
      ]),
    ),
  ]);
}

/**
 * The hardening a FUSE mount can take. The mount must appear in the host's mount namespace,
 * so every option that gives the service a namespace of its own (ProtectSystem=,
 * PrivateTmp=, PrivateDevices=, ProtectKernel*=, ProtectControlGroups=, ... — systemd.exec(5)
 * says which "imply" a mount namespace) would hide it from everyone else; ProtectClock= is
 * left out too, as its device allow-list would close /dev/fuse. What remains are seccomp and
 * capability limits: mounting needs CAP_SYS_ADMIN (mount(2)), creating a mount point below a
 * user's 0700 home CAP_DAC_OVERRIDE. No UMask=: rclone derives the mounted files' modes from
 * the process umask (rclone docs, "--umask").
 */
function mountSandbox(): AttrEntry[] {
  return [
    bind('CapabilityBoundingSet', list([str('CAP_DAC_OVERRIDE'), str('CAP_SYS_ADMIN')])),
    bind('RestrictAddressFamilies', list(['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK'].map(str))),
    bind('RestrictSUIDSGID', bool(true)),
    ...seccompHardening(['@system-service', '@mount']),
  ];
}
