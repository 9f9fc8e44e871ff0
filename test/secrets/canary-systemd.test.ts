/**
 * The secret-canary lane for `kind: systemd` (host `canary-plain` of fixtures/canary: file
 * secrets only, of every kind: an obscured sftp `pass`, crypt `password`/`password2`, an
 * OAuth `token`, notifier URLs). No canary may appear:
 *   - in the generated units, scripts, install.sh/uninstall.sh (the whole tree is also
 *     scanned by canary.test.ts);
 *   - in anything install.sh puts into a temporary root (it installs paths, never copies a
 *     secret file), or in any argv while it runs;
 *   - when each job runs the way its installed unit runs it (test/emit/systemd/
 *     run-installed.test.ts): the unit's ExecStart= with its Environment= lines (the secret
 *     paths), UMask=0077, a state and a private runtime directory; not in its output, its
 *     status file, any group- or world-readable file under state/runtime/tmp, the notifier
 *     bodies, or any process' argv (sampled from /proc, and recorded exactly by wrappers).
 */
import { execa } from 'execa';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpRecorder } from '../runtime/support/http-recorder.js';
import { freePort } from '../runtime/support/rclone-server.js';
import { argvShims, shimLeaks, watchProcesses } from './support/argv-watch.js';
import { describeLeaks, filesUnder, findCanaries, groupOrWorldReadable, scanTree, type Leak } from './support/canaries.js';
import { createCanaryWorld } from './support/canary-world.js';
import { serveRclone, type Server } from './support/servers.js';

const recorder = await startHttpRecorder();
const ports = { sftp: await freePort(), webdav: await freePort(), tokenUrl: await freePort() };
const world = await createCanaryWorld({ ports, notifyBase: recorder.url });
const systemdDir = join(world.outDir, 'hosts/canary-plain/systemd');
const runRoot = join(world.root, 'plain');
const root = join(runRoot, 'root');

afterAll(async () => {
  await recorder.close();
  world.cleanup();
});

const noLeaks = (leaks: readonly Leak[]) => expect(leaks, describeLeaks(leaks)).toEqual([]);

describe('the generated plain systemd tree', () => {
  it('has units, scripts and install.sh, none holding a canary; units pass secret paths only', () => {
    const host = join(world.outDir, 'hosts/canary-plain');
    expect(filesUnder(host)).toEqual(
      expect.arrayContaining(['systemd/install.sh', 'systemd/uninstall.sh', 'systemd/system/backupgen-offsite.service', 'systemd/system/backupgen-docs.service', 'scripts/sealed.sh']),
    );
    noLeaks(scanTree(host, world.canaries));
    const unit = readFileSync(join(systemdDir, 'system/backupgen-docs.service'), 'utf8');
    expect(unit).toContain(`Environment="BACKUPGEN_SECRET_PLAIN_DRIVE_TOKEN=${world.secretFiles['plain_drive_token']}"`);
  });
});

describe('install.sh into a temporary root, then each job as its unit runs it', () => {
  const shims = argvShims(join(runRoot, 'shims'), ['rclone', 'curl', 'install', 'cp', 'systemctl']);
  const stateDir = join(runRoot, 'state');
  const tmpDir = join(runRoot, 'tmp');
  let sftp: Server;

  beforeAll(async () => {
    for (const dir of [stateDir, tmpDir, join(runRoot, 'home'), join(runRoot, 'run')]) mkdirSync(dir, { recursive: true });
    mkdirSync(join(world.srv, 'data/sub dir'), { recursive: true });
    writeFileSync(join(world.srv, 'data/a.txt'), 'alpha\n');
    writeFileSync(join(world.srv, 'data/sub dir/b.bin'), Buffer.alloc(4096, 7));
    sftp = await serveRclone('sftp', join(runRoot, 'served-sftp'), ports.sftp, world.secretValues['plain_sftp_pass']!);
  });
  afterAll(async () => {
    await sftp?.stop();
  });

  it('install.sh installs no secret and no canary; no canary in its argv', async () => {
    shims.reset();
    const watch = watchProcesses(world.canaries);
    const install = await execa(join(systemdDir, 'install.sh'), ['--root', root], {
      reject: false,
      env: { PATH: `${shims.dir}:${process.env['PATH']}` },
    });
    const watched = await watch.stop();
    expect(install.exitCode, String(install.stderr)).toBe(0);
    const installed = filesUnder(root);
    expect(installed).toEqual(expect.arrayContaining(['etc/systemd/system/backupgen-offsite.service', 'usr/local/lib/backupgen/scripts/offsite.sh']));
    // No secret file copied (each holds a canary), nothing else holding one either.
    noLeaks(scanTree(root, world.canaries));
    noLeaks(findCanaries(`${String(install.stdout)}\n${String(install.stderr)}`, world.canaries, 'install.sh output'));
    noLeaks(watched.leaks);
    noLeaks(shimLeaks(shims.calls(), world.canaries));
  });

  /** The installed unit's ExecStart= with its Environment=, as systemd starts the service. */
  async function runUnit(job: string) {
    const text = readFileSync(join(root, 'etc/systemd/system', `backupgen-${job}.service`), 'utf8');
    const exec = /^ExecStart="([^"]+)"$/m.exec(text)![1]!;
    const runtimeDir = join(runRoot, 'run', `backupgen-${job}`);
    rmSync(runtimeDir, { recursive: true, force: true });
    mkdirSync(runtimeDir, { mode: 0o700 }); // RuntimeDirectoryMode=0700
    const env: Record<string, string> = {
      PATH: `${shims.dir}:${process.env['PATH']}`,
      HOME: join(runRoot, 'home'),
      TMPDIR: tmpDir,
      LANG: 'C.UTF-8',
      STATE_DIRECTORY: stateDir,
      RUNTIME_DIRECTORY: runtimeDir,
      RCLONE_RETRIES: '1',
      RCLONE_LOW_LEVEL_RETRIES: '1',
    };
    const secretEnv = [...text.matchAll(/^Environment="(BACKUPGEN_SECRET_[A-Z0-9_]+)=(.*)"$/gm)];
    expect(secretEnv.length).toBeGreaterThan(0);
    for (const [, key, value] of text.matchAll(/^Environment="([A-Z0-9_]+)=(.*)"$/gm)) env[key!] = value!.replaceAll('%%', '%');
    shims.reset();
    const requestsBefore = recorder.requests.length;
    const watch = watchProcesses(world.canaries);
    // UMask=0077, as the unit says.
    const result = await execa('bash', ['-c', 'umask 077 && exec "$1"', 'bash', join(root, exec)], {
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 60_000,
    });
    const watched = await watch.stop();
    const output = `${String(result.stdout)}\n${String(result.stderr)}`;
    noLeaks(findCanaries(output, world.canaries, `${job} stdout/stderr`));
    const status = readFileSync(join(stateDir, `${job}.status.json`), 'utf8');
    noLeaks(findCanaries(status, world.canaries, `${job}.status.json`));
    for (const dir of [stateDir, runtimeDir, tmpDir]) {
      noLeaks(groupOrWorldReadable(dir).flatMap((file) => findCanaries(readFileSync(file), world.canaries, file)));
    }
    expect(watched.samples).toBeGreaterThan(2);
    expect([...watched.commandLines].some((line) => line.includes(exec))).toBe(true);
    noLeaks(watched.leaks);
    const calls = shims.calls();
    expect(calls.some((c) => c[0] === 'rclone')).toBe(true);
    noLeaks(shimLeaks(calls, world.canaries));
    // Both notifiers read their URL from the secret path (the requests prove it).
    const requests = recorder.requests.slice(requestsBefore);
    expect(requests.some((r) => r.path.includes('CANARY-ntfy_url-')), JSON.stringify(requests.map((r) => r.path))).toBe(true);
    expect(requests.some((r) => r.path.includes('CANARY-plain_hc_url-'))).toBe(true);
    noLeaks(requests.flatMap((r) => findCanaries(r.body, world.canaries, `notifier body ${r.path}`)));
    return { result, output, status: JSON.parse(status) as { lastResult: string } };
  }

  it('offsite (sftp, obscured file password): success', async () => {
    const run = await runUnit('offsite');
    expect(run.result.exitCode, run.output).toBe(0);
    expect(run.status.lastResult).toBe('success');
    expect(readFileSync(join(runRoot, 'served-sftp/plain-offsite/a.txt'), 'utf8')).toBe('alpha\n');
  });

  it('sealed (crypt with file password and salt): success, the copy is encrypted', async () => {
    const run = await runUnit('sealed');
    expect(run.result.exitCode, run.output).toBe(0);
    expect(run.status.lastResult).toBe('success');
    const stored = filesUnder(join(world.srv, 'plainvault'));
    expect(stored.length).toBe(2);
    expect(stored.join('\n')).not.toContain('a.txt');
  });

  it('docs (Drive OAuth token from a file, refresh fails): failure, no canary', async () => {
    const run = await runUnit('docs');
    expect(run.result.exitCode, run.output).not.toBe(0);
    expect(run.status.lastResult).toBe('failure');
  });
});
