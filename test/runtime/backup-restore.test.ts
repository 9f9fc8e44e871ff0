/**
 * `backup-restore` (templates/scripts/tools/backup-restore.sh.hbs) on the snapshots real runs
 * of a generated snapshot job leave: list, restore a file from `latest` and from an older
 * snapshot, a folder with its modes, and every refusal (existing target, unknown snapshot,
 * a path the snapshot does not hold, an ambiguous job). Built through the CLI, run by hand.
 */
import { execa } from 'execa';
import { access, chmod, lstat, mkdir, readFile, readlink, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';

let dir: string;
let src: string;
let env: Record<string, string>;

const job = (source: string, name: string) =>
  `{ engine: snapshot, sources: [${JSON.stringify(source)}], destination: { path: ${JSON.stringify(`DEST/${name}`)}, requireMountpoint: false }, retention: { daily: 5, weekly: 0, monthly: 0 }, schedule: daily }`;

async function runJob(name: string, now: string): Promise<void> {
  const r = await execa('bash', [join(dir, `backupgen/hosts/box/scripts/${name}.sh`)], {
    env: { ...env, STATE_DIRECTORY: join(dir, 'state'), BACKUPGEN_NOW: now },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  expect(r.exitCode, r.stderr).toBe(0);
}

beforeAll(async () => {
  dir = await scratchDir();
  src = join(dir, 'data dir');
  await mkdir(join(src, 'docs'), { recursive: true });
  await writeFile(join(src, 'notes.txt'), 'version 1\n');
  await writeFile(join(src, 'docs', 'a.md'), 'alpha\n');
  await chmod(join(src, 'docs'), 0o750);
  // Symlinks the snapshot stores as they are, pointing out of it: at a live folder and at a
  // live file of the host. A restore through them would copy the host's files, not the
  // snapshot's (issue 10).
  await writeFile(join(dir, 'live.txt'), 'the live file\n');
  await symlink(dir, join(src, 'outside'));
  await symlink(join(dir, 'live.txt'), join(src, 'live-link'));
  await mkdir(join(dir, 'etc'));
  const config = ['version: 1', 'hosts:', '  box:', '    jobs:', `      home: ${job(src, 'home')}`, `      etc: ${job(join(dir, 'etc'), 'etc')}`, '']
    .join('\n')
    .replaceAll('DEST', join(dir, 'backup'));
  await writeFile(join(dir, 'backupgen.yaml'), config);
  const build = await cli(dir, 'build');
  expect(build.status, build.stderr.join('\n')).toBe(0);
  env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(dir, 'home'), TMPDIR: dir, TZ: 'UTC' };
  await runJob('home', '2025-01-15 02:00:00');
  await writeFile(join(src, 'notes.txt'), 'version 2\n');
  // Same size as version 1: rsync's quick check (size and mtime) must see a newer mtime.
  await utimes(join(src, 'notes.txt'), new Date('2025-01-15T12:00:00Z'), new Date('2025-01-15T12:00:00Z'));
  await runJob('home', '2025-01-16 02:00:00');
}, 60_000);
afterAll(removeScratch);

const restore = (...args: string[]) =>
  execa('bash', [join(dir, 'backupgen/hosts/box/tools/backup-restore.sh'), ...args], { env, extendEnv: false, reject: false });

describe('backup-restore', () => {
  it('lists the snapshots and latest', async () => {
    const r = await restore('--job', 'home', '--list');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['daily/2025-01-15_02-00-00', 'daily/2025-01-16_02-00-00', 'latest -> daily/2025-01-16_02-00-00']);
  });

  it('restores a file from latest and from an older snapshot, by path or bare name', async () => {
    const latest = await restore('--job', 'home', 'latest', join(src, 'notes.txt'), join(dir, 'r1.txt'));
    expect(latest.exitCode, latest.stderr).toBe(0);
    expect(latest.stdout).toBe(`restored ${join(src, 'notes.txt')} from home/daily/2025-01-16_02-00-00 to ${join(dir, 'r1.txt')}`);
    expect(await readFile(join(dir, 'r1.txt'), 'utf8')).toBe('version 2\n');
    for (const [snapshot, target] of [['daily/2025-01-15_02-00-00', 'r2.txt'], ['2025-01-15_02-00-00', 'r3.txt']] as const) {
      const r = await restore('--job=home', snapshot, join(src, 'notes.txt'), join(dir, target));
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await readFile(join(dir, target), 'utf8')).toBe('version 1\n');
    }
  });

  it('restores a folder: its contents into the new target, modes kept', async () => {
    const r = await restore('--job', 'home', 'latest', join(src, 'docs/'), join(dir, 'restored docs'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'restored docs', 'a.md'), 'utf8')).toBe('alpha\n');
    expect((await stat(join(dir, 'restored docs'))).mode & 0o777).toBe(0o750);
  });

  it('refuses: an existing target, an unknown snapshot, a path not in it, a relative path', async () => {
    await writeFile(join(dir, 'taken.txt'), 'mine\n');
    const taken = await restore('--job', 'home', 'latest', join(src, 'notes.txt'), join(dir, 'taken.txt'));
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toBe(`backup-restore: ${join(dir, 'taken.txt')} exists; restore to a new path (nothing is overwritten)`);
    expect(await readFile(join(dir, 'taken.txt'), 'utf8')).toBe('mine\n');
    const unknown = await restore('--job', 'home', 'daily/2020-01-01_00-00-00', join(src, 'notes.txt'), join(dir, 'x'));
    expect(unknown.stderr).toMatch(/^backup-restore: no snapshot daily\/2020-01-01_00-00-00 of home /);
    const missing = await restore('--job', 'home', 'latest', '/nowhere/file', join(dir, 'x'));
    expect(missing.stderr).toMatch(/^backup-restore: \/nowhere\/file is not in daily\/2025-01-16_02-00-00 /);
    const relative = await restore('--job', 'home', 'latest', 'notes.txt', join(dir, 'x'));
    expect(relative.stderr).toMatch(/^backup-restore: PATH must be absolute/);
    for (const r of [unknown, missing, relative]) expect(r.exitCode).toBe(1);
  });

  it('refuses a path with `..` or through a symlink stored in the snapshot, and writes nothing', async () => {
    const attempts = [
      [`${src}/../live.txt`, /may not contain '\.\.'/],
      [`${src}/docs/../../../../../../${dir}/live.txt`, /may not contain '\.\.'/],
      [join(src, 'outside', 'live.txt'), /is a symlink in the snapshot; a restore never follows one/],
      [join(src, 'outside', 'data dir', 'notes.txt'), /is a symlink in the snapshot/],
    ] as const;
    for (const [i, [path, message]] of attempts.entries()) {
      const target = join(dir, `escape-${i}`);
      const r = await restore('--job', 'home', 'latest', path, target);
      expect(r.exitCode, `${path}: ${r.stdout}`).toBe(1);
      expect(r.stderr).toMatch(message);
      await expect(access(target)).rejects.toThrow();
    }
  });

  it('restores a symlink stored in the snapshot as the symlink, never the file it points at', async () => {
    const target = join(dir, 'restored-link');
    const r = await restore('--job', 'home', 'latest', join(src, 'live-link'), target);
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await lstat(target)).isSymbolicLink()).toBe(true);
    expect(await readlink(target)).toBe(join(dir, 'live.txt'));
  });

  it('asks which job when the host has several; a job that never ran has nothing', async () => {
    const ambiguous = await restore('--list');
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toMatch(/several jobs; say which with --job\nusage: /);
    const never = await restore('--job', 'etc', '--list');
    expect(never.exitCode).toBe(1);
    expect(never.stderr).toBe(`backup-restore: no snapshots of etc at ${join(dir, 'backup', 'etc', 'box')} (is the backup drive mounted?)`);
  });
});
