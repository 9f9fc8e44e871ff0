/**
 * The plain units of a `kind: systemd` host, run by a real systemd. This machine's PID 1 is
 * not systemd, so namespace-systemd.ts boots one as PID 1 of a new PID + mount namespace on
 * an overlay of / (upper dir on a tmpfs that dies with the namespace): install.sh runs
 * LIVE in it (no --root: daemon-reload, `enable --now` of the timers and of an rclone FUSE
 * mount), the jobs are started with `systemctl start` (a user's with `systemctl --user -M
 * dana@` in user@4242.service), runAfter's OnSuccess= is seen to start (or not start) the
 * follower, an archive job stops and restarts a service through systemd, the sandbox is seen
 * to hold, backup-status and the journal are read, a reinstall of the next config drops a
 * removed job's timer, and uninstall.sh stops and removes it all. Nothing of it touches this
 * machine's files (namespace-systemd.ts says how).
 *
 * Skips only when the machine cannot do this at all (not root, no unshare/nsenter, no
 * /lib/systemd/systemd, no overlayfs); a boot that starts but does not come up fails.
 */
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';
import { startHttpRecorder, type HttpRecorder } from '../runtime/support/http-recorder.js';
import { bootSystemd, cannotBoot, type LiveSystemd } from './namespace-systemd.js';

const why = await cannotBoot();
if (why !== undefined) console.warn(`systemd-live lane SKIPPED: ${why}`);

const OUT = '/root/backupgen-out';
const SYSTEMD_DIR = `${OUT}/hosts/live/systemd`;
const DATA = '/srv/live/data';
const TIMERS = ['backupgen-escape.timer', 'backupgen-guarded.timer', 'backupgen-home.timer', 'backupgen-pack.timer'];

const CONFIG = `version: 1
secrets: { provider: file, items: { hook_url: { path: /etc/backupgen/secrets/hook_url } } }
remotes:
  vault: { type: local }
  nowhere: { type: sftp, options: { host: 127.0.0.1, port: 1, user: backup } }
notifiers:
  hook: { type: webhook, url: { secret: hook_url }, on: [success, failure] }
hosts:
  live:
    kind: systemd
    # An rclone FUSE mount of a folder (type: local), run by its own unit.
    mounts:
      share:
        remote: vault
        path: /srv/live/share
        mountPoint: /mnt/share
      # Its server does not answer: its unit cannot start (until the next version drops it).
      offline:
        remote: nowhere
        path: backups
        mountPoint: /mnt/offline
    jobs:
      home:
        engine: snapshot
        sources: [${DATA}]
        destination: { path: /srv/live/snapshots }
        notify: [hook]
      offsite:
        engine: rclone
        mode: sync
        source: { job: home }
        target: { remote: vault, path: /srv/live/vault }
        runAfter: home
      pack:
        engine: archive
        sources: [${DATA}]
        stopServices: [live-app.service]
        format: tar.zst
        destinations: [{ path: /srv/live/archives }]
        schedule: weekly
      # Its destination is no mount point: every run fails, so its follower must never start.
      guarded:
        engine: snapshot
        sources: [${DATA}]
        destination: { path: /srv/live/unmounted, requireMountpoint: true }
        notify: [hook]
      guarded-next:
        engine: archive
        sources: [${DATA}]
        destinations: [{ path: /srv/live/guarded-archives }]
        runAfter: guarded
      # Its before hook writes outside ReadWritePaths=: ProtectSystem=strict must stop it.
      escape:
        engine: archive
        sources: [${DATA}]
        destinations: [{ path: /srv/live/escape }]
        before: touch /etc/backupgen-escaped
    users:
      dana:
        jobs:
          docs:
            engine: archive
            sources: [~/Documents]
            destinations: [{ path: ~/backups }]
            schedule: hourly
`;

/** The next version of the config: the escape job and the offline mount are gone. */
const CONFIG_NEXT = CONFIG.replace(/ {6}# Its before hook[^]*?backupgen-escaped\n/, '').replace(/ {6}# Its server does not answer[^]*?mountPoint: \/mnt\/offline\n/, '');
const OUT2 = '/root/backupgen-out2';

/** The user of the user job, created inside the overlay only. */
const USER = 'dana';
const UID = '4242';

let live: LiveSystemd | undefined;
let hook: HttpRecorder;

const sys = () => live!;
const systemctl = (...args: string[]) => sys().run('systemctl', args);
const text = (path: string) => readFile(sys().path(path), 'utf8');
const statusOf = async (job: string, stateDir = '/var/lib/backupgen') =>
  JSON.parse(await text(`${stateDir}/${job}.status.json`)) as Record<string, unknown>;
/** systemctl for the user's own manager (user@UID.service), reached with `-M USER@`. */
const userctl = (...args: string[]) => systemctl('--user', '-M', `${USER}@`, ...args);
/** The unit's log as `journalctl -u UNIT -o cat` prints it, systemd's own lines left out. */
const journal = async (unit: string, scope: 'system' | 'user' = 'system') => {
  const match = scope === 'system' ? ['-u', unit] : [`_SYSTEMD_USER_UNIT=${unit}`];
  return String((await sys().run('journalctl', [...match, '-o', 'cat', '--no-pager', '_TRANSPORT=stdout'])).stdout).trim().split('\n');
};
/** What systemctl says on stderr while it enables or disables units, and nothing else. */
const onlySystemctlNotes = (stderr: unknown) =>
  String(stderr).split('\n').filter((line) => line !== '' && !/^(Created symlink|Removed) /.test(line));
/** Builds `config` with the CLI and copies the generated folder to `inside`. */
async function buildInto(config: string, inside: string): Promise<void> {
  const dir = await scratchDir();
  await writeFile(join(dir, 'backupgen.yaml'), config);
  const build = await cli(dir, 'build');
  expect(build.stderr.join('\n')).toBe('');
  expect(build.status).toBe(0);
  await cp(join(dir, 'backupgen'), sys().path(inside), { recursive: true });
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the unit has run to its end once (it was started and is inactive/failed now). */
async function ranToEnd(unit: string, timeoutMs = 30_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = String((await systemctl('show', unit, '-p', 'ActiveState,Result,ExecMainStartTimestampMonotonic,ExecMainStatus')).stdout);
    const props = Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (props['ExecMainStartTimestampMonotonic'] !== '0' && ['inactive', 'failed'].includes(props['ActiveState']!)) return props;
    if (Date.now() > deadline) throw new Error(`${unit} did not run to its end: ${out}`);
    await sleep(200);
  }
}

/** Every file below `dir` inside the namespace, relative. */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(sys().path(dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(sys().path(dir).length + 1));
  }
  return out.sort();
}

describe.skipIf(why !== undefined)('plain units under a real systemd (PID 1 of a namespace, overlay root)', () => {
  beforeAll(async () => {
    hook = await startHttpRecorder();
    live = await bootSystemd();
    // The generated folder, the data and the secret, put in place inside the overlay.
    await buildInto(CONFIG, OUT);
    await mkdir(sys().path(DATA), { recursive: true });
    await writeFile(sys().path(`${DATA}/notes.txt`), 'hello from the namespace\n');
    await mkdir(sys().path('/srv/live/share'), { recursive: true });
    await writeFile(sys().path('/srv/live/share/shared.txt'), 'shared\n');
    await mkdir(sys().path('/etc/backupgen/secrets'), { recursive: true, mode: 0o700 });
    await writeFile(sys().path('/etc/backupgen/secrets/hook_url'), `${hook.url}/backups\n`, { mode: 0o600 });
    const user = await sys().run('sh', ['-c', `useradd -m -u ${UID} ${USER} && runuser -u ${USER} -- sh -c 'mkdir ~/Documents && echo todo >~/Documents/todo.txt'`]);
    expect(user.stderr).toBe('');
    expect(user.exitCode).toBe(0);
    // The service the archive job stops while it packs, and starts again.
    await writeFile(sys().path('/etc/systemd/system/live-app.service'), '[Service]\nExecStart=/bin/sleep infinity\n');
    const app = await sys().run('sh', ['-c', 'systemctl daemon-reload && systemctl start live-app.service']);
    expect(app.stderr).toBe('');
    expect(app.exitCode).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await live?.stop();
    await hook?.close();
    await removeScratch();
  });

  it('runs in an overlay: what the namespace writes is not on this machine', async () => {
    expect(String((await sys().run('findmnt', ['-n', '-o', 'FSTYPE', '/'])).stdout).trim()).toBe('overlay');
    expect(existsSync(DATA)).toBe(false);
    expect(String((await sys().run('cat', [`${DATA}/notes.txt`])).stdout)).toBe('hello from the namespace');
  });

  it('install.sh installs live: daemon-reload, timers enabled and active; a mount that cannot start does not stop it', async () => {
    const install = await sys().run(`${SYSTEMD_DIR}/install.sh`);
    expect(install.stdout).toMatch(/^install\.sh: installed \d+ files for host live into \/$/m);
    // Everything installed and enabled; the mount that did not start is named, last, and
    // the exit status says so.
    expect(onlySystemctlNotes(install.stderr).at(-1)).toBe(
      'install.sh: FAILED: backupgen-mount-offline.service is installed and enabled but did not start; see journalctl -u backupgen-mount-offline.service',
    );
    expect(install.exitCode).toBe(1);
    expect(String((await systemctl('is-enabled', 'backupgen-mount-offline.service')).stdout).trim()).toBe('enabled');
    for (const timer of TIMERS) {
      expect(String((await systemctl('is-enabled', timer)).stdout).trim(), timer).toBe('enabled');
      expect(String((await systemctl('is-active', timer)).stdout).trim(), timer).toBe('active');
    }
    const timers = String((await systemctl('list-timers', '--all', '--no-legend', '--plain', 'backupgen-*')).stdout);
    expect([...timers.matchAll(/(backupgen-\S+\.timer)/g)].map((m) => m[1]).sort()).toEqual(TIMERS);
    // The mount's unit is enabled and started (--now): the folder is mounted over FUSE.
    expect(String((await systemctl('is-enabled', 'backupgen-mount-share.service')).stdout).trim()).toBe('enabled');
    expect(String((await systemctl('is-active', 'backupgen-mount-share.service')).stdout).trim()).toBe('active');
    expect(String((await sys().run('findmnt', ['-n', '-o', 'FSTYPE', '/mnt/share'])).stdout).trim()).toBe('fuse.rclone');
    expect(String((await sys().run('cat', ['/mnt/share/shared.txt'])).stdout)).toBe('shared');
    // A job with runAfter has no timer of its own: its leader's OnSuccess= starts it.
    expect(String((await systemctl('cat', 'backupgen-home.service')).stdout)).toContain('\nOnSuccess=backupgen-offsite.service\n');
  });

  it('a snapshot job started by systemd succeeds, and OnSuccess= starts its runAfter follower', async () => {
    const start = await systemctl('start', 'backupgen-home.service');
    expect(start.stderr).toBe('');
    expect(start.exitCode).toBe(0);
    expect(await text('/srv/live/snapshots/live/latest/srv/live/data/notes.txt')).toBe('hello from the namespace\n');
    expect((await journal('backupgen-home.service')).at(-1)).toMatch(/^backupgen-home: ok: 1 files, 25 bytes, \d+s$/);
    expect(await statusOf('home')).toMatchObject({ job: 'home', host: 'live', lastResult: 'success', files: 1, bytes: 25 });

    const follower = await ranToEnd('backupgen-offsite.service');
    expect(follower).toMatchObject({ Result: 'success', ActiveState: 'inactive', ExecMainStatus: '0' });
    expect((await journal('backupgen-offsite.service')).at(-1)).toMatch(/^backupgen-offsite: ok: /);
    expect(await statusOf('offsite')).toMatchObject({ lastResult: 'success' });
    expect(await filesBelow('/srv/live/vault')).toEqual(expect.arrayContaining([expect.stringMatching(/(^|\/)notes\.txt$/)]));
    expect(hook.requests.map((r) => [r.path, JSON.parse(r.body).event, JSON.parse(r.body).job])).toContainEqual(['/backups', 'success', 'home']);
  });

  it('an archive job started by systemd stops its service through systemd, writes its archive, starts it again', async () => {
    const appPid = async () => String((await systemctl('show', 'live-app.service', '-p', 'MainPID', '--value')).stdout).trim();
    const before = await appPid();
    expect(before).not.toBe('0');
    const start = await systemctl('start', 'backupgen-pack.service');
    expect(start.exitCode).toBe(0);
    const log = await journal('backupgen-pack.service');
    expect(log).toEqual(expect.arrayContaining(['backupgen-pack: stopping live-app.service', 'backupgen-pack: starting live-app.service']));
    expect(String((await systemctl('is-active', 'live-app.service')).stdout).trim()).toBe('active');
    expect(await appPid()).not.toBe(before);
    const files = await filesBelow('/srv/live/archives');
    const archive = files.find((name) => name.endsWith('.tar.zst'));
    expect(files).toEqual([`${archive!.slice(0, -'.tar.zst'.length)}.manifest.json`, archive, `${archive}.sha256`]);
    expect(archive).toMatch(/^pack-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.tar\.zst$/);
    const check = await sys().run('sh', ['-c', `cd /srv/live/archives && sha256sum -c ${archive}.sha256`]);
    expect(check.exitCode).toBe(0);
    const list = await sys().run('tar', ['--zstd', '-tf', `/srv/live/archives/${archive}`]);
    expect(String(list.stdout)).toMatch(/srv\/live\/data\/notes\.txt$/m);
    expect((await journal('backupgen-pack.service')).at(-1)).toMatch(/^backupgen-pack: ok: /);
  });

  it('a timer whose run was missed while the machine was off starts its job (Persistent=true)', async () => {
    const invocation = async () => String((await systemctl('show', 'backupgen-pack.service', '-p', 'InvocationID', '--value')).stdout).trim();
    const before = await invocation();
    // systemd's record of the last trigger (systemd.timer(5) "Persistent="): 8 days ago, so
    // a weekly run was missed; restarting the timer is what a boot does.
    const stamp = '/var/lib/systemd/timers/stamp-backupgen-pack.timer';
    const missed = await sys().run('sh', ['-c', `touch -d '8 days ago' ${stamp} && systemctl restart backupgen-pack.timer`]);
    expect(missed.stderr).toBe('');
    expect(missed.exitCode).toBe(0);
    const deadline = Date.now() + 30_000;
    while ((await invocation()) === before && Date.now() < deadline) await sleep(200);
    expect(await invocation()).not.toBe(before);
    expect(await ranToEnd('backupgen-pack.service')).toMatchObject({ Result: 'success' });
    expect((await filesBelow('/srv/live/archives')).filter((name) => name.endsWith('.tar.zst'))).toHaveLength(2);
  });

  it('a failing job fails its unit, and its runAfter follower is NOT started', async () => {
    const start = await systemctl('start', 'backupgen-guarded.service');
    expect(start.exitCode).not.toBe(0);
    expect(await ranToEnd('backupgen-guarded.service')).toMatchObject({ Result: 'exit-code', ActiveState: 'failed' });
    expect((await journal('backupgen-guarded.service')).at(-1)).toMatch(/^backupgen-guarded: FAILED: .*mount/);
    expect(await statusOf('guarded')).toMatchObject({ lastResult: 'failure' });
    await sleep(1000); // OnSuccess= would have queued the follower when the leader ended
    const follower = String((await systemctl('show', 'backupgen-guarded-next.service', '-p', 'ExecMainStartTimestampMonotonic')).stdout).trim();
    expect(follower).toBe('ExecMainStartTimestampMonotonic=0');
    expect(existsSync(sys().path('/var/lib/backupgen/guarded-next.status.json'))).toBe(false);
    expect(hook.requests.map((r) => [JSON.parse(r.body).event, JSON.parse(r.body).job])).toContainEqual(['failure', 'guarded']);
  });

  it('the sandbox holds: a before hook writing to /etc fails the job and writes nothing', async () => {
    const start = await systemctl('start', 'backupgen-escape.service');
    expect(start.exitCode).not.toBe(0);
    const log = (await journal('backupgen-escape.service')).join('\n');
    expect(log).toMatch(/Read-only file system/);
    expect(log.split('\n').at(-1)).toMatch(/^backupgen-escape: FAILED: /);
    expect(existsSync(sys().path('/etc/backupgen-escaped'))).toBe(false);
    expect(await statusOf('escape')).toMatchObject({ lastResult: 'failure' });
  });

  it('a user job runs in its user\'s own systemd --user manager, timer enabled by install.sh', async () => {
    const manager = await systemctl('start', `user@${UID}.service`);
    expect(manager.stderr).toBe('');
    expect(manager.exitCode).toBe(0);
    expect(String((await userctl('is-enabled', 'backupgen-docs.timer')).stdout).trim()).toBe('enabled');
    expect(String((await userctl('is-active', 'backupgen-docs.timer')).stdout).trim()).toBe('active');
    const start = await userctl('start', 'backupgen-docs.service');
    expect(start.stderr).toBe('');
    expect(start.exitCode).toBe(0);
    expect((await journal('backupgen-docs.service', 'user')).at(-1)).toMatch(/^backupgen-docs: ok: 1 files, /);
    expect(await statusOf('docs', `/home/${USER}/.local/state/backupgen`)).toMatchObject({ job: 'docs', lastResult: 'success' });
    const archives = await sys().run('sh', ['-c', `stat -c '%U %n' /home/${USER}/backups/*.tar.*`]);
    expect(String(archives.stdout)).toMatch(new RegExp(`^${USER} /home/${USER}/backups/docs-[0-9_-]+\\.tar\\.`, 'm'));
  });

  it('backup-status, installed in /usr/local/bin, reports every job', async () => {
    const status = await sys().run('backup-status');
    const out = String(status.stdout);
    for (const job of ['home', 'offsite', 'pack']) expect(out).toMatch(new RegExp(`^${job}\\s+root\\s+success\\s`, 'm'));
    for (const job of ['guarded', 'escape']) expect(out).toMatch(new RegExp(`^${job}\\s+root\\s+failure\\s`, 'm'));
    expect(out).toMatch(/^guarded-next\s+root\s+never\b/m);
    expect(out).toMatch(new RegExp(`^docs\\s+${USER}\\s+success\\s`, 'm'));
    expect(status.exitCode).toBe(1);
  });

  it('installing the next version live stops, disables and removes the dropped job\'s timer and mount', async () => {
    expect(CONFIG_NEXT).not.toMatch(/escape|offline/);
    await buildInto(CONFIG_NEXT, OUT2);
    const install = await sys().run(`${OUT2}/hosts/live/systemd/install.sh`);
    expect(onlySystemctlNotes(install.stderr)).toEqual([]);
    expect(install.exitCode).toBe(0);
    expect(String((await systemctl('is-active', 'backupgen-escape.timer')).stdout).trim()).toBe('inactive');
    expect(existsSync(sys().path('/etc/systemd/system/backupgen-escape.timer'))).toBe(false);
    expect(existsSync(sys().path('/usr/local/lib/backupgen/scripts/escape.sh'))).toBe(false);
    // The dropped mount, failing and retried by systemd until now, is stopped and gone.
    expect(existsSync(sys().path('/etc/systemd/system/backupgen-mount-offline.service'))).toBe(false);
    expect(String((await systemctl('is-active', 'backupgen-mount-offline.service')).stdout).trim()).toMatch(/^(inactive|failed)$/);
    expect(String((await systemctl('is-active', 'backupgen-mount-share.service')).stdout).trim()).toBe('active');
    const timers = String((await systemctl('list-timers', '--all', '--no-legend', '--plain', 'backupgen-*')).stdout);
    expect([...timers.matchAll(/(backupgen-\S+\.timer)/g)].map((m) => m[1]).sort()).toEqual(TIMERS.filter((t) => t !== 'backupgen-escape.timer'));
  });

  it('uninstall.sh removes everything live; the timers are gone, the status files stay', async () => {
    const uninstall = await sys().run(`${OUT2}/hosts/live/systemd/uninstall.sh`);
    expect(onlySystemctlNotes(uninstall.stderr)).toEqual([]);
    expect(uninstall.exitCode).toBe(0);
    const timers = String((await systemctl('list-timers', '--all', '--no-legend', '--plain', 'backupgen-*')).stdout);
    expect(timers).not.toContain('backupgen-');
    for (const timer of TIMERS) expect((await systemctl('is-enabled', timer)).exitCode, timer).not.toBe(0);
    const units = String((await systemctl('list-unit-files', '--no-legend', '--plain', 'backupgen-*')).stdout);
    expect(units.trim()).toBe('');
    // Stopped cleanly, not "failed" (rclone's exit status 143 on SIGTERM is a success).
    expect(String((await systemctl('is-active', 'backupgen-mount-share.service')).stdout).trim()).toBe('inactive');
    expect((await sys().run('findmnt', ['/mnt/share'])).exitCode).toBe(1);
    expect(existsSync(sys().path('/usr/local/lib/backupgen'))).toBe(false);
    expect(existsSync(sys().path('/usr/local/bin/backup-status'))).toBe(false);
    expect((await readdir(sys().path('/etc/systemd/system'))).filter((n) => n.includes('backupgen'))).toEqual([]);
    expect((await readdir(sys().path('/etc/systemd/user'))).filter((n) => n.includes('backupgen'))).toEqual([]);
    // The user's running manager keeps the removed timer until it reloads or stops (README).
    expect((await userctl('daemon-reload')).exitCode).toBe(0);
    expect(String((await userctl('list-unit-files', '--no-legend', '--plain', 'backupgen-*')).stdout).trim()).toBe('');
    expect(await statusOf('home')).toMatchObject({ lastResult: 'success' });
  });
});
