/**
 * The 3-2-1 analysis on small configs: copies followed through snapshot, archive and rclone
 * jobs (a snapshot's latest, a folder inside an archive destination, remote to remote),
 * media (declared mount points, crypt resolved to its backend, rclone mounts), off-site
 * (cloud yes; `local` remotes and LAN servers no), move and disabled jobs, users' jobs.
 */
import { describe, expect, it } from 'vitest';
import type { BackupgenConfigInput } from '../../src/config/schema/config.js';
import { validateConfig } from '../../src/config/validate.js';
import { planConfig } from '../../src/plan/plan.js';
import { onLocalNetwork } from '../../src/report/media.js';
import { threeTwoOne } from '../../src/report/three-two-one.js';
import { retentionWords } from '../../src/report/job-summary.js';

const REMOTES = {
  b2: { type: 'b2', options: { account: 'x' } },
  vault: { type: 'crypt', options: { remote: 'b2:bucket' } },
  usb: { type: 'local' },
  lan: { type: 'sftp', options: { host: '192.168.1.20' } },
  box: { type: 'sftp', options: { host: 'backup.example.org' } },
  gdrive: { type: 'drive' },
};

function analyse(hosts: Record<string, unknown>) {
  const input = { version: 1, remotes: REMOTES, hosts } as unknown as BackupgenConfigInput;
  const plan = planConfig(validateConfig(input, 'backupgen.yaml'), { configPath: '/r/backupgen.yaml', outDir: '/r/backupgen' });
  return threeTwoOne(plan);
}

const summary = (s: ReturnType<typeof analyse>[number]) => ({ path: s.path, copies: s.copies, media: s.media, offsite: s.offsite, warnings: s.warnings });

describe('3-2-1 analysis', () => {
  it('follows a snapshot to its crypt-wrapped off-site sync; a mount-point destination is its own medium', () => {
    const result = analyse({
      nas: {
        jobs: {
          home: { engine: 'snapshot', sources: ['/home'], destination: { path: '/mnt/backup', requireMountpoint: true } },
          offsite: { engine: 'rclone', mode: 'sync', source: { job: 'home' }, target: { remote: 'vault', path: 'nas' }, runAfter: 'home' },
        },
      },
    });
    expect(result.map(summary)).toEqual([{ path: '/home', copies: 3, media: 3, offsite: 1, warnings: [] }]);
    expect(result[0]!.places.map((p) => [p.by, p.where, p.medium])).toEqual([
      ['original', '/home', "nas's system disk"],
      ['nas/home', '/mnt/backup/nas', "nas's disk mounted at /mnt/backup"],
      ['nas/offsite', 'vault:nas', 'remote b2 (b2 via vault, off-site)'],
    ]);
  });

  it('a destination not declared a mount point shares the system disk; no off-site copy is a warning', () => {
    const result = analyse({
      srv: { jobs: { db: { engine: 'archive', sources: ['/var/lib/db'], destinations: [{ path: '/var/backups/db' }] } } },
    });
    expect(result.map(summary)).toEqual([{ path: '/var/lib/db', copies: 2, media: 1, offsite: 0, warnings: ['/var/lib/db on srv: no off-site copy'] }]);
  });

  it('an rclone job reading a folder inside an archive destination carries the archives on (not a new source)', () => {
    const result = analyse({
      srv: {
        jobs: {
          db: { engine: 'archive', sources: ['/var/lib/db'], destinations: [{ path: '/var/backups/db' }, { remote: 'lan', path: 'db' }] },
          up: { engine: 'rclone', mode: 'copy', source: '/var/backups', target: { remote: 'box', path: 'srv' } },
          cloud: { engine: 'rclone', mode: 'copy', source: { remote: 'lan', path: 'db' }, target: { remote: 'gdrive', path: 'db' } },
        },
      },
    });
    expect(result.map(summary)).toEqual([{ path: '/var/lib/db', copies: 5, media: 4, offsite: 2, warnings: [] }]);
  });

  it('local remotes and LAN servers are not off-site; a disabled job copies nothing; a move leaves one copy', () => {
    const result = analyse({
      pc: {
        jobs: {
          a: { engine: 'rclone', mode: 'sync', source: '/srv/a', target: { remote: 'usb', path: '/media/usb/a' } },
          b: { engine: 'rclone', mode: 'sync', source: '/srv/b', target: { remote: 'lan', path: 'b' } },
          c: { engine: 'rclone', mode: 'sync', source: '/srv/c', target: { remote: 'b2', path: 'c' }, enable: false },
          d: { engine: 'rclone', mode: 'move', source: '/srv/d', target: { remote: 'b2', path: 'd' } },
        },
      },
    });
    expect(result.map(summary)).toEqual([
      { path: '/srv/a', copies: 2, media: 2, offsite: 0, warnings: ['/srv/a on pc: no off-site copy'] },
      { path: '/srv/b', copies: 2, media: 2, offsite: 0, warnings: ['/srv/b on pc: no off-site copy'] },
      { path: '/srv/c', copies: 1, media: 1, offsite: 0, warnings: ['/srv/c on pc: one copy only (no backup)'] },
      { path: '/srv/d', copies: 1, media: 1, offsite: 1, warnings: ['/srv/d on pc: one copy only (no backup)'] },
    ]);
  });

  it("users' jobs count, with ~ written ~user; a folder under an rclone mount is on that remote", () => {
    const result = analyse({
      laptop: {
        users: {
          mads: {
            mounts: { drive: { remote: 'gdrive', mountPoint: '~/GoogleDrive' } },
            jobs: { docs: { engine: 'archive', sources: ['~/Documents'], destinations: [{ path: '~/GoogleDrive/backups' }] } },
          },
        },
      },
    });
    expect(result.map(summary)).toEqual([{ path: '~mads/Documents', copies: 2, media: 2, offsite: 1, warnings: [] }]);
    expect(result[0]!.places[1]).toMatchObject({ where: 'gdrive:backups', offsite: true });
  });

  it('a source that another job also copies is one source path with every copy', () => {
    const result = analyse({
      h: {
        jobs: {
          snap: { engine: 'snapshot', sources: ['/data'], destination: { path: '/mnt/b', requireMountpoint: true } },
          arch: { engine: 'archive', sources: ['/data'], destinations: [{ remote: 'b2', path: 'data' }] },
        },
      },
    });
    expect(result.map(summary)).toEqual([{ path: '/data', copies: 3, media: 3, offsite: 1, warnings: [] }]);
  });
});

describe('onLocalNetwork', () => {
  it.each([
    ['192.168.1.20', true], ['10.10.10.209', true], ['http://10.10.10.209:9000', true], ['172.20.0.1', true], ['172.32.0.1', false],
    ['nas', true], ['nas.lan', true], ['pi.local', true], ['[::1]:22', true], ['fd12::1', true],
    ['backup.example.org', false], ['https://s3.eu-central-1.amazonaws.com', false], ['8.8.8.8', false], ['user@u123.your-storagebox.de', false],
  ])('%s -> %s', (server, expected) => {
    expect(onLocalNetwork(server)).toBe(expected);
  });
});

describe('retention in plain words', () => {
  const plan = (job: Record<string, unknown>) =>
    planConfig(validateConfig({ version: 1, remotes: REMOTES, hosts: { h: { jobs: { j: job } } } } as unknown as BackupgenConfigInput, 'b.yaml'), { configPath: '/r/b.yaml', outDir: '/r/o' }).hosts[0]!.jobs[0]!;
  it.each([
    [{ engine: 'snapshot', sources: ['/a'], destination: { path: '/b' } }, '7 daily, 4 weekly, 6 monthly snapshots (about 6 months back); the newest is always kept'],
    [{ engine: 'snapshot', sources: ['/a'], destination: { path: '/b' }, retention: { daily: 0, weekly: 0, monthly: 0 } }, 'only the newest snapshot'],
    [{ engine: 'snapshot', sources: ['/a'], destination: { path: '/b' }, retention: { daily: 14, weekly: 0, monthly: 0 } }, '14 daily snapshots (14 runs back); the newest is always kept'],
    [{ engine: 'archive', sources: ['/a'], destinations: [{ path: '/b' }] }, 'the newest 10 in each destination; the newest is always kept'],
    [{ engine: 'archive', sources: ['/a'], destinations: [{ path: '/b' }], retention: { keep: 0, maxAgeDays: 1 } }, 'archives, none older than 1 day in each destination; the newest is always kept'],
    [{ engine: 'archive', sources: ['/a'], destinations: [{ path: '/b' }], retention: { keep: 0, maxAgeDays: 0 } }, 'every archive (no limit) in each destination'],
    [{ engine: 'rclone', mode: 'copy', source: '/a', target: { remote: 'b2', path: 'x' } }, 'a copy: nothing is ever deleted on the target'],
    [
      { engine: 'rclone', mode: 'sync', source: '/a', target: { remote: 'b2', path: 'x/' }, maxDelete: 5, backupDir: true },
      'a mirror: files deleted at the source are deleted on the target; a run deleting more than 5 files is refused; replaced and deleted files kept under x-backups/<time> (never pruned)',
    ],
  ])('%j', (job, words) => {
    expect(retentionWords(plan(job))).toBe(words);
  });
});
