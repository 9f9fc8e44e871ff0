/**
 * A `kind: systemd` host built by the CLI, installed by its install.sh into a temporary
 * root, and each job run the way its unit runs it: the unit file's ExecStart= (inside the
 * root) with the unit file's Environment= lines and a STATE_DIRECTORY, as systemd would set
 * them. The snapshot job succeeds and its `runAfter` follower (started by OnSuccess= in the
 * unit) runs next; the webhook reads its URL from the secret path the unit passes, and the
 * installed backup-status reads the status files. (systemd is not PID 1 in the test sandbox,
 * so systemd itself cannot start them.)
 */
import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../../cli/cli-harness.js';
import { startHttpRecorder, type HttpRecorder } from '../../runtime/support/http-recorder.js';

let dir: string;
let root: string;
let hook: HttpRecorder;

beforeAll(async () => {
  dir = await scratchDir();
  hook = await startHttpRecorder();
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'notes.txt'), 'hello');
  await writeFile(join(dir, 'hook-url'), `${hook.url}/backups\n`);
  const q = (path: string): string => JSON.stringify(join(dir, path));
  await writeFile(
    join(dir, 'backupgen.yaml'),
    [
      'version: 1',
      `secrets: { provider: file, items: { hook_url: { path: ${q('hook-url')} } } }`,
      'notifiers:',
      '  hook: { type: webhook, url: { secret: hook_url }, on: [success] }',
      'hosts:',
      '  deb:',
      '    kind: systemd',
      '    jobs:',
      '      home:',
      '        engine: snapshot',
      `        sources: [${q('src')}]`,
      `        destination: { path: ${q('backup')} }`,
      '        notify: [hook]',
      '      pack:',
      '        engine: archive',
      `        sources: [${q('src')}]`,
      `        destinations: [{ path: ${q('archives')} }]`,
      '        runAfter: home',
      '',
    ].join('\n'),
  );
  const build = await cli(dir, 'build');
  expect(build.stderr.join('\n')).toBe('');
  root = join(dir, 'root');
  const install = await execa(join(dir, 'backupgen/hosts/deb/systemd/install.sh'), ['--root', root], { reject: false });
  expect(install.exitCode).toBe(0);
});
afterAll(async () => {
  await hook.close();
  await removeScratch();
});

/** What systemd gives the service: ExecStart= and Environment= of its installed unit file. */
async function runUnit(unit: string) {
  const text = await readFile(join(root, 'etc/systemd/system', unit), 'utf8');
  const exec = /^ExecStart="([^"]+)"$/m.exec(text)![1]!;
  const env: Record<string, string> = { STATE_DIRECTORY: join(dir, 'state'), PATH: process.env['PATH']! };
  for (const [, key, value] of text.matchAll(/^Environment="([A-Z0-9_]+)=(.*)"$/gm)) env[key!] = value!.replaceAll('%%', '%');
  await mkdir(env['STATE_DIRECTORY']!, { recursive: true });
  return execa(join(root, exec), [], { reject: false, env, extendEnv: false });
}

describe('installed jobs run as their units run them', () => {
  it('the snapshot job succeeds and notifies through the secret path its unit passes', async () => {
    const run = await runUnit('backupgen-home.service');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^backupgen-home: ok: 1 files, 5 bytes, \d+s$/);
    expect(run.exitCode).toBe(0);
    expect(await readFile(join(dir, 'backup/deb/latest', dir, 'src/notes.txt'), 'utf8')).toBe('hello');
    expect(hook.requests.map((r) => [r.method, r.path, JSON.parse(r.body).event])).toEqual([['POST', '/backups', 'success']]);
  });

  it('its unit starts the runAfter job on success, which succeeds too', async () => {
    const unit = await readFile(join(root, 'etc/systemd/system/backupgen-home.service'), 'utf8');
    expect(unit).toContain('\nOnSuccess=backupgen-pack.service\n');
    const run = await runUnit('backupgen-pack.service');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^backupgen-pack: ok: /);
    expect(run.exitCode).toBe(0);
  });

  it('the installed backup-status reports both', async () => {
    const status = await execa(join(root, 'usr/local/lib/backupgen/tools/backup-status.sh'), [], {
      reject: false,
      env: { BACKUPGEN_STATE_DIR: join(dir, 'state') },
    });
    expect(status.stdout).toMatch(/^home\s+root\s+success\s/m);
    expect(status.stdout).toMatch(/^pack\s+root\s+success\s/m);
    expect(status.exitCode).toBe(0);
  });
});
