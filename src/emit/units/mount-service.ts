/**
 * A system rclone mount as a long-running service, `backupgen-mount-<name>.service`.
 * Type=notify: rclone mount reports READY=1 once the file system is mounted
 * (systemd.service(5) "Type=notify"), so units ordered after it see a mounted tree.
 */
import type { MountPlan, SecretRef } from '../../plan/model.js';
import { escapeSystemdExecArg, systemdUnitValue } from '../../print/systemd/escape.js';
import { NETWORK_ONLINE } from './job-service.js';
import { seccompHardening } from './seccomp-hardening.js';
import { secretPaths, type Directive, type ServiceUnit } from './unit.js';

export function mountService(mount: MountPlan, unitName: string, secrets: readonly SecretRef[]): ServiceUnit {
  return {
    unit: [
      ['Description', systemdUnitValue(`backupgen rclone mount ${mount.name}`)],
      ['Wants', [NETWORK_ONLINE]],
      ['After', [NETWORK_ONLINE]],
    ],
    secrets,
    user: 'root',
    service: [
      ['Type', 'notify'],
      ['ExecStart', { kind: 'script' }],
      ...secretPaths(secrets),
      // rclone unmounts on SIGTERM; the lazy unmount covers a rclone that died and left
      // a stale FUSE mount ("Transport endpoint is not connected").
      [
        'ExecStop',
        { kind: 'tool', package: 'fuse3', executable: 'bin/fusermount3', args: `-uz ${escapeSystemdExecArg(mount.mountPoint)}` },
      ],
      // rclone exits 143 (128 + SIGTERM) when the stop's SIGTERM reaches it before it saw
      // the unmount (its atexit handler, lib/atexit): a normal stop, not a failure. Without
      // this a stop (uninstall.sh, shutdown) left the unit "failed" now and then, seen under
      // a real systemd (test/systemd-live).
      ['SuccessExitStatus', ['143']],
      ['Restart', 'on-failure'],
      ['RestartSec', '10s'],
      // The script keeps rclone's VFS cache (written files not yet uploaded) and, for an
      // OAuth remote, the refreshed config under $STATE_DIRECTORY/mounts/<name>.
      ['StateDirectory', 'backupgen'],
      ['RuntimeDirectory', unitName],
      ['RuntimeDirectoryMode', '0700'],
      ...mountSandbox(),
    ],
    install: [['WantedBy', ['multi-user.target']]],
  };
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
function mountSandbox(): Directive[] {
  return [
    ['CapabilityBoundingSet', ['CAP_DAC_OVERRIDE', 'CAP_SYS_ADMIN']],
    ['RestrictAddressFamilies', ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK']],
    ['RestrictSUIDSGID', true],
    ...seccompHardening(['@system-service', '@mount']),
  ];
}
