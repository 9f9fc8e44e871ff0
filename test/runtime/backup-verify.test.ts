/**
 * `backup-verify` and `backup-restore` for archive and rclone jobs, on what real runs of
 * generated jobs leave behind, locally and on an sftp remote (`rclone serve sftp` on
 * 127.0.0.1): every check passes on good state and fails, naming the file, on a deleted
 * snapshot file, a changed archive byte (local and remote) and an rclone target changed
 * behind the job's back; the result lands in the status file, survives the next run of the
 * job and shows in backup-status. Restores check the sha256 first and never overwrite.
 * Built through the CLI, run by hand.
 */
import { execa } from 'execa';
import { access, appendFile, mkdir, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';
import { startRcloneServer, type RcloneServer } from './support/rclone-server.js';

let dir: string;
let src: string;
let env: Record<string, string>;
let sftp: RcloneServer;

const out = () => join(dir, 'backupgen/hosts/box');
const state = () => join(dir, 'state');

async function runJob(name: string, now: string): Promise<void> {
  const r = await execa('bash', [join(out(), `scripts/${name}.sh`)], {
    env: { ...env, STATE_DIRECTORY: state(), BACKUPGEN_NOW: now },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  expect(r.exitCode, r.stderr).toBe(0);
}

const tool = (name: string, ...args: string[]) =>
  execa('bash', [join(out(), `tools/${name}.sh`), ...args], { env, extendEnv: false, reject: false, stdin: 'ignore' });

const status = async (job: string) => JSON.parse(await readFile(join(state(), `${job}.status.json`), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  sftp = await startRcloneServer('sftp');
  dir = await scratchDir();
  src = join(dir, 'data dir');
  await mkdir(join(src, 'docs'), { recursive: true });
  await writeFile(join(src, 'notes.txt'), 'version 1\n');
  await writeFile(join(src, 'docs', 'a.md'), 'alpha\n');
  await writeFile(join(src, 'docs', 'b.md'), 'bravo\n');
  // A symlink: stored as link.rclonelink on the sftp remote (--links), restored as a symlink.
  await symlink('notes.txt', join(src, 'link'));
  // Older than any snapshot: backup-verify compares only files unchanged since it was taken.
  await execa('touch', ['-d', '2024-06-01 00:00:00', join(src, 'notes.txt'), join(src, 'docs', 'a.md'), join(src, 'docs', 'b.md')]);
  const q = JSON.stringify;
  const config = [
    'version: 1',
    'secrets:',
    '  provider: file',
    '  items:',
    `    sftp_pass: { path: ${q(sftp.passwordFile)} }`,
    'remotes:',
    `  far: { type: sftp, options: { host: 127.0.0.1, port: "${sftp.port}", user: backup }, secrets: { pass: sftp_pass } }`,
    '  near: { type: local }',
    // The runs are dated 2025 (BACKUPGEN_NOW): a staleAfter they stay within.
    `monitoring: { prometheus: { textfileDir: ${q(join(dir, 'metrics'))}, staleAfter: 3650d } }`,
    'hosts:',
    '  box:',
    '    jobs:',
    `      snap: { engine: snapshot, sources: [${q(src)}], destination: { path: ${q(join(dir, 'snapshots'))} } }`,
    `      arch: { engine: archive, sources: [${q(src)}], format: tar.zst, destinations: [{ path: ${q(join(dir, 'archives'))} }, { remote: far, path: arch }] }`,
    `      zipped: { engine: archive, sources: [${q(src)}], format: zip, destinations: [{ path: ${q(join(dir, 'zips'))} }] }`,
    `      mirror: { engine: rclone, mode: sync, source: ${q(src)}, target: { remote: far, path: mirror }, backupDir: true }`,
    `      killed: { engine: archive, sources: [${q(src)}], format: tar.gz, destinations: [{ path: ${q(join(dir, 'killed'))} }], before: ${q(`if [ -e ${join(dir, 'slow')} ]; then sleep 30; fi`)} }`,
    `      copy: { engine: rclone, mode: sync, source: ${q(src)}, target: { remote: near, path: ${q(join(dir, 'copy'))} }, verify: size }`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'backupgen.yaml'), config);
  await mkdir(join(dir, 'metrics'));
  const build = await cli(dir, 'build');
  expect(build.status, build.stderr.join('\n')).toBe(0);
  env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(dir, 'home'), TMPDIR: dir, TZ: 'UTC', BACKUPGEN_STATE_DIR: state() };
  for (const job of ['snap', 'arch', 'zipped', 'mirror', 'copy']) await runJob(job, '2025-01-15 02:00:00');
  // A second run of the mirror after a change: the replaced file goes to a backupDir version.
  await writeFile(join(src, 'docs', 'b.md'), 'bravo 2\n');
  await execa('touch', ['-d', '2024-06-02 00:00:00', join(src, 'docs', 'b.md')]);
  for (const job of ['mirror', 'copy', 'arch']) await runJob(job, '2025-01-16 02:00:00');
  await runJob('snap', '2025-01-16 02:00:00');
  // A run killed with SIGKILL (in its before hook) after a good one: its status stays
  // `running`, the earlier archive is what there is to check and restore.
  await runJob('killed', '2025-01-15 02:00:00');
  await writeFile(join(dir, 'slow'), '');
  const killed = execa('bash', [join(out(), 'scripts/killed.sh')], {
    env: { ...env, STATE_DIRECTORY: state(), BACKUPGEN_NOW: '2025-01-16 02:00:00' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 100 && (await status('killed').catch((): Record<string, unknown> => ({})))['lastResult'] !== 'running'; i++) await new Promise((r) => setTimeout(r, 100));
  process.kill(-killed.pid!, 'SIGKILL');
  await killed;
  await rm(join(dir, 'slow'));
}, 120_000);
afterAll(async () => {
  await sftp?.stop();
  await removeScratch();
});

describe('backup-verify on good state', () => {
  it('every job verifies; the result is recorded and shown by backup-status', async () => {
    const r = await tool('backup-verify', '--sample', 'all');
    expect(r.exitCode, r.stderr).toBe(0);
    const oks = r.stderr.split('\n').filter((l) => / ok: /.test(l));
    expect(oks).toEqual([
      expect.stringMatching(/^backup-verify: snap: ok: snapshot daily\/2025-01-16_02-00-00 readable; 3 file\(s\) compared with the source$/),
      'backup-verify: arch: ok: 4 archive(s) in 2 destination(s) match their .sha256 and manifest',
      'backup-verify: zipped: ok: 1 archive(s) in 1 destination(s) match their .sha256 and manifest',
      expect.stringMatching(/^backup-verify: mirror: ok: target far:mirror matches .* \(checksum\)$/),
      'backup-verify: killed: ok: 1 archive(s) in 1 destination(s) match their .sha256 and manifest',
      expect.stringMatching(/^backup-verify: copy: ok: target near:.* matches .* \(size\)$/),
    ]);
    for (const job of ['snap', 'arch', 'zipped', 'mirror', 'copy', 'killed']) {
      const s = await status(job);
      expect(s['lastVerifyResult']).toBe('success');
      expect(s['lastVerify']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(s['lastVerifyError']).toBeNull();
      expect(s['lastResult']).toBe(job === 'killed' ? 'running' : 'success');
    }
    expect(await readFile(join(dir, 'metrics', 'backupgen-snap-verify.prom'), 'utf8')).toMatch(
      /\nbackupgen_last_verify_success\{backup_job="snap",host="box"\} 1\n/,
    );
    const st = await tool('backup-status');
    expect(st.exitCode, st.stdout).toBe(1);
    expect(st.stdout).toMatch(/\nkilled +root +interrupted +.* success \d{4}-\d\d-\d\dT[\d:]+Z  -\n/);
    expect((await tool('backup-status', 'snap', 'arch', 'zipped', 'mirror', 'copy')).exitCode).toBe(0);
    expect(st.stdout.split('\n')[0]).toMatch(/ VERIFIED +NEXT RUN$/);
    expect(st.stdout).toMatch(/\nsnap .* success \d{4}-\d\d-\d\dT[\d:]+Z  -\n/);
  });
});

describe('backup-restore for archive jobs', () => {
  it('lists the archives of every destination, oldest first', async () => {
    const r = await tool('backup-restore', '--job', 'arch', '--list');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `${join(dir, 'archives')}  arch-2025-01-15_02-00-00.tar.zst`,
      `${join(dir, 'archives')}  arch-2025-01-16_02-00-00.tar.zst`,
      'far:arch  arch-2025-01-15_02-00-00.tar.zst',
      'far:arch  arch-2025-01-16_02-00-00.tar.zst',
    ]);
  });

  it('restores a whole archive, one file and one folder, from the local and the remote destination', async () => {
    const whole = await tool('backup-restore', '--job', 'arch', 'latest', '/', join(dir, 'r-whole'));
    expect(whole.exitCode, whole.stderr).toBe(0);
    expect(await readFile(join(dir, 'r-whole', src, 'docs', 'b.md'), 'utf8')).toBe('bravo 2\n');
    const old = await tool('backup-restore', '--job', 'arch', '--from', 'far:arch', '2025-01-15_02-00-00', join(src, 'docs', 'b.md'), join(dir, 'r-old.md'));
    expect(old.exitCode, old.stderr).toBe(0);
    expect(old.stdout).toBe(`restored ${join(src, 'docs', 'b.md')} from arch-2025-01-15_02-00-00.tar.zst (far:arch) to ${join(dir, 'r-old.md')}`);
    expect(await readFile(join(dir, 'r-old.md'), 'utf8')).toBe('bravo\n');
    const folder = await tool('backup-restore', '--job', 'arch', '--from', '2', 'latest', join(src, 'docs'), join(dir, 'r-docs'));
    expect(folder.exitCode, folder.stderr).toBe(0);
    expect((await readdir(join(dir, 'r-docs'))).sort()).toEqual(['a.md', 'b.md']);
    const zip = await tool('backup-restore', '--job', 'zipped', 'latest', join(src, 'notes.txt'), join(dir, 'r-zip.txt'));
    expect(zip.exitCode, zip.stderr).toBe(0);
    expect(await readFile(join(dir, 'r-zip.txt'), 'utf8')).toBe('version 1\n');
    // No work folder is left beside the targets.
    expect((await readdir(dir)).filter((f) => f.startsWith('.backup-restore'))).toEqual([]);
  });

  it('refuses an existing target, a path with `..`, a path the archive lacks; writes nothing', async () => {
    await writeFile(join(dir, 'taken'), 'mine\n');
    const taken = await tool('backup-restore', '--job', 'arch', 'latest', '/', join(dir, 'taken'));
    expect([taken.exitCode, taken.stderr]).toEqual([1, `backup-restore: ${join(dir, 'taken')} exists; restore to a new path (nothing is overwritten)`]);
    expect(await readFile(join(dir, 'taken'), 'utf8')).toBe('mine\n');
    const dotdot = await tool('backup-restore', '--job', 'arch', 'latest', `${src}/../../etc`, join(dir, 'r-x'));
    expect(dotdot.exitCode).toBe(1);
    expect(dotdot.stderr).toMatch(/a restore path may not contain '\.\.'/);
    const missing = await tool('backup-restore', '--job', 'arch', 'latest', '/nowhere', join(dir, 'r-x'));
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/\/nowhere is not in arch-2025-01-16_02-00-00\.tar\.zst/);
    await expect(access(join(dir, 'r-x'))).rejects.toThrow();
  });

  it('refuses an archive holding a member that escapes the tree (`..`, absolute), even with a matching sha256', async () => {
    const evil = join(dir, 'zips', 'zipped-2025-01-20_00-00-00.zip');
    await execa('bash', ['-c', `cd ${JSON.stringify(dir)} && mkdir -p z/sub && echo x > z/sub/f && cd z/sub && zip -q ${JSON.stringify(evil)} ../sub/f ../../taken`]);
    await execa('bash', ['-c', `cd ${JSON.stringify(join(dir, 'zips'))} && sha256sum zipped-2025-01-20_00-00-00.zip > zipped-2025-01-20_00-00-00.zip.sha256`]);
    const r = await tool('backup-restore', '--job', 'zipped', 'latest', '/', join(dir, 'r-evil'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/holds a member outside its tree \(\.\.\/sub\/f\); nothing restored/);
    await expect(access(join(dir, 'r-evil'))).rejects.toThrow();
    await rm(evil);
    await rm(`${evil}.sha256`);
    // A tar member with an absolute name (tar -P keeps the leading /).
    const absolute = join(dir, 'killed', 'killed-2025-01-20_00-00-00.tar.gz');
    await execa('tar', ['-czPf', absolute, join(dir, 'taken')]);
    await execa('bash', ['-c', `cd ${JSON.stringify(join(dir, 'killed'))} && sha256sum killed-2025-01-20_00-00-00.tar.gz > killed-2025-01-20_00-00-00.tar.gz.sha256`]);
    const abs = await tool('backup-restore', '--job', 'killed', 'latest', '/', join(dir, 'r-abs'));
    expect(abs.exitCode).toBe(1);
    expect(abs.stderr).toContain(`holds a member outside its tree (${join(dir, 'taken')}); nothing restored`);
    await expect(access(join(dir, 'r-abs'))).rejects.toThrow();
    await rm(absolute);
    await rm(`${absolute}.sha256`);
  });
});

describe('backup-restore after a killed run', () => {
  it('restores from the archive the last good run left', async () => {
    const list = await tool('backup-restore', '--job', 'killed', '--list');
    expect(list.stdout).toBe(`${join(dir, 'killed')}  killed-2025-01-15_02-00-00.tar.gz`);
    const r = await tool('backup-restore', '--job', 'killed', 'latest', join(src, 'notes.txt'), join(dir, 'k-notes.txt'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'k-notes.txt'), 'utf8')).toBe('version 1\n');
  });
});

describe('backup-restore for rclone jobs', () => {
  it('lists latest and the backupDir versions; restores from either, never over a file', async () => {
    const list = await tool('backup-restore', '--job', 'mirror', '--list');
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout.split('\n')).toEqual(['latest  far:mirror', '2025-01-16_02-00-00  far:mirror-backups/2025-01-16_02-00-00']);
    const now = await tool('backup-restore', '--job', 'mirror', 'latest', '/docs', join(dir, 'm-docs'));
    expect(now.exitCode, now.stderr).toBe(0);
    expect(await readFile(join(dir, 'm-docs', 'b.md'), 'utf8')).toBe('bravo 2\n');
    const before = await tool('backup-restore', '--job', 'mirror', '2025-01-16_02-00-00', 'docs/b.md', join(dir, 'm-b.md'));
    expect(before.exitCode, before.stderr).toBe(0);
    expect(await readFile(join(dir, 'm-b.md'), 'utf8')).toBe('bravo\n');
    const again = await tool('backup-restore', '--job', 'mirror', 'latest', 'docs/b.md', join(dir, 'm-b.md'));
    expect(again.exitCode).toBe(1);
    expect(await readFile(join(dir, 'm-b.md'), 'utf8')).toBe('bravo\n');
    expect(await readdir(sftp.root + '/mirror')).toContain('link.rclonelink');
    const link = await tool('backup-restore', '--job', 'mirror', 'latest', 'link', join(dir, 'm-link'));
    expect(link.exitCode, link.stderr).toBe(0);
    expect(await readlink(join(dir, 'm-link'))).toBe('notes.txt');
    const dotdot = await tool('backup-restore', '--job', 'mirror', 'latest', 'docs/../../x', join(dir, 'm-x'));
    expect(dotdot.exitCode).toBe(1);
    expect(dotdot.stderr).toMatch(/may not contain '\.\.'/);
  });
});

describe('backup-verify on damaged state', () => {
  it('a deleted snapshot file fails the snapshot check, naming it', async () => {
    const victim = join(dir, 'snapshots', 'box', 'latest', src, 'docs', 'a.md');
    await rm(victim);
    const r = await tool('backup-verify', 'snap', '--sample', 'all');
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `backup-verify: snap: FAILED: ${join(src, 'docs', 'a.md')} is missing from snapshot daily/2025-01-16_02-00-00 (unchanged in the source since)`,
    );
    expect(await status('snap')).toMatchObject({ lastVerifyResult: 'failure', lastResult: 'success' });
    const metrics = await readFile(join(dir, 'metrics', 'backupgen-snap-verify.prom'), 'utf8');
    expect(metrics).toMatch(/\nbackupgen_last_verify_success\{backup_job="snap",host="box"\} 0\n/);
    expect(metrics).toMatch(/\nbackupgen_last_verify_timestamp_seconds\{backup_job="snap",host="box"\} \d+\n/);
  });

  it('a manifest that does not list what the archive holds fails, naming the member', async () => {
    const manifest = join(dir, 'archives', 'arch-2025-01-15_02-00-00.manifest.json');
    const original = await readFile(manifest, 'utf8');
    await writeFile(manifest, original.split('\n').filter((l) => !l.includes('docs/a.md')).join('\n'));
    const r = await tool('backup-verify', 'arch');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `FAILED: ${join(dir, 'archives')}/arch-2025-01-15_02-00-00.tar.zst does not hold what arch-2025-01-15_02-00-00.manifest.json lists (first differences: in the archive only: ${join(src, 'docs', 'a.md').slice(1)})`,
    );
    await writeFile(manifest, original);
    expect((await tool('backup-verify', 'arch')).exitCode).toBe(0);
  });

  it('one changed byte in a local or a remote archive fails, naming the archive', async () => {
    const flip = async (file: string) => {
      const bytes = await readFile(file);
      bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
      await writeFile(file, bytes);
    };
    await flip(join(sftp.root, 'arch', 'arch-2025-01-15_02-00-00.tar.zst'));
    const remote = await tool('backup-verify', '--job', 'arch');
    expect(remote.exitCode).toBe(1);
    expect(remote.stderr).toMatch(/backup-verify: arch: FAILED: far:arch\/arch-2025-01-15_02-00-00\.tar\.zst does not match its \.sha256 \(the archive is damaged\)\n?$/);
    const restore = await tool('backup-restore', '--job', 'arch', '--from', 'far:arch', '2025-01-15_02-00-00', '/', join(dir, 'r-bad'));
    expect(restore.exitCode).toBe(1);
    expect(restore.stderr).toMatch(/does not match its \.sha256 \(the archive is damaged\); nothing restored/);
    await expect(access(join(dir, 'r-bad'))).rejects.toThrow();
    await flip(join(dir, 'zips', 'zipped-2025-01-15_02-00-00.zip'));
    const local = await tool('backup-verify', 'zipped');
    expect(local.exitCode).toBe(1);
    expect(local.stderr).toContain(`FAILED: ${join(dir, 'zips')}/zipped-2025-01-15_02-00-00.zip does not match its .sha256`);
    const s = await status('zipped');
    expect(s['lastVerifyResult']).toBe('failure');
    expect(s['lastVerifyError']).toMatch(/zipped-2025-01-15_02-00-00\.zip does not match its \.sha256/);
  });

  it('an rclone target changed behind the job is found (contents on sftp, size on a local remote)', async () => {
    await writeFile(join(sftp.root, 'mirror', 'docs', 'a.md'), 'ALPHA\n');
    const far = await tool('backup-verify', 'mirror');
    expect(far.exitCode).toBe(1);
    expect(far.stderr).toMatch(/backup-verify: mirror: FAILED: verify \(checksum\) found differences between .* and far:mirror \(rclone exit 1\); first: docs\/a\.md: /);
    await appendFile(join(dir, 'copy', 'notes.txt'), 'more\n');
    const near = await tool('backup-verify', 'copy');
    expect(near.exitCode).toBe(1);
    expect(near.stderr).toMatch(/FAILED: verify \(size\) found differences .*; first: notes\.txt: sizes differ/);
  });

  it('a job run keeps the last verification in the status file; backup-status reports it and exits 1', async () => {
    await runJob('copy', '2025-01-17 02:00:00');
    const s = await status('copy');
    expect(s['lastStart']).toBe('2025-01-17T02:00:00Z');
    expect(s['lastVerifyResult']).toBe('failure');
    expect(s['lastVerifyError']).toMatch(/notes\.txt: sizes differ/);
    const st = await tool('backup-status', 'copy');
    expect(st.exitCode).toBe(1);
    expect(st.stdout).toMatch(/\ncopy: verify: verify \(size\) found differences .*notes\.txt: sizes differ/);
    // After the run the target matches again: the next check records success.
    const ok = await tool('backup-verify', 'copy');
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect((await status('copy'))['lastVerifyResult']).toBe('success');
  });
});
