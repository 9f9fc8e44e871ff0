import { describe, expect, it } from 'vitest';
import { emitNixos } from '../../../src/emit/nixos/index.js';
import { emitHomeManager } from '../../../src/emit/home-manager/index.js';
import { emitTools, hostTools, userTools } from '../../../src/emit/tools/index.js';
import { staleAfterSeconds } from '../../../src/emit/tools/tool-data.js';
import { archiveJob, host, plan, snapshotJob, user } from '../../support/plan-builders.js';

describe('host tools', () => {
  const mads = user({ name: 'mads', jobs: [snapshotJob({ name: 'docs', runAs: { scope: 'user', user: 'mads' } })] });
  const laptop = host({ name: 'laptop', jobs: [archiveJob({ name: 'db' }, 'laptop')], users: [mads] });
  const idle = host({ name: 'idle' });
  const cluster = host({ name: 'k8s', kind: 'kubernetes', jobs: [snapshotJob({ name: 'k' }, 'k8s')] });
  const all = ['backup-status', 'backup-now', 'backup-verify', 'backup-restore'];

  it('every tool for every host that runs jobs; a user gets the same tools for their own jobs', () => {
    expect(hostTools(laptop).map((t) => t.name)).toEqual(all);
    expect(userTools(laptop, mads).map((t) => t.path)).toEqual(all.map((t) => `hosts/laptop/tools/mads/${t}.sh`));
    expect(hostTools(idle)).toEqual([]);
    expect(hostTools(cluster)).toEqual([]);
    const files = emitTools(plan([laptop, idle, cluster]));
    expect(files.map((f) => [f.path, f.executable])).toEqual([
      ...all.map((t) => [`hosts/laptop/tools/${t}.sh`, true]),
      ...all.map((t) => [`hosts/laptop/tools/mads/${t}.sh`, true]),
    ]);
    const [status, , , restore] = files;
    expect(status!.contents).toContain("readonly -a JOBS=('db' 'docs')");
    expect(status!.contents).toContain("readonly -a JOB_SCOPES=('system' 'user')");
    expect(restore!.contents).toContain("readonly -a JOB_DESTINATIONS=('/var/backups/myapp' '/mnt/backup')");
    // The user's copy knows that user's jobs only, and finds the runtime two folders up.
    expect(files[4]!.contents).toContain("readonly -a JOBS=('docs')");
    expect(files[4]!.contents).toContain(`bg_runtime="\${bg_runtime%/*}/"'../../lib/runtime.sh'`);
  });

  it('the NixOS module installs them system-wide, each after the runtime library', () => {
    const module = emitNixos(plan([laptop])).find((f) => f.path === 'hosts/laptop/nixos.nix')!.contents;
    expect(module).toContain('  tools = {\n    backup-status = pkgs.writeShellApplication {\n      name = "backup-status";');
    expect(module).toContain('  environment.systemPackages = [\n    tools.backup-status\n    tools.backup-now\n    tools.backup-verify\n    tools.backup-restore\n  ];');
    expect(module).toContain('text = builtins.readFile ./lib/runtime.sh + builtins.readFile ./tools/backup-verify.sh;');
    expect(emitNixos(plan([idle]))[0]!.contents).not.toContain('systemPackages');
  });

  it('staleness: staleAfter when monitoring sets it, else one schedule period and a margin', () => {
    const at = (onCalendar: string[]) => snapshotJob({ name: 'j', schedule: { source: onCalendar.join(' / '), onCalendar, cron: undefined } });
    const p = plan([]);
    const cases: [string[], number][] = [
      [['hourly'], 3 * 3600],
      [['*-*-* *:15:00'], 3 * 3600],
      [['daily'], 26 * 3600],
      [['*-*-* 02:00:00'], 26 * 3600],
      [['weekly'], 8 * 86400],
      [['Sun *-*-* 03:00:00'], 8 * 86400],
      [['monthly'], 32 * 86400],
      [['Mon..Fri *-*-* 03:00:00'], 8 * 86400],
      [['*-*-01 02:00:00', 'Mon *-*-* 02:00:00'], 8 * 86400],
    ];
    for (const [onCalendar, seconds] of cases) expect([onCalendar, staleAfterSeconds(p, at(onCalendar), [])]).toEqual([onCalendar, seconds]);
    const weekly = at(['weekly']);
    const follower = snapshotJob({ name: 'f', runAfter: { job: 'j', unitName: 'backupgen-j' } });
    expect(staleAfterSeconds(p, follower, [weekly, follower])).toBe(8 * 86400);
    const monitored = plan([], { monitoring: { prometheus: { textfileDir: '/x', staleAfter: '2h 30min' } } });
    expect(staleAfterSeconds(monitored, weekly, [])).toBe(9000);
  });

  it('verifySchedule: a verify service running the host\'s backup-verify and its timer; a user\'s in home-manager', () => {
    const weekly = { source: 'weekly', onCalendar: ['weekly'], cron: '0 0 * * 1' };
    const h = host({
      name: 'nas',
      jobs: [snapshotJob({ name: 'home', verifySchedule: weekly }, 'nas'), snapshotJob({ name: 'plain' }, 'nas')],
      users: [user({ name: 'ann', jobs: [snapshotJob({ name: 'docs', runAs: { scope: 'user', user: 'ann' }, verifySchedule: weekly }, 'nas')] })],
    });
    const nixos = emitNixos(plan([h])).find((f) => f.path === 'hosts/nas/nixos.nix')!.contents;
    expect(nixos).toContain('  systemd.services.backupgen-home-verify = {');
    expect(nixos).toContain('ExecStart = "${lib.getExe tools.backup-verify} --job \\"home\\"";');
    expect(nixos).toContain('  systemd.timers.backupgen-home-verify = {');
    expect(nixos).not.toContain('backupgen-plain-verify');
    const home = emitHomeManager(plan([h])).find((f) => f.path === 'hosts/nas/home/ann.nix')!.contents;
    expect(home).toContain('text = builtins.readFile ../lib/runtime.sh + builtins.readFile ../tools/ann/backup-verify.sh;');
    expect(home).toContain('  systemd.user.services.backupgen-docs-verify = {');
    expect(home).toContain('  systemd.user.timers.backupgen-docs-verify = {');
    expect(home).toContain('  home.packages = [\n    tools.backup-status');
  });
});
