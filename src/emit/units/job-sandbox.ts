/**
 * The sandbox of a system job's service: as much of systemd.exec(5)'s hardening as a backup
 * can live with, to lower `systemd-analyze security` exposure without breaking the job.
 *
 * What a backup needs, and so what is deliberately NOT restricted:
 * - it reads everything it backs up, including /home: no ProtectHome (systemd.exec(5)
 *   "ProtectHome=" would hide or empty /home, /root and /run/user), no PrivateUsers;
 * - as root it reads files it does not own (CAP_DAC_READ_SEARCH) and, for snapshots,
 *   recreates owners, modes, times, hard links and xattrs (`rsync -aHAX`: CAP_CHOWN,
 *   CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_SETFCAP, CAP_MKNOD for device nodes);
 * - a snapshot is a faithful copy, so it keeps set-user-ID / set-group-ID bits (setgid
 *   directories are common under /home and /var/lib) and device nodes: snapshots get neither
 *   RestrictSUIDSGID= nor PrivateDevices= (both would make rsync's chmod/mknod fail and the
 *   run exit 23). Archive and rclone jobs only read the tree and write files, so they get both;
 * - `stopServices` talks to systemd over /run/systemd/private (AF_UNIX). ProtectSystem=strict
 *   leaves connect(2) on a socket working on a read-only mount (only regular files,
 *   directories and symlinks get EROFS), so nothing extra is needed beyond AF_UNIX;
 * - it writes only its destinations, its state and runtime directories: ProtectSystem=strict
 *   plus ReadWritePaths for the local destinations. The `-` prefix (systemd.exec(5)) keeps the
 *   unit startable when a destination is absent (an unplugged disk): the script then reports
 *   "not mounted" instead of systemd failing with a namespace error.
 * `before`/`after` hooks run inside this sandbox too; a hook that writes elsewhere needs
 * `systemd.services.backupgen-<job>.serviceConfig.ReadWritePaths` in the user's NixOS config
 * (a list: it merges with ours), or a drop-in on a plain systemd host.
 */
import { posix } from 'node:path';
import type { JobPlan } from '../../plan/model.js';
import { seccompHardening } from './seccomp-hardening.js';
import { optional, type Directive } from './unit.js';

/** Capabilities root keeps: enough for `rsync -aHAX` and tar/rclone reading any file. */
const ROOT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_SETFCAP',
] as const;

/** Local paths the job writes to (created by the job, not by systemd). */
export function writablePaths(job: JobPlan): string[] {
  switch (job.engine) {
    case 'snapshot':
      // requireMountpoint is checked with mountpoint(1), which reads /proc/self/mountinfo.
      // systemd makes a ReadWritePaths= entry that is not a mount point writable by
      // bind-mounting it onto itself (src/core/namespace.c, apply_one_mount), so inside the
      // unit an unmounted destination would look mounted and the snapshot would land on the
      // root file system. Its parent is made writable instead; the parent's bind mount is
      // recursive, so a real mount at the destination still shows as one.
      return [job.destination.requireMountpoint ? posix.dirname(job.destination.path) : job.destination.path];
    case 'archive':
      return job.destinations.flatMap((d) => (d.kind === 'local' ? [d.path] : []));
    case 'rclone': {
      const paths: string[] = [];
      // A `local` remote is a path on this machine (config.md "nas: { type: local }").
      if (job.target.remote.type === 'local') paths.push(job.target.path);
      // `move` deletes what it transferred from the source.
      if (job.mode === 'move' && job.source.kind !== 'remote') paths.push(job.source.path);
      if (job.mode === 'move' && job.source.kind === 'remote' && job.source.remote.type === 'local') {
        paths.push(job.source.path);
      }
      return paths;
    }
  }
}

/**
 * The destinations a root job creates when they are missing (a first run). ProtectSystem=strict
 * makes everything outside ReadWritePaths= read-only, and a `-` entry whose path does not
 * exist yet is dropped, so inside the sandbox the job could not create them: the unit creates
 * them first, with a privileged ExecStartPre= (job-service.ts), just as the job would
 * unsandboxed. Not a snapshot destination that must be a mount point (an unplugged disk
 * stays "not mounted"), not a source, and not for a job of another user, who could not
 * create them unsandboxed either (such a job's destination must exist).
 */
export function destinationsToCreate(job: JobPlan): string[] {
  if (job.runAs.user !== 'root') return [];
  switch (job.engine) {
    case 'snapshot':
      return job.destination.requireMountpoint ? [] : [job.destination.path];
    case 'archive':
      return job.destinations.flatMap((d) => (d.kind === 'local' ? [d.path] : []));
    case 'rclone':
      return job.target.remote.type === 'local' ? [job.target.path] : [];
  }
}

/**
 * `metricsDir`: node_exporter's textfile directory when `monitoring.prometheus` is set; the
 * script writes `backupgen-<job>.prom` there (common-metrics partial). With the `-` prefix a
 * missing directory leaves the unit startable; the script then logs that it has no metrics.
 */
export function sandbox(job: JobPlan, metricsDir?: string): Directive[] {
  const asRoot = job.runAs.user === 'root';
  const faithfulCopy = job.engine === 'snapshot';
  const capabilities: string[] = asRoot ? [...ROOT_CAPABILITIES, ...(faithfulCopy ? ['CAP_MKNOD'] : [])].sort() : [];
  const written = [...writablePaths(job), ...(metricsDir === undefined ? [] : [metricsDir])];
  const rw = [...new Set(written.filter((p) => p.startsWith('/')))].sort();
  const families = job.needsNetwork ? ['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK'] : ['AF_UNIX'];
  return [
    // Backups are background work: lowest CPU and I/O priority (the seeds' "Nice 19, idle").
    ['Nice', 19],
    ['IOSchedulingClass', 'idle'],
    // Backups are private: whatever the job creates (archives, status) is not world-readable.
    ['UMask', '0077'],
    ['ProtectSystem', 'strict'],
    ...optional(rw.length > 0, 'ReadWritePaths', rw.map(optionalPathItem)),
    ['PrivateTmp', true],
    // Mounts made inside the unit stay there (none are: no CAP_SYS_ADMIN); mounts on the
    // host, such as a disk plugged in during a run, still show inside. Keeps the snapshot
    // job's exposure at 2.9 (systemd-analyze security), under the 3.0 every job meets.
    ['PrivateMounts', true],
    ...optional(!faithfulCopy, 'PrivateDevices', true),
    // A job that never talks to the network gets none (notifiers set needsNetwork).
    ...optional(!job.needsNetwork, 'PrivateNetwork', true),
    ['RestrictAddressFamilies', families],
    // Empty: no capability at all (systemd.exec(5) "CapabilityBoundingSet=").
    ['CapabilityBoundingSet', asRoot ? capabilities : ''],
    ['ProtectKernelTunables', true],
    ['ProtectKernelModules', true],
    ['ProtectKernelLogs', true],
    ['ProtectControlGroups', true],
    ['ProtectClock', true],
    ['ProtectHostname', true],
    ['ProtectProc', 'invisible'],
    ...optional(!faithfulCopy, 'RestrictSUIDSGID', true),
    ...seccompHardening(['@system-service']),
  ];
}

/**
 * One item of a path-list setting (ReadWritePaths=): systemd splits the value into words with
 * C-style unquoting (systemd.exec(5), "ReadWritePaths="; systemd.syntax(7) "Quoting"), so a
 * path with spaces or quotes is double-quoted, `\` and `"` escaped, `%` doubled (specifiers,
 * systemd.unit(5)). `$` is not expanded there. The `-` prefix goes inside the quotes: systemd
 * reads it from the unquoted word. It makes a missing path (an unplugged disk) no error.
 */
export function optionalPathItem(path: string): string {
  if (/[\n\r\0]/.test(path)) throw new Error(`ReadWritePaths: path cannot hold a line break: ${JSON.stringify(path)}`);
  const escaped = path.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%');
  return /^[A-Za-z0-9_./+@:,=-]+$/.test(path) ? `-${escaped}` : `"-${escaped}"`;
}
