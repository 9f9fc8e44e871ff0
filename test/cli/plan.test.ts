/**
 * `backupgen plan`: the text report (exact, for a fixed --now in UTC), --json, --host,
 * --strict (exit 1 on a one-copy warning, 0 without warnings) and its usage errors.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, removeScratch, scratchDir } from './cli-harness.js';

afterAll(removeScratch);
const savedTz = process.env['TZ'];
beforeEach(() => {
  process.env['TZ'] = 'UTC';
});
afterEach(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

const NOW = ['--now', '2025-01-15T10:00:00Z'];

const CONFIG = `version: 1
remotes:
  vault: { type: crypt, options: { remote: "b2:bucket" } }
  b2: { type: b2 }
hosts:
  nas:
    jobs:
      home:
        engine: snapshot
        sources: [/home]
        destination: { path: /mnt/backup, requireMountpoint: true }
        schedule: "0 3 * * 1-5"
        randomDelay: 30min
      offsite:
        engine: rclone
        mode: sync
        source: { job: home }
        target: { remote: vault, path: nas }
        runAfter: home
  pi:
    jobs:
      scratch:
        engine: rclone
        mode: move
        source: /srv/scratch
        target: { remote: b2, path: scratch }
        schedule: "Sat 04:00"
        persistent: false
`;

async function configDir(text = CONFIG): Promise<string> {
  const dir = await scratchDir();
  await writeFile(join(dir, 'backupgen.yaml'), text);
  return dir;
}

describe('backupgen plan', () => {
  it('prints per host what runs when, where it goes and what it keeps, then the 3-2-1 analysis', async () => {
    const run = await cli(await configDir(), 'plan', ...NOW);
    expect(run.stderr).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toEqual([
      "2 hosts, 3 jobs; times in UTC (this machine's time zone), from Wed 2025-01-15 10:00",
      '',
      'nas (nixos)',
      '  home (snapshot)',
      '    when:  "0 3 * * 1-5" = Mon..Fri *-*-* 03:00:00; next Thu 2025-01-16 03:00, Fri 2025-01-17 03:00, Mon 2025-01-20 03:00',
      '           each up to 30min later (randomDelay)',
      '           a run missed while off runs at the next boot',
      '    what:  /home',
      '    where: /mnt/backup/nas/{daily,weekly,monthly} (only when mounted)',
      '    keeps: 7 daily, 4 weekly, 6 monthly snapshots (about 6 months back); the newest is always kept',
      '  offsite (rclone)',
      '    when:  starts when home succeeds',
      '    what:  /mnt/backup/nas/latest (the newest snapshot of home)',
      '    where: vault:nas',
      '    keeps: a mirror: files deleted at the source are deleted on the target',
      '',
      'pi (nixos)',
      '  scratch (rclone)',
      '    when:  "Sat 04:00"; next Sat 2025-01-18 04:00, Sat 2025-01-25 04:00, Sat 2025-02-01 04:00',
      '    what:  /srv/scratch',
      '    where: b2:scratch',
      '    keeps: a move: files leave the source once transferred',
      '',
      '3-2-1: copies of every source path (the original is one; media: distinct disks and remotes; off-site: remotes outside the house)',
      '  /home on nas: 3 copies, 3 media, 1 off-site',
      "    original     /home            nas's system disk",
      "    nas/home     /mnt/backup/nas  nas's disk mounted at /mnt/backup",
      '    nas/offsite  vault:nas        remote b2 (b2 via vault, off-site)',
      '  /srv/scratch on pi: 1 copy, 1 medium, 1 off-site',
      '    pi/scratch  b2:scratch  remote b2 (b2, off-site)',
      '',
      '1 warning:',
      '  /srv/scratch on pi: one copy only (no backup)',
    ]);
  });

  it('--json gives the same report as data; --runs sets how many next runs', async () => {
    const run = await cli(await configDir(), 'plan', '--json', '--runs', '2', ...NOW);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout.join('\n'));
    expect(report.now).toBe('2025-01-15T10:00:00.000Z');
    expect(report.hosts.map((h: { name: string }) => h.name)).toEqual(['nas', 'pi']);
    expect(report.hosts[0].jobs[0]).toMatchObject({
      name: 'home',
      engine: 'snapshot',
      when: { trigger: 'timer', onCalendar: ['Mon..Fri *-*-* 03:00:00'], next: ['2025-01-16T03:00:00.000Z', '2025-01-17T03:00:00.000Z'] },
      where: ['/mnt/backup/nas/{daily,weekly,monthly} (only when mounted)'],
    });
    expect(report.hosts[0].jobs[1].when).toMatchObject({ trigger: 'after', next: [] });
    expect(report.sources.map((s: { path: string; copies: number; media: number; offsite: number }) => [s.path, s.copies, s.media, s.offsite])).toEqual([
      ['/home', 3, 3, 1],
      ['/srv/scratch', 1, 1, 1],
    ]);
    expect(report.warnings).toEqual(['/srv/scratch on pi: one copy only (no backup)']);
  });

  it('--strict exits 1 on a one-copy warning; 0 without --strict, and 0 with --strict when there is none', async () => {
    const dir = await configDir();
    expect((await cli(dir, 'plan', ...NOW)).status).toBe(0);
    expect((await cli(dir, 'plan', '--strict', ...NOW)).status).toBe(1);
    expect((await cli(dir, 'plan', '--strict', '--json', ...NOW)).status).toBe(1);
    const clean = await cli(dir, 'plan', '--strict', '--host', 'nas', ...NOW);
    expect(clean.status).toBe(0);
    expect(clean.stdout.at(-1)).toBe('no warnings: every source path has a backup and an off-site copy');
  });

  it('--host shows one host (its jobs and sources) and refuses an unknown one', async () => {
    const dir = await configDir();
    const run = await cli(dir, 'plan', '--host', 'pi', ...NOW);
    expect(run.status).toBe(0);
    expect(run.stdout[0]).toBe("1 host, 1 job; times in UTC (this machine's time zone), from Wed 2025-01-15 10:00");
    expect(run.stdout).not.toContain('nas (nixos)');
    expect(run.stdout).toContain('  /srv/scratch on pi: 1 copy, 1 medium, 1 off-site');
    expect(run.stdout.some((l) => l.includes('/home'))).toBe(false);
    const unknown = await cli(dir, 'plan', '--host', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toEqual(['--host nope: no such host (hosts: nas, pi)']);
  });

  it('refuses a --now or --runs it cannot read (exit 2) and reports config errors as build does', async () => {
    const dir = await configDir();
    expect(await cli(dir, 'plan', '--now', 'yesterday-ish')).toMatchObject({ status: 2, stderr: ['--now: expected a date and time like 2025-01-15T10:00:00Z, got "yesterday-ish"'] });
    expect((await cli(dir, 'plan', '--runs', '0')).status).toBe(2);
    const bad = await cli(await configDir('version: 1\nhosts:\n  a:\n    jobs:\n      j: { engine: snapshot, sources: [/x], destination: { path: /y }, maxShrink: lots }\n'), 'plan');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toEqual([expect.stringMatching(/^backupgen\.yaml:5:\d+ hosts\.a\.jobs\.j\.maxShrink: expected a count, a percentage/)]);
  });

  it('without --now counts from the current time', async () => {
    const before = Date.now();
    const run = await cli(await configDir(), 'plan', '--json');
    const report = JSON.parse(run.stdout.join('\n'));
    expect(Date.parse(report.now)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(report.hosts[0].jobs[0].when.next[0])).toBeGreaterThan(Date.parse(report.now));
  });
});
