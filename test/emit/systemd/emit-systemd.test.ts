/**
 * The plain-systemd emitter on small plans: what each unit file says for the cases the
 * fixture does not spell out, and the commands install.sh checks for.
 */
import { describe, expect, it } from 'vitest';
import { emitSystemd } from '../../../src/emit/systemd/index.js';
import { hostCommands } from '../../../src/emit/systemd/host-commands.js';
import type { HostPlan, JobPlan } from '../../../src/plan/model.js';
import { archiveJob, fileSecret, host, plan, rcloneJob, snapshotJob, user } from '../../support/plan-builders.js';

const H = 'box';

function filesOf(h: Omit<Partial<HostPlan>, 'name'>): Map<string, string> {
  const files = emitSystemd(plan([host({ name: H, kind: 'systemd', ...h })]));
  return new Map(files.map((f) => [f.path.replace(`hosts/${H}/`, ''), f.contents]));
}

function linesOf(text: string | undefined, key: string): string[] {
  if (text === undefined) throw new Error('no such file');
  return text.split('\n').filter((line) => line.startsWith(`${key}=`));
}

describe('emitSystemd', () => {
  it('emits nothing for NixOS and kubernetes hosts', () => {
    const job = snapshotJob({}, H);
    expect(emitSystemd(plan([host({ name: H, jobs: [job] }), host({ name: 'k', kind: 'kubernetes', jobs: [] })]))).toEqual([]);
  });

  it('chains only enabled followers (OnSuccess=), and a follower has no timer', () => {
    const leader = snapshotJob({ name: 'home' }, H);
    const on = rcloneJob({ name: 'up', runAfter: { job: 'home', unitName: 'backupgen-home' } }, H);
    const off = rcloneJob({ name: 'off', enable: false, runAfter: { job: 'home', unitName: 'backupgen-home' } }, H);
    const files = filesOf({ jobs: [leader, on, off] });
    expect(linesOf(files.get('systemd/system/backupgen-home.service'), 'OnSuccess')).toEqual(['OnSuccess=backupgen-up.service']);
    expect(files.has('systemd/system/backupgen-up.timer')).toBe(false);
    expect(files.has('systemd/system/backupgen-up.service')).toBe(true);
  });

  it('creates a root job\'s missing local destinations outside the sandbox (ExecStartPre=+), not a mount point\'s, not another user\'s', () => {
    const snap = snapshotJob({ name: 'snap', destination: { path: '/srv/100% snaps', requireMountpoint: false, minFreeGB: 0 } }, H);
    const disk = snapshotJob({ name: 'disk', destination: { path: '/mnt/disk', requireMountpoint: true, minFreeGB: 0 } }, H);
    const pack = archiveJob({ name: 'pack' }, H);
    const app = archiveJob({ name: 'app', runAs: { scope: 'system', user: 'app' } }, H);
    const up = rcloneJob({ name: 'up' }, H);
    const files = filesOf({ jobs: [snap, disk, pack, app, up] });
    const pre = (job: string) => linesOf(files.get(`systemd/system/backupgen-${job}.service`), 'ExecStartPre');
    expect(pre('snap')).toEqual(['ExecStartPre=+"/usr/bin/mkdir" -p -- "/srv/100%% snaps"']);
    expect(pre('pack')).toEqual(['ExecStartPre=+"/usr/bin/mkdir" -p -- "/var/backups/myapp"']);
    expect(pre('up')).toEqual(['ExecStartPre=+"/usr/bin/mkdir" -p -- "/srv/offsite"']);
    expect(pre('disk')).toEqual([]);
    expect(pre('app')).toEqual([]);
  });

  it('passes secret paths (escaped for Environment=), never values; `~/` of a user is %h', () => {
    const odd = fileSecret('odd', '/etc/back up/100%/"q"');
    const mine = fileSecret('mine', '~/.config/pass');
    const job: JobPlan = archiveJob({ secrets: [odd] }, H);
    const userJob = rcloneJob({ name: 'docs', secrets: [mine], runAs: { scope: 'user', user: 'dana' }, scriptPath: `hosts/${H}/scripts/dana/docs.sh` }, H);
    const files = filesOf({ jobs: [job], users: [user({ name: 'dana', jobs: [userJob] })] });
    expect(linesOf(files.get('systemd/system/backupgen-myapp.service'), 'Environment')).toEqual([
      'Environment="BACKUPGEN_SECRET_ODD=/etc/back up/100%%/\\"q\\""',
    ]);
    const service = files.get('systemd/user/backupgen-docs.service');
    expect(linesOf(service, 'Environment')).toEqual(['Environment="BACKUPGEN_SECRET_MINE=%h/.config/pass"']);
    expect(linesOf(service, 'ExecStart')).toEqual(['ExecStart="/usr/local/lib/backupgen/scripts/dana/docs.sh"']);
    expect(linesOf(service, 'ConditionUser')).toEqual(['ConditionUser=dana']);
    expect(linesOf(files.get('systemd/user/backupgen-docs.timer'), 'ConditionUser')).toEqual(['ConditionUser=dana']);
  });

  it('runs a system job as its user, skips it on battery with onlyOnAC, and leaves a disabled timer out of timers.target', () => {
    const job = archiveJob({ runAs: { scope: 'system', user: 'app' }, onlyOnAC: true, enable: false }, H);
    const files = filesOf({ jobs: [job] });
    const service = files.get('systemd/system/backupgen-myapp.service');
    expect(linesOf(service, 'User')).toEqual(['User=app']);
    expect(linesOf(service, 'StateDirectory')).toEqual(['StateDirectory=backupgen/app']);
    expect(linesOf(service, 'ConditionACPower')).toEqual(['ConditionACPower=true']);
    expect(linesOf(service, 'CapabilityBoundingSet')).toEqual(['CapabilityBoundingSet=']);
    const timer = files.get('systemd/system/backupgen-myapp.timer')!;
    expect(timer).not.toContain('[Install]');
    expect(files.get('systemd/install.sh')).toContain("readonly -a ENABLE=()");
  });
});

describe('hostCommands', () => {
  it('maps nixpkgs packages to the commands the scripts run and their Debian packages', () => {
    expect(hostCommands(['rclone', 'xz', 'pigz', 'util-linux'])).toEqual([
      { command: 'flock', debianPackage: 'util-linux' },
      { command: 'mountpoint', debianPackage: 'util-linux' },
      { command: 'rclone', debianPackage: 'rclone' },
      { command: 'xz', debianPackage: 'xz-utils' },
    ]);
  });

  it('knows the packages the host tools call (systemd, diffutils, unzip)', () => {
    expect(hostCommands(['systemd', 'diffutils', 'unzip']).map((c) => c.command)).toEqual(['cmp', 'journalctl', 'systemctl', 'unzip']);
  });

  it('refuses a package it has no commands for (a new runtimeInput needs a line there)', () => {
    expect(() => hostCommands(['restic'])).toThrow(/no commands known for nixpkgs package restic/);
  });

  it('knows every package an archive job of any format needs', () => {
    for (const format of ['tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst', 'zip'] as const) {
      const files = filesOf({ jobs: [archiveJob({ format }, H)] });
      expect(files.get('systemd/install.sh')).toContain('readonly -a COMMANDS=(');
    }
  });
});
