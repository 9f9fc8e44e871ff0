/**
 * The host tools (backup-now, backup-status, backup-verify) on their systemd paths, under a
 * real systemd: namespace-systemd.ts boots one as PID 1 of a PID + mount namespace on an
 * overlay of / (plain-units.test.ts says how), install.sh installs a `kind: systemd` host
 * live, and the tools run from /usr/local/bin inside the namespace, as root and as a user
 * whose systemd --user manager runs. Until this lane their systemd paths were only seen
 * with --dry-run.
 *
 * Skips only when the machine cannot boot a systemd in a namespace at all.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from '../cli/cli-harness.js';
import { bootSystemd, cannotBoot, type LiveSystemd } from './namespace-systemd.js';

const why = await cannotBoot();
if (why !== undefined) console.warn(`systemd-live host-tools lane SKIPPED: ${why}`);

const OUT = '/root/backupgen-out';
const DATA = '/srv/tools/data';
const USER = 'dana';
const UID = '4242';

const CONFIG = `version: 1
remotes:
  vault: { type: local }
hosts:
  live:
    kind: systemd
    jobs:
      home:
        engine: snapshot
        sources: [${DATA}]
        destination: { path: /srv/tools/snapshots }
      offsite:
        engine: rclone
        mode: sync
        source: { job: home }
        target: { remote: vault, path: /srv/tools/vault }
        runAfter: home
      # Its destination is no mount point: every run fails, so its follower must not run.
      guarded:
        engine: snapshot
        sources: [${DATA}]
        destination: { path: /srv/tools/unmounted, requireMountpoint: true }
      guarded-next:
        engine: archive
        sources: [${DATA}]
        destinations: [{ path: /srv/tools/guarded-archives }]
        runAfter: guarded
      pack:
        engine: archive
        sources: [${DATA}]
        format: tar.zst
        destinations: [{ path: /srv/tools/archives }]
        schedule: weekly
        verifySchedule: monthly
      idle:
        engine: archive
        enable: false
        sources: [${DATA}]
        destinations: [{ path: /srv/tools/idle }]
    users:
      ${USER}:
        jobs:
          documents:
            engine: archive
            sources: [~/Documents]
            destinations: [{ path: ~/backups }]
            schedule: hourly
`;

let live: LiveSystemd | undefined;
const sys = () => live!;
const systemctl = (...args: string[]) => sys().run('systemctl', args);
const statusOf = async (job: string, stateDir = '/var/lib/backupgen') =>
  JSON.parse(await readFile(sys().path(`${stateDir}/${job}.status.json`), 'utf8')) as Record<string, unknown>;
/** The unit's last run (its InvocationID: a new one per start). */
const invocation = async (unit: string) => String((await systemctl('show', unit, '-p', 'InvocationID', '--value')).stdout).trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until systemd has no job queued or running for a backupgen unit. */
async function settled(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (String((await systemctl('list-jobs', '--no-legend', 'backupgen-*')).stdout).trim() === '') return;
    await sleep(200);
  }
  throw new Error('backupgen units still queued');
}

describe.skipIf(why !== undefined)('host tools under a real systemd (PID 1 of a namespace, overlay root)', () => {
  beforeAll(async () => {
    live = await bootSystemd();
    const dir = await scratchDir();
    await writeFile(join(dir, 'backupgen.yaml'), CONFIG);
    const build = await cli(dir, 'build');
    expect(build.stderr.join('\n')).toBe('');
    expect(build.status).toBe(0);
    await cp(join(dir, 'backupgen'), sys().path(OUT), { recursive: true });
    await mkdir(sys().path(DATA), { recursive: true });
    await writeFile(sys().path(`${DATA}/notes.txt`), 'hello from the namespace\n');
    const user = await sys().run('sh', ['-c', `useradd -m -u ${UID} ${USER} && runuser -u ${USER} -- sh -c 'mkdir ~/Documents && echo todo >~/Documents/todo.txt'`]);
    expect(user.stderr).toBe('');
    expect(user.exitCode).toBe(0);
    const install = await sys().run(`${OUT}/hosts/live/systemd/install.sh`);
    expect(install.exitCode, String(install.stderr)).toBe(0);
    // The user's own systemd --user manager (what a login, or lingering, starts).
    const manager = await systemctl('start', `user@${UID}.service`);
    expect(manager.exitCode, String(manager.stderr)).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await live?.stop();
    await removeScratch();
  });

  it('backup-status before any run: NEXT RUN from the real timers, `after X` for followers, `disabled`', async () => {
    const status = await sys().run('backup-status');
    const out = String(status.stdout);
    const stamp = '\\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\w+';
    for (const job of ['home', 'guarded', 'pack']) expect(out).toMatch(new RegExp(`^${job}\\s+root\\s+never\\s.*\\s${stamp}$`, 'm'));
    expect(out).toMatch(/^offsite\s+root\s+never\s.*\safter home$/m);
    expect(out).toMatch(/^guarded-next\s+root\s+never\s.*\safter guarded$/m);
    expect(out).toMatch(/^idle\s+root\s+never\s.*\sdisabled$/m);
    // The timer's own next elapse, as systemd has it.
    const packNext = String((await systemctl('show', 'backupgen-pack.timer', '-p', 'NextElapseUSecRealtime', '--value')).stdout).trim();
    expect(packNext).not.toBe('');
    expect(out).toMatch(new RegExp(`^pack\\s.*\\s${packNext.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const json = await sys().run('backup-status', ['--json']);
    const rows = JSON.parse(String(json.stdout)) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r['job'] === 'pack')).toMatchObject({ nextRun: packNext, result: 'never' });
    expect(rows.find((r) => r['job'] === 'idle')).toMatchObject({ nextRun: 'disabled' });
    expect(rows.find((r) => r['job'] === 'offsite')).toMatchObject({ nextRun: 'after home' });
  });

  it('backup-now JOB starts the unit through systemd, waits, exits 0, and shows the last line', async () => {
    const before = await invocation('backupgen-home.service');
    const now = await sys().run('backup-now', ['home']);
    expect(now.exitCode, String(now.stderr)).toBe(0);
    expect(await invocation('backupgen-home.service')).not.toBe(before);
    expect(await statusOf('home')).toMatchObject({ lastResult: 'success', files: 1 });
    // systemctl start prints nothing: the line is the run's own, from the journal.
    expect(String(now.stdout)).toMatch(/^backupgen-home: ok: 1 files, 25 bytes, \d+s\n?$/);
    await settled();
  });

  it('backup-now of a failing job exits non-zero and says why', async () => {
    const now = await sys().run('backup-now', ['guarded']);
    expect(now.exitCode).not.toBe(0);
    expect(String(now.stderr)).toMatch(/guarded: backupgen-guarded\.service failed \(exit-code\)/);
    expect(String(now.stdout)).toMatch(/^backupgen-guarded: FAILED: .*mount.*\n?$/);
    expect(await statusOf('guarded')).toMatchObject({ lastResult: 'failure' });
  });

  it('backup-now --follow streams the journal lines of the run', async () => {
    const now = await sys().run('backup-now', ['--follow', 'pack']);
    expect(now.exitCode, String(now.stderr)).toBe(0);
    // Every line of the run, the first ones too (a quick job is done before journalctl reads).
    expect(String(now.stdout)).toMatch(/ systemd\[1\]: Starting backupgen-pack\.service .*\n.*backupgen-pack: archiving 1 source\(s\) to pack-[^\n]*\n.*backupgen-pack: ok: 1 files, /);
    expect(await statusOf('pack')).toMatchObject({ lastResult: 'success' });
  });

  it('backup-now without args: enabled jobs in runAfter order, the follower of a failed job skipped, a disabled job not run', async () => {
    await settled();
    const units = ['home', 'offsite', 'guarded', 'guarded-next', 'pack', 'idle'].map((job) => `backupgen-${job}.service`);
    const before = Object.fromEntries(await Promise.all(units.map(async (u) => [u, await invocation(u)] as const)));
    const now = await sys().run('backup-now');
    expect(now.exitCode).not.toBe(0);
    expect(String(now.stderr)).toMatch(/guarded-next: not started: guarded did not succeed/);
    await settled();
    for (const job of ['home', 'offsite', 'guarded', 'pack']) expect(await invocation(`backupgen-${job}.service`), job).not.toBe(before[`backupgen-${job}.service`]);
    for (const job of ['guarded-next', 'idle']) expect(await invocation(`backupgen-${job}.service`), job).toBe(before[`backupgen-${job}.service`]);
    // runAfter order: offsite started after home ended.
    const time = async (unit: string, p: string) => Number(String((await systemctl('show', unit, '-p', p, '--value')).stdout).trim());
    expect(await time('backupgen-offsite.service', 'ExecMainStartTimestampMonotonic')).toBeGreaterThanOrEqual(
      await time('backupgen-home.service', 'ExecMainExitTimestampMonotonic'),
    );
  });

  it('the verify unit runs backup-verify and records lastVerifyResult; a corrupt archive fails it and backup-status says so', async () => {
    const good = await systemctl('start', 'backupgen-pack-verify.service');
    expect(good.exitCode, String(good.stderr)).toBe(0);
    expect(await statusOf('pack')).toMatchObject({ lastVerifyResult: 'success' });
    const ok = await sys().run('backup-status', ['pack']);
    expect(String(ok.stdout)).toMatch(/^pack\s+root\s+success\s.*\ssuccess \d{4}-/m);
    expect(ok.exitCode).toBe(0);
    // One byte of the newest archive flipped.
    const corrupt = await sys().run('sh', [
      '-c',
      `f=$(ls -t /srv/tools/archives/*.tar.zst | head -n1) && printf '\\377' | dd of="$f" bs=1 seek=20 conv=notrunc status=none`,
    ]);
    expect(corrupt.exitCode, String(corrupt.stderr)).toBe(0);
    const bad = await systemctl('start', 'backupgen-pack-verify.service');
    expect(bad.exitCode).not.toBe(0);
    expect(String((await systemctl('show', 'backupgen-pack-verify.service', '-p', 'Result', '--value')).stdout).trim()).toBe('exit-code');
    expect(await statusOf('pack')).toMatchObject({ lastResult: 'success', lastVerifyResult: 'failure' });
    const status = await sys().run('backup-status', ['pack']);
    expect(String(status.stdout)).toMatch(/^pack\s+root\s+success\s.*\sfailure \d{4}-/m);
    expect(String(status.stdout)).toMatch(/pack: verify: /);
    expect(status.exitCode).toBe(1);
    const json = JSON.parse(String((await sys().run('backup-status', ['--json', 'pack'])).stdout)) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({ job: 'pack', lastVerifyResult: 'failure' });
  });

  it('backup-now as a user runs the user\'s job through the user\'s own systemd --user manager', async () => {
    const now = await sys().run('runuser', ['-u', USER, '--', 'env', `XDG_RUNTIME_DIR=/run/user/${UID}`, 'backup-now', 'documents']);
    expect(now.exitCode, `${now.stdout}\n${now.stderr}`).toBe(0);
    expect(String(now.stdout)).toMatch(/^backupgen-documents: ok: 1 files, \d+ bytes, \d+s\n?$/);
    const follow = await sys().run('runuser', ['-u', USER, '--', 'env', `XDG_RUNTIME_DIR=/run/user/${UID}`, 'backup-now', '--follow', 'documents']);
    expect(follow.exitCode, `${follow.stdout}\n${follow.stderr}`).toBe(0);
    expect(String(follow.stdout)).toMatch(/backupgen-documents: archiving 1 source\(s\)[^\n]*\n.*backupgen-documents: ok: 1 files, /);
    expect(await statusOf('documents', `/home/${USER}/.local/state/backupgen`)).toMatchObject({ lastResult: 'success', files: 1 });
    const status = await sys().run('runuser', ['-u', USER, '--', 'env', `XDG_RUNTIME_DIR=/run/user/${UID}`, 'backup-status', 'documents']);
    expect(String(status.stdout)).toMatch(/^documents\s+dana\s+success\s.*\s\w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \w+$/m);
    expect(status.exitCode).toBe(0);
  });

  it('backup-now as root runs a user\'s job in that user\'s manager (--user --machine=USER@), its lines shown', async () => {
    const before = await sys().run('sh', ['-c', `systemctl --user -M ${USER}@ show backupgen-documents.service -p InvocationID --value`]);
    const now = await sys().run('backup-now', ['documents']);
    expect(now.exitCode, `${now.stdout}\n${now.stderr}`).toBe(0);
    const after = await sys().run('sh', ['-c', `systemctl --user -M ${USER}@ show backupgen-documents.service -p InvocationID --value`]);
    expect(String(after.stdout).trim()).not.toBe(String(before.stdout).trim());
    expect(String(now.stdout)).toMatch(/^backupgen-documents: ok: 1 files, \d+ bytes, \d+s\n?$/);
    const follow = await sys().run('backup-now', ['--follow', 'documents']);
    expect(follow.exitCode, `${follow.stdout}\n${follow.stderr}`).toBe(0);
    expect(String(follow.stdout)).toMatch(/backupgen-documents: archiving 1 source\(s\)[^\n]*\n.*backupgen-documents: ok: 1 files, /);
  });
});
