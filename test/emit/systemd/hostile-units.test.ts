/**
 * Plain unit files with hostile paths (spaces, quotes, backslashes, `%`, `$`, a leading
 * dash) in every place a path reaches a unit: ReadWritePaths= (a destination), Environment=
 * (a secret's path), ExecStop= (a mount point). The whole host is emitted, installed into a
 * temporary root by its install.sh, and systemd-analyze verify --root must read every unit
 * without a complaint.
 */
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { emitAll } from '../../../src/emit/index.js';
import { archiveJob, fileSecret, host, plan, remote, snapshotJob } from '../../support/plan-builders.js';
import { addDebianBase, installedUnits } from './plain-host.js';

const H = 'odd';
const dir = await mkdtemp(join(tmpdir(), 'backupgen-hostile-units-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const WEIRD = ['/mnt/back up', '/mnt/100%', '/mnt/"q"', "/mnt/it's", '/mnt/a\\b', '/mnt/$HOME', '/mnt/-dash', '/mnt/ünï'];

it('every unit with hostile paths passes systemd-analyze verify', async () => {
  const secret = fileSecret('odd_secret', '/etc/s p/%h "q" \\ $X');
  const jobs = WEIRD.map((path, i) =>
    i % 2 === 0
      ? snapshotJob({ name: `snap${i}`, destination: { path, requireMountpoint: i % 4 === 0, minFreeGB: 0 }, secrets: [secret] }, H)
      : archiveJob({ name: `arch${i}`, destinations: [{ kind: 'local', path }], secrets: [secret] }, H),
  );
  const nas = remote({ name: 'nas', type: 'sftp', options: [['host', 'nas.lan']] });
  const mounts = WEIRD.slice(0, 3).map((mountPoint, i) => ({
    name: `m${i}`, remote: nas, path: '', mountPoint, options: [], automount: false, allowOther: false,
  }));
  const files = emitAll(plan([host({ name: H, kind: 'systemd', jobs, mounts, remotes: [nas], secrets: [secret] })]));
  for (const file of files) {
    const path = join(dir, 'out', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
    await chmod(path, file.executable === true ? 0o755 : 0o644);
  }
  const root = join(dir, 'root');
  const install = await execa(join(dir, 'out/hosts', H, 'systemd/install.sh'), ['--root', root], { reject: false });
  expect(install.stderr).not.toContain('FAILED');
  expect(install.exitCode).toBe(0);
  await addDebianBase(root);

  const units = await installedUnits(root, 'system');
  expect(units.length).toBe(WEIRD.length * 2 + 3);
  const run = await execa('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...units.map((u) => u.slice(root.length + 1))], {
    reject: false,
    cwd: root,
  });
  expect(run.stderr + run.stdout).toBe('');
  expect(run.exitCode).toBe(0);
});
