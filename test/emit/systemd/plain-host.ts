/**
 * The plain-systemd fixture, compiled through the real pipeline and written to a temporary
 * output folder (scripts executable, as the writer makes them), ready for its install.sh to
 * install into a temporary root (`--root`, nothing touches this machine's /).
 */
import { execa } from 'execa';
import { cp, chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileCase } from '../../golden/fixture-cases.js';

export const HOST = 'debian-server';

export interface PlainHost {
  /** The temporary folder holding `out/` (the generated tree) and the roots the tests make. */
  readonly dir: string;
  /** `out/hosts/debian-server/systemd`: where install.sh and uninstall.sh are. */
  readonly systemdDir: string;
  readonly cleanup: () => Promise<void>;
}

export async function writePlainHost(caseName = 'plain-systemd'): Promise<PlainHost> {
  const compiled = await compileCase(caseName);
  if (!compiled.ok) throw compiled.error;
  const dir = await mkdtemp(join(tmpdir(), 'backupgen-plain-'));
  for (const file of compiled.files) {
    const path = join(dir, 'out', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
    await chmod(path, file.executable === true ? 0o755 : 0o644);
  }
  const host = compiled.plan.hosts.find((h) => h.kind === 'systemd')!.name;
  return {
    dir,
    systemdDir: join(dir, 'out', 'hosts', host, 'systemd'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs install.sh or uninstall.sh of the host into `root`. */
export function runScript(host: PlainHost, script: 'install.sh' | 'uninstall.sh', root: string, env: Record<string, string> = {}) {
  return execa(join(host.systemdDir, script), ['--root', root], { reject: false, env, extendEnv: true });
}

/**
 * What a Debian host has before backupgen comes: systemd's own units (sysinit.target,
 * timers.target, ...), so `systemd-analyze verify --root` can load the dependencies every
 * unit gets by default, and the system tools units run (fuse3's fusermount3, coreutils'
 * mkdir for a job's missing destinations).
 */
export async function addDebianBase(root: string): Promise<void> {
  await mkdir(join(root, 'usr/lib/systemd'), { recursive: true });
  await cp('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  await mkdir(join(root, 'usr/bin'), { recursive: true });
  for (const tool of ['fusermount3', 'mkdir']) {
    await cp(`/usr/bin/${tool}`, join(root, 'usr/bin', tool), { preserveTimestamps: true });
  }
}

/** Every file and symlink below `root` (not folders), relative, sorted. */
export async function treeOf(root: string, below = ''): Promise<string[]> {
  const entries = await readdir(join(root, below)).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of entries.sort()) {
    const rel = below === '' ? name : `${below}/${name}`;
    const stat = await lstat(join(root, rel));
    if (stat.isDirectory()) out.push(...(await treeOf(root, rel)));
    else out.push(rel);
  }
  return out;
}

/** The unit files install.sh put in `root`, absolute. */
export async function installedUnits(root: string, scope: 'system' | 'user'): Promise<string[]> {
  const dir = join(root, 'etc/systemd', scope);
  return (await readdir(dir)).filter((name) => /^backupgen-.*\.(service|timer)$/.test(name)).sort().map((name) => join(dir, name));
}

export { execa };
