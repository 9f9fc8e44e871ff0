/**
 * A real systemd, booted as PID 1 of its own PID + mount + UTS namespace on an overlay of
 * this machine's root, so that tests can install units and start them for real without
 * touching the machine (whose PID 1 is not systemd):
 *
 *   unshare --pid --fork --mount --uts boot.sh BASE
 *     boot.sh (PID 1 of the new PID namespace, in a private mount namespace):
 *       tmpfs on BASE/ns; overlay lowerdir=/ upperdir=BASE/ns/upper -> BASE/ns/root
 *       (upper on a tmpfs: an upper dir inside the lower filesystem is refused by overlayfs)
 *       /proc (new), /sys and /dev (bind), /run and /tmp (tmpfs) in the new root;
 *       the host admin's enabled units (/etc/systemd/system/*.wants, /etc/rc?.d) removed in
 *       the overlay, so the boot is a stock Debian one and starts no second postgres or
 *       prometheus on the shared network; units that would change the shared kernel
 *       (sysctl, modules, binfmt, udev) or take its console (getty) masked;
 *       pivot_root into it, old root detached, exec /lib/systemd/systemd --system
 *
 * Every write (install.sh's /etc/systemd and /usr/local, the jobs' /var/lib/backupgen and
 * backups) lands in the tmpfs upper dir and vanishes with the namespace: killing its PID 1
 * (SIGKILL) kills every process in it and frees its mounts. The network namespace is
 * shared, so a job reaches a server the test runs on 127.0.0.1. Commands run inside with
 * `nsenter -t PID -m -p -u`; files are read and written from outside through
 * /proc/PID/root.
 */
import { execa, type Result } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SYSTEMD = '/lib/systemd/systemd';

/** Why this machine cannot boot a systemd in a namespace at all, or undefined when it can. */
export async function cannotBoot(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (unshare --pid --mount and overlayfs need root)';
  for (const tool of ['unshare', 'nsenter', 'pivot_root']) {
    if ((await execa('sh', ['-c', `command -v ${tool}`], { reject: false })).exitCode !== 0) return `${tool} is not installed (util-linux)`;
  }
  try {
    await access(SYSTEMD, constants.X_OK);
  } catch {
    return `${SYSTEMD} does not exist (package systemd)`;
  }
  if (!/\toverlay$/m.test(await readFile('/proc/filesystems', 'utf8'))) return 'the kernel has no overlayfs';
  return undefined;
}

/**
 * Units of a stock boot that would act on what the namespace shares with this machine: the
 * kernel's global sysctls (systemd-sysctl: fs.protected_* are not per namespace), its
 * modules and binfmt handlers, and its console (a getty on /dev/console). Masked in the
 * overlay; none of them matters to a backup job.
 */
const SHARED_KERNEL_UNITS = [
  'systemd-sysctl.service',
  'systemd-modules-load.service',
  'systemd-binfmt.service',
  'proc-sys-fs-binfmt_misc.automount',
  'console-getty.service',
  'getty.target',
  'serial-getty@.service',
  'systemd-udevd.service',
  'systemd-udev-trigger.service',
];

const BOOT_SH = `#!/bin/bash
set -euo pipefail
base=$1
exec >"$base/boot.log" 2>&1
mount --make-rprivate /
mkdir -p "$base/ns"
mount -t tmpfs -o mode=0755 backupgen-live "$base/ns"
mkdir -p "$base/ns/upper" "$base/ns/work" "$base/ns/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$base/ns/upper,workdir=$base/ns/work" "$base/ns/root"
r=$base/ns/root
mount -t proc proc "$r/proc"
mount --rbind /sys "$r/sys"
mount --rbind /dev "$r/dev"
mount -t tmpfs -o mode=0755 tmpfs "$r/run"
mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
rm -rf "$r"/etc/systemd/system/*.wants "$r"/etc/rc[0-6S].d
for unit in ${SHARED_KERNEL_UNITS.join(' ')}; do
  ln -sfn /dev/null "$r/etc/systemd/system/$unit"
done
echo backupgen-live >"$r/etc/hostname"
cd "$r"
mkdir -p .oldroot
pivot_root . .oldroot
umount -l /.oldroot
rmdir /.oldroot
echo "booting systemd"
exec ${SYSTEMD} --system --unit=multi-user.target </dev/null
`;

export interface LiveSystemd {
  /** PID (in this machine's namespace) of the namespace's systemd. */
  readonly pid: number;
  /** Runs a command inside the namespace (its mounts and PIDs). Never rejects. */
  readonly run: (command: string, args?: readonly string[], env?: Record<string, string>) => Promise<Result>;
  /** A path inside the namespace's root, as seen from outside. */
  readonly path: (inside: string) => string;
  /** Kills the namespace (everything in it) and removes its folder. Safe to call twice. */
  readonly stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The child `unshare --fork` started (boot.sh, then systemd), once it exists. */
async function childOf(unshare: ChildProcess, deadline: number): Promise<number> {
  const pid = unshare.pid!;
  while (Date.now() < deadline) {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim();
    if (children !== '') return Number(children.split(/\s+/)[0]);
    if (unshare.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error('unshare did not start its child');
}

/**
 * Boots systemd and waits until it is up (`is-system-running --wait`: running, or degraded
 * with a failed unit). Throws, after killing it, on anything else: a half-working boot is a
 * failure, not a skip.
 */
export async function bootSystemd(timeoutMs = 60_000): Promise<LiveSystemd> {
  const base = await mkdtemp(join(tmpdir(), 'backupgen-live-'));
  await writeFile(join(base, 'boot.sh'), BOOT_SH, { mode: 0o755 });
  const unshare = spawn('unshare', ['--pid', '--fork', '--mount', '--uts', join(base, 'boot.sh'), base], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => unshare.once('exit', () => resolve()));
  let pid = 0;
  const kill = () => {
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    if (unshare.exitCode === null) unshare.kill('SIGKILL');
  };
  process.once('exit', kill);
  const stop = async () => {
    kill();
    await Promise.race([exited, sleep(10_000)]);
    process.removeListener('exit', kill);
    await rm(base, { recursive: true, force: true });
  };
  const run = (command: string, args: readonly string[] = [], env: Record<string, string> = {}) =>
    execa('nsenter', ['-t', String(pid), '-m', '-p', '-u', '--', command, ...args], { reject: false, env, extendEnv: true, timeout: 60_000 });
  const deadline = Date.now() + timeoutMs;
  try {
    pid = await childOf(unshare, deadline);
    // systemctl needs PID 1's private socket; until systemd made it, is-system-running fails.
    let state = '';
    let said = '';
    while (Date.now() < deadline) {
      const left = Math.max(1, Math.round((deadline - Date.now()) / 1000));
      const result = await run('timeout', [String(left), 'systemctl', 'is-system-running', '--wait']);
      state = String(result.stdout).trim();
      said = String(result.stderr).trim();
      if (['running', 'degraded'].includes(state) || unshare.exitCode !== null) break;
      await sleep(200);
    }
    if (!['running', 'degraded'].includes(state)) {
      const failed = unshare.exitCode === null ? String((await run('systemctl', ['--failed', '--no-legend'])).stdout) : '';
      throw new Error(`systemd in the namespace did not come up within ${timeoutMs} ms: state "${state}" ${said}\n${failed}`);
    }
  } catch (error) {
    const log = await readFile(join(base, 'boot.log'), 'utf8').catch(() => '(none)');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nboot log (${SYSTEMD} in a namespace):\n${log.slice(-3000)}`);
  }
  return { pid, run, path: (inside) => join(`/proc/${pid}/root`, inside), stop };
}
