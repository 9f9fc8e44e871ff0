/**
 * `backup-status` (templates/scripts/tools/backup-status.sh.hbs) reading the status files
 * that real runs of the generated jobs leave: a success, a failure, a run killed with
 * SIGKILL, a job that never ran, and a user's job. Built through the CLI, run by hand.
 */
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';

let dir: string;
let env: Record<string, string>;
const me = userInfo().username;

const snapshot = (source: string, name: string, extra = '') =>
  `{ engine: snapshot, sources: [${JSON.stringify(source)}], destination: { path: DEST/${name}, requireMountpoint: false }, retention: { daily: 3, weekly: 0, monthly: 0 }, schedule: daily${extra} }`;

beforeAll(async () => {
  dir = await scratchDir();
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'a.txt'), 'hello');
  const dest = join(dir, 'backup');
  const config = [
    'version: 1',
    'hosts:',
    '  box:',
    '    jobs:',
    `      good: ${snapshot(join(dir, 'src'), 'good')}`,
    `      broken: ${snapshot(join(dir, 'missing'), 'broken')}`,
    `      killed: ${snapshot(join(dir, 'src'), 'killed', ', before: "sleep 30"')}`,
    `      fresh: ${snapshot(join(dir, 'src'), 'fresh')}`,
    `      old: ${snapshot(join(dir, 'src'), 'old')}`,
    `      follower: ${snapshot(join(dir, 'src'), 'follower', ', runAfter: good')}`,
    '    users:',
    `      ${me}:`,
    '        jobs:',
    `          mine: ${snapshot(join(dir, 'src'), 'mine')}`,
    '',
  ].join('\n').replaceAll('DEST', dest);
  await writeFile(join(dir, 'backupgen.yaml'), config);
  const build = await cli(dir, 'build');
  expect(build.stderr.join('\n')).toBe('');
  expect(build.status).toBe(0);
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    TMPDIR: dir,
    TZ: 'UTC',
    BACKUPGEN_STATE_DIR: join(dir, 'state'),
  };
  const out = join(dir, 'backupgen/hosts/box/scripts');
  const run = (script: string, extra: Record<string, string> = {}) =>
    execa('bash', [join(out, script)], { env: { ...env, ...extra }, extendEnv: false, reject: false, stdin: 'ignore' });
  const systemState = { STATE_DIRECTORY: join(dir, 'state') };
  expect((await run('good.sh', systemState)).exitCode).toBe(0);
  expect((await run('broken.sh', systemState)).exitCode).toBe(1);
  // Its last success long ago: stale (daily schedule, no monitoring: 26h).
  expect((await run('old.sh', { ...systemState, BACKUPGEN_NOW: '2020-01-01 02:00:00' })).exitCode).toBe(0);
  // As its `systemctl --user` unit runs it: in the user's state folder (the unit sets no
  // StateDirectory=; the script, run as that user, picks ~/.local/state/backupgen; this test
  // runs as root, so it names the folder).
  expect((await run(`${me}/mine.sh`, { STATE_DIRECTORY: join(env['HOME']!, '.local/state/backupgen') })).exitCode).toBe(0);
  // Killed with SIGKILL in its before hook: the status file still says "running".
  const killed = execa('bash', [join(out, 'killed.sh')], { env: { ...env, ...systemState }, extendEnv: false, reject: false, detached: true });
  for (let i = 0; i < 100 && !(await statusSays('killed', 'running')); i++) await new Promise((r) => setTimeout(r, 100));
  process.kill(-killed.pid!, 'SIGKILL');
  await killed;
}, 60_000);
afterAll(removeScratch);

async function statusSays(job: string, result: string): Promise<boolean> {
  try {
    const { readFile } = await import('node:fs/promises');
    return (await readFile(join(dir, 'state', `${job}.status.json`), 'utf8')).includes(`"lastResult": "${result}"`);
  } catch {
    return false;
  }
}

const status = (...args: string[]) =>
  execa('bash', [join(dir, 'backupgen/hosts/box/tools/backup-status.sh'), ...args], { env, extendEnv: false, reject: false });

describe('backup-status', () => {
  it('one line per job with its last result; reasons below; exit 1 when any is not ok', async () => {
    const r = await status();
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^JOB +USER +RESULT +LAST SUCCESS +LAST RUN +FILES +BYTES +VERIFIED +NEXT RUN$/);
    const row = (job: string) => lines.find((l) => l.startsWith(`${job} `))!.split(/ {2,}/);
    expect(row('good')).toEqual(['good', 'root', 'success', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+s ago\)$/), expect.stringMatching(/Z, \d+s$/), '1', '5B', '-', '-']);
    expect(row('broken').slice(0, 4)).toEqual(['broken', 'root', 'failure', '-']);
    expect(row('killed').slice(0, 4)).toEqual(['killed', 'root', 'interrupted', '-']);
    expect(row('fresh')).toEqual(['fresh', 'root', 'never', '-', '-', '-', '-', '-', '-']);
    expect(row('follower')).toEqual(['follower', 'root', 'never', '-', '-', '-', '-', '-', 'after good']);
    expect(row('old').slice(0, 3)).toEqual(['old', 'root', 'success']);
    expect(lines).toContain('old: stale: no success for more than 26h');
    expect(row('mine').slice(0, 3)).toEqual(['mine', me, 'success']);
    expect(lines).toContainEqual(expect.stringMatching(/^broken: source .*missing.* /));
  });

  it('--json: one object per job with the status fields, the result, next run and staleness', async () => {
    const r = await status('--json', 'good', 'old', 'fresh');
    expect(r.exitCode).toBe(1);
    const jobs = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(jobs.map((j) => [j['job'], j['result'], j['stale'], j['nextRun'], j['staleAfterSeconds']])).toEqual([
      ['good', 'success', false, null, 93600],
      ['fresh', 'never', false, null, 93600],
      ['old', 'success', true, null, 93600],
    ]);
    expect(jobs[2]).toMatchObject({ lastSuccess: '2020-01-01T02:00:00Z', files: 1, bytes: 5, lastVerifyResult: null, error: null });
    const good = await status('--json', 'good');
    expect(good.exitCode).toBe(0);
  });

  it('for the jobs named, exit 0 when they are fine; an unknown job is a usage error', async () => {
    const ok = await status('good', 'mine');
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout.split('\n').map((l) => l.split(' ')[0])).toEqual(['JOB', 'good', 'mine']);
    const unknown = await status('nope');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^backup-status: no job nope on this host$/m);
  });
});
