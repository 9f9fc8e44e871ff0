/**
 * A job script run by hand from a build's output folder (issue 3: "every job script runs by
 * hand too"): it sources its host's lib/runtime.sh, found from the script's real location,
 * however it is invoked. Built through the CLI, so the layout is the one users get.
 */
import { execa } from 'execa';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';

let dir: string;
let out: string;

beforeAll(async () => {
  dir = await scratchDir();
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'a file.txt'), 'hello');
  await writeFile(
    join(dir, 'backupgen.yaml'),
    [
      'version: 1',
      'hosts:',
      '  box:',
      '    jobs:',
      '      home:',
      '        engine: snapshot',
      `        sources: [${JSON.stringify(join(dir, 'src'))}]`,
      `        destination: { path: ${JSON.stringify(join(dir, 'backup'))}, requireMountpoint: false }`,
      '        retention: { daily: 30, weekly: 0, monthly: 0 }',
      '        schedule: daily',
      '',
    ].join('\n'),
  );
  const build = await cli(dir, 'build');
  expect(build.stderr.join('\n')).toBe('');
  expect(build.status).toBe(0);
  out = join(dir, 'backupgen');
});
afterAll(removeScratch);

/** Runs `command args` with a clean environment of its own; never throws on failure. */
async function run(command: string, args: string[], cwd: string) {
  const state = join(dir, 'state');
  await mkdir(state, { recursive: true });
  const r = await execa(command, args, {
    cwd,
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, STATE_DIRECTORY: state, TMPDIR: dir, TZ: 'UTC' },
  });
  return { exitCode: r.exitCode, stderr: r.stderr, lastLine: r.stderr.trimEnd().split('\n').at(-1) ?? '' };
}

const snapshots = async () => (await readdir(join(dir, 'backup', 'box', 'daily'))).length;

describe('a job script run by hand', () => {
  it('runs as an executable, with the runtime found next to the host folder', async () => {
    const r = await run(join(out, 'hosts/box/scripts/home.sh'), [], '/');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.lastLine).toMatch(/^backupgen-home: ok: 1 files, 5 bytes, /);
    expect(await snapshots()).toBe(1);
  });

  it('runs through a symlink placed elsewhere, and as `bash <relative path>`', async () => {
    await mkdir(join(dir, 'bin'), { recursive: true });
    await symlink(join(out, 'hosts/box/scripts/home.sh'), join(dir, 'bin', 'backup-home'));
    const linked = await run(join(dir, 'bin', 'backup-home'), [], dir);
    expect(linked.exitCode, linked.stderr).toBe(0);
    const relative = await run('bash', ['scripts/home.sh'], join(out, 'hosts/box'));
    expect(relative.exitCode, relative.stderr).toBe(0);
    expect(await snapshots()).toBe(3);
  });

  it('without its runtime it says what is missing and writes nothing', async () => {
    await rm(join(out, 'hosts/box/lib'), { recursive: true });
    const r = await run(join(out, 'hosts/box/scripts/home.sh'), [], '/');
    expect(r.exitCode).toBe(1);
    expect(r.lastLine).toBe(`backupgen-home: FAILED: cannot load the backupgen runtime ${out}/hosts/box/scripts/../lib/runtime.sh`);
    expect(await snapshots()).toBe(3);
  });
});
