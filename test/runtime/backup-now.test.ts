/**
 * `backup-now` on generated jobs. Without systemd (this sandbox has no systemd as PID 1) it
 * runs the job scripts for real: every enabled job in runAfter order, a follower only after
 * its job succeeded, the exit status the jobs'. The systemd path (`systemctl start`, `--user`
 * for user jobs, `journalctl --follow`) is checked through --dry-run, which prints the
 * commands it would run; test/systemd-live/host-tools.test.ts runs it under a real systemd.
 */
import { execa } from 'execa';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';

let dir: string;
let env: Record<string, string>;
const me = userInfo().username;

const snapshot = (source: string, name: string, extra = '') =>
  `{ engine: snapshot, sources: [${JSON.stringify(source)}], destination: { path: ${JSON.stringify(join('DEST', name))} }${extra} }`;

beforeAll(async () => {
  dir = await scratchDir();
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'a.txt'), 'hello\n');
  const q = JSON.stringify;
  const config = [
    'version: 1',
    'remotes:',
    '  near: { type: local }',
    'hosts:',
    '  box:',
    '    jobs:',
    `      first: ${snapshot(join(dir, 'src'), 'first')}`,
    `      second: { engine: rclone, mode: sync, source: { job: first }, target: { remote: near, path: ${q(join(dir, 'copy'))} }, runAfter: first }`,
    `      broken: ${snapshot(join(dir, 'missing'), 'broken')}`,
    `      after-broken: ${snapshot(join(dir, 'src'), 'after-broken', ', runAfter: broken')}`,
    `      off: ${snapshot(join(dir, 'src'), 'off', ', enable: false')}`,
    '    users:',
    `      ${me}:`,
    '        jobs:',
    `          mine: ${snapshot(join(dir, 'src'), 'mine')}`,
    '      someone:',
    '        jobs:',
    `          theirs: ${snapshot(join(dir, 'src'), 'theirs')}`,
    '',
  ].join('\n').replaceAll('DEST', join(dir, 'backup'));
  await writeFile(join(dir, 'backupgen.yaml'), config);
  const build = await cli(dir, 'build');
  expect(build.status, build.stderr.join('\n')).toBe(0);
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    TMPDIR: dir,
    TZ: 'UTC',
    STATE_DIRECTORY: join(dir, 'state'),
    BACKUPGEN_STATE_DIR: join(dir, 'state'),
  };
}, 60_000);
afterAll(removeScratch);

const now = (extra: Record<string, string>, ...args: string[]) =>
  execa('bash', [join(dir, 'backupgen/hosts/box/tools/backup-now.sh'), ...args], { env: { ...env, ...extra }, extendEnv: false, reject: false, stdin: 'ignore' });
const status = async (job: string) => JSON.parse(await readFile(join(dir, 'state', `${job}.status.json`), 'utf8')) as Record<string, unknown>;

describe('backup-now without systemd', () => {
  it('a named job runs now; its exit status is the result', async () => {
    const ok = await now({ BACKUPGEN_SYSTEMD: '0' }, 'first');
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr.trim().split('\n').at(-1)).toMatch(/^backupgen-first: ok: 1 files, 6 bytes, \d+s$/);
    expect(await status('first')).toMatchObject({ lastResult: 'success' });
    const bad = await now({ BACKUPGEN_SYSTEMD: '0' }, 'broken');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/backupgen-broken: FAILED: .*missing/);
    expect(await status('broken')).toMatchObject({ lastResult: 'failure' });
  });

  it('every enabled job in runAfter order; a follower of a failed job is not started', async () => {
    const r = await now({ BACKUPGEN_SYSTEMD: '0', BACKUPGEN_NOW: '2025-02-01 03:00:00' });
    expect(r.exitCode).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => / ok: | FAILED: |not started|runs as/.test(l));
    expect(lines).toEqual([
      expect.stringMatching(/^backupgen-first: ok: /),
      expect.stringMatching(/^backupgen-second: ok: /),
      expect.stringMatching(/^backupgen-broken: FAILED: /),
      'backup-now: after-broken: not started: broken did not succeed',
      expect.stringMatching(/^backupgen-mine: ok: /),
      `backup-now: theirs runs as someone: run backup-now as that user (sudo -u someone backup-now theirs)`,
    ]);
    expect(await status('second')).toMatchObject({ lastResult: 'success', lastStart: '2025-02-01T03:00:00Z' });
    expect(await readFile(join(dir, 'copy', join(dir, 'src', 'a.txt')), 'utf8')).toBe('hello\n');
    await expect(access(join(dir, 'state', 'after-broken.status.json'))).rejects.toThrow();
    await expect(access(join(dir, 'state', 'off.status.json'))).rejects.toThrow();
  });

  it('--dry-run prints the scripts it would run', async () => {
    const r = await now({ BACKUPGEN_SYSTEMD: '0' }, '--dry-run', 'first', 'mine');
    expect(r.exitCode, r.stderr).toBe(0);
    const tools = join(dir, 'backupgen/hosts/box/tools');
    expect(r.stdout.split('\n')).toEqual([`bash -- ${tools}/../scripts/first.sh`, `bash -- ${tools}/../scripts/${me}/mine.sh`]);
  });

  it('an unknown job is a usage error', async () => {
    const r = await now({ BACKUPGEN_SYSTEMD: '0' }, 'nope');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^backup-now: no job nope on this host$/m);
  });
});

describe('backup-now with systemd (--dry-run: the commands)', () => {
  it('systemctl start per job in runAfter order, user jobs through --user, journal with --follow', async () => {
    const r = await now({ BACKUPGEN_SYSTEMD: '1' }, '--dry-run', '--follow');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'journalctl --follow --lines=0 --unit=backupgen-first.service',
      'systemctl start -- backupgen-first.service',
      'journalctl --follow --lines=0 --unit=backupgen-second.service',
      'systemctl start -- backupgen-second.service',
      'journalctl --follow --lines=0 --unit=backupgen-broken.service',
      'systemctl start -- backupgen-broken.service',
      'journalctl --follow --lines=0 --unit=backupgen-after-broken.service',
      'systemctl start -- backupgen-after-broken.service',
      'journalctl --user --follow --lines=0 --user-unit=backupgen-mine.service',
      'systemctl --user start -- backupgen-mine.service',
      'journalctl --follow --lines=0 _SYSTEMD_USER_UNIT=backupgen-theirs.service',
      'systemctl --user --machine=someone@ start -- backupgen-theirs.service',
    ]);
  });
});
