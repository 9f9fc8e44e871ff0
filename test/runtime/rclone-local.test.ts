/**
 * The rclone engine against rclone's `local` backend: modes, guarantee 4 (missing/empty
 * source, maxDelete), backupDir, verify catching a tampered target, the OAuth token kept
 * across runs, and secrets never reaching logs. Real rclone, temp dirs, no mocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RcloneJob } from '../../src/plan/model.js';
import { fileSecret, rcloneJob, remote } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { listFiles, writeHostileTree } from './support/rclone-trees.js';

let sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.cleanup()));
  sandboxes = [];
});

async function world() {
  const sb = await createSandbox();
  sandboxes.push(sb);
  const src = sb.path('src');
  const dst = sb.path('dst');
  await mkdir(src, { recursive: true });
  return { sb, src, dst };
}

const nas = remote({ name: 'nas', type: 'local' });

function localJob(src: string, dst: string, overrides: Partial<RcloneJob> = {}): RcloneJob {
  return rcloneJob({ source: { kind: 'path', path: src }, target: { remote: nas, path: dst }, remotes: [nas], ...overrides });
}

async function run(sb: Sandbox, job: RcloneJob, env: Record<string, string> = {}) {
  const script = await sb.writeScript(job.name, renderJob(job).text);
  return sb.run(script, { env });
}

async function writeFiles(dir: string, count: number, prefix = 'f'): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(dir, `${prefix}${i}.txt`), `${prefix}${i}\n`);
}

describe('rclone engine, local backend', () => {
  it('sync mirrors a hostile tree, deletes extras, reports files and bytes', async () => {
    const { sb, src, dst } = await world();
    await writeHostileTree(src);
    await writeFiles(dst, 1, 'stale');
    const r = await run(sb, localJob(src, dst));
    expect(r.lastLine, r.stderr).toMatch(/^backupgen-offsite: ok: 11 files, \d+ bytes/);
    expect(r.exitCode).toBe(0);
    expect(await listFiles(dst)).toEqual(await listFiles(src));
    const status = await sb.readStatus('offsite');
    expect(status['files']).toBe(11);
    expect(status['bytes']).toBeGreaterThan(200_000);
  });

  it('copy keeps extras, move empties the source, ~/ expands for user jobs', async () => {
    const { sb, dst } = await world();
    await writeFiles(join(sb.home, 'docs'), 3);
    await writeFiles(dst, 1, 'extra');
    const user = { runAs: { scope: 'user' as const, user: 'mads' } };
    const copy = await run(sb, localJob('~/docs', dst, { mode: 'copy', ...user }));
    expect(copy.exitCode, copy.stderr).toBe(0);
    expect(Object.keys(await listFiles(dst)).sort()).toEqual(['extra0.txt', 'f0.txt', 'f1.txt', 'f2.txt']);
    await writeFiles(join(sb.home, 'docs'), 1, 'moved');
    const move = await run(sb, localJob('~/docs', dst, { mode: 'move', name: 'mover', ...user }));
    expect(move.exitCode, move.stderr).toBe(0);
    expect(await listFiles(join(sb.home, 'docs'))).toEqual({});
    expect(Object.keys(await listFiles(dst))).toContain('moved0.txt');
  });

  it('follows a snapshot job\'s `latest` symlink', async () => {
    const { sb, src, dst } = await world();
    await writeFiles(join(src, '2025-01-01_02-00-00'), 2);
    await symlink('2025-01-01_02-00-00', join(src, 'latest'));
    const job = localJob(join(src, 'latest'), dst, { source: { kind: 'job', job: 'home', path: join(src, 'latest') } });
    const r = await run(sb, job);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(Object.keys(await listFiles(dst)).sort()).toEqual(['f0.txt', 'f1.txt']);
  });

  it.each([
    ['missing', async (_src: string) => undefined, /source .* is missing/],
    ['empty', async (src: string) => void (await mkdir(join(src, 'only-dirs'), { recursive: true })), /source .* is empty; refusing/],
    ['empty after excludes', async (src: string) => writeFiles(src, 2), /source .* is empty; refusing/],
  ])('refuses a %s source before touching the target', async (_label, prepare, reason) => {
    const { sb, src, dst } = await world();
    const source = join(src, 'tree');
    await mkdir(source, { recursive: true });
    const path = _label === 'missing' ? join(src, 'absent') : source;
    await prepare(source);
    await writeFiles(dst, 3, 'keep');
    const before = await listFiles(dst);
    const r = await run(sb, localJob(path, dst, { exclude: ['*.txt'] }));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(reason);
    expect(r.lastLine).toMatch(/^backupgen-offsite: FAILED: /);
    expect(await listFiles(dst)).toEqual(before);
  });

  it('refuses a remote source directory that does not exist', async () => {
    const { sb, dst } = await world();
    await writeFiles(dst, 2, 'keep');
    const job = localJob('/unused', dst, { source: { kind: 'remote', remote: nas, path: sb.path('absent') } });
    const r = await run(sb, job);
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(/FAILED: source nas:.*absent is missing; refusing to run/);
    expect(Object.keys(await listFiles(dst))).toHaveLength(2);
  });

  it('maxDelete as a count refuses before deleting anything, allows up to the limit', async () => {
    const { sb, src, dst } = await world();
    await writeFiles(src, 2);
    await writeFiles(dst, 2);
    await writeFiles(dst, 3, 'gone');
    const before = await listFiles(dst);
    const refused = await run(sb, localJob(src, dst, { maxDelete: { kind: 'count', value: 2 } }));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.lastLine).toMatch(/FAILED: sync would delete 3 files on .* more than maxDelete 2; refusing/);
    expect(await listFiles(dst)).toEqual(before);
    const allowed = await run(sb, localJob(src, dst, { maxDelete: { kind: 'count', value: 3 } }));
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(Object.keys(await listFiles(dst)).sort()).toEqual(['f0.txt', 'f1.txt']);
  });

  it('maxDelete as a percentage of the target refuses above it', async () => {
    const { sb, src, dst } = await world();
    await writeFiles(src, 8);
    await writeFiles(dst, 8);
    await writeFiles(dst, 2, 'gone'); // 2 of 10 files = 20%
    const before = await listFiles(dst);
    const refused = await run(sb, localJob(src, dst, { maxDelete: { kind: 'percent', value: 15 } }));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.lastLine).toMatch(/sync would delete 2 of 10 files .* more than maxDelete 15% \(1\); refusing/);
    expect(await listFiles(dst)).toEqual(before);
    const allowed = await run(sb, localJob(src, dst, { maxDelete: { kind: 'percent', value: 20 } }));
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(Object.keys(await listFiles(dst))).toHaveLength(8);
  });

  it('backupDir keeps replaced and deleted files in a dated sibling folder', async () => {
    const { sb, src, dst } = await world();
    await writeFile(join(src, 'a.txt'), 'new a\n');
    await mkdir(dst, { recursive: true });
    await writeFile(join(dst, 'a.txt'), 'old a, longer\n');
    await writeFile(join(dst, 'deleted.txt'), 'was here\n');
    const r = await run(sb, localJob(src, dst, { backupDir: true }));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(join(dst, 'a.txt'), 'utf8')).toBe('new a\n');
    const dated = await readdir(`${dst}-backups`);
    expect(dated).toHaveLength(1);
    expect(dated[0]).toMatch(/^\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    const kept = join(`${dst}-backups`, dated[0]!);
    expect(await readFile(join(kept, 'a.txt'), 'utf8')).toBe('old a, longer\n');
    expect(await readFile(join(kept, 'deleted.txt'), 'utf8')).toBe('was here\n');
  });

  it('verify checksum passes a good run and catches a tampered file rclone skips as unchanged', async () => {
    const { sb, src, dst } = await world();
    await writeFiles(src, 3);
    const job = localJob(src, dst, { verify: 'checksum' });
    const good = await run(sb, job);
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stderr).toContain('verify (checksum): target matches source');
    // Same size and modification time: the sync's size+modtime comparison skips the file,
    // only the checksum verification can notice.
    // touch -r keeps the nanoseconds (a JS Date would round them and rclone would notice).
    const victim = join(dst, 'f1.txt');
    await execa('touch', ['-r', victim, sb.path('stamp')]);
    await writeFile(victim, 'XX\n');
    await execa('touch', ['-r', sb.path('stamp'), victim]);
    const bad = await run(sb, job);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.lastLine).toMatch(/FAILED: verify \(checksum\) found differences/);
    const size = await run(sb, { ...job, verify: 'size' });
    expect(size.exitCode, size.stderr).toBe(0);
  });
});

describe('rclone config assembly', () => {
  it('keeps a token rclone refreshed, re-seeds it when the secret changes; 0600; no secret in logs', async () => {
    const { sb, src, dst } = await world();
    await writeFiles(src, 1);
    const tokenFile = sb.path('secrets', 'token');
    const passFile = sb.path('secrets', 'crypt pass');
    await mkdir(sb.path('secrets'));
    const seed1 = '{"access_token":"CANARY-seed-one","expiry":"2030-01-01T00:00:00Z"}';
    await writeFile(tokenFile, `${seed1}\n`);
    await writeFile(passFile, 'CANARY-pass-$x\n');
    // The drive remote is only configured, never contacted: the transfer is local to local.
    const drive = remote({
      name: 'gdrive',
      type: 'drive',
      options: [['scope', 'drive']],
      secrets: [{ option: 'token', secret: fileSecret('gdrive_token', tokenFile), obscure: false, refreshedByRclone: true }],
    });
    const vault = remote({
      name: 'vault',
      type: 'crypt',
      options: [['remote', 'gdrive:x']],
      secrets: [{ option: 'password', secret: fileSecret('crypt_pass', passFile), obscure: true, refreshedByRclone: false }],
    });
    const job = localJob(src, dst, { remotes: [drive, nas, vault] });
    const text = renderJob(job).text;
    expect(text).not.toContain('CANARY');
    const conf = join(sb.stateDir, 'offsite', 'rclone.conf');
    const tokenLine = async () => (await readFile(conf, 'utf8')).split('\n').find((l) => l.startsWith('token = '));

    const first = await run(sb, job);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr + first.stdout).not.toContain('CANARY');
    expect((await stat(conf)).mode & 0o777).toBe(0o600);
    expect(await tokenLine()).toBe(`token = ${seed1}`);
    const confText = await readFile(conf, 'utf8');
    expect(confText).not.toContain('CANARY-pass'); // stored obscured
    expect(confText).toMatch(/\[vault\]\ntype = crypt\nremote = gdrive:x\npassword = \S+\n/);

    // rclone refreshes the token and writes it back into the config it was given.
    const refreshed = '{"access_token":"CANARY-refreshed","expiry":"2031-01-01T00:00:00Z"}';
    await writeFile(conf, confText.replace(`token = ${seed1}`, `token = ${refreshed}`));
    const second = await run(sb, job);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(await tokenLine()).toBe(`token = ${refreshed}`);

    // The user rotates the secret: the new one wins over the refreshed token.
    const seed2 = '{"access_token":"CANARY-seed-two"}';
    await writeFile(tokenFile, `${seed2}\n`);
    const third = await run(sb, job);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(await tokenLine()).toBe(`token = ${seed2}`);
    expect(third.stderr + second.stderr).not.toContain('CANARY');
  });

  it('fails clearly when a secret file is missing, without writing a config', async () => {
    const { sb, src, dst } = await world();
    await writeFiles(src, 1);
    const sftp = remote({
      name: 'box',
      type: 'sftp',
      options: [['host', '127.0.0.1']],
      secrets: [{ option: 'pass', secret: fileSecret('box_pass', sb.path('nope')), obscure: true, refreshedByRclone: false }],
    });
    const r = await run(sb, localJob(src, dst, { remotes: [nas, sftp] }));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(/FAILED: secret box_pass: file .*nope does not exist/);
  });
});
