import { describe, expect, it } from 'vitest';
import { configSchema, type BackupgenConfigInput } from '../../src/config/schema/config.js';
import { validateConfig } from '../../src/config/validate.js';
import type { JobPlan, Plan, RcloneJob } from '../../src/plan/model.js';
import { configDirFromOutput, planConfig } from '../../src/plan/plan.js';
import { validConfig } from '../config/valid-config.js';

const OPTIONS = { configPath: '/repo/backupgen.yaml', outDir: '/repo/backupgen' };

function plan(input: BackupgenConfigInput = validConfig()): Plan {
  return planConfig(validateConfig(input, 'backupgen.yaml'), OPTIONS);
}

function job(p: Plan, host: string, name: string): JobPlan {
  const found = p.hosts.find((h) => h.name === host)?.jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${host}/${name}`);
  return found;
}

describe('planConfig', () => {
  it('is deterministic', () => {
    const config = configSchema.parse(validConfig());
    const first = planConfig(config, OPTIONS);
    const second = planConfig(structuredClone(config), OPTIONS);
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('names units and scripts per docs/conventions.md', () => {
    const p = plan();
    expect(job(p, 'laptop', 'home')).toMatchObject({ unitName: 'backupgen-home', scriptPath: 'hosts/laptop/scripts/home.sh', runAs: { scope: 'system', user: 'root' } });
    expect(p.hosts[0]!.users[0]!.jobs[0]).toMatchObject({ unitName: 'backupgen-customers', scriptPath: 'hosts/laptop/scripts/mads/customers.sh', runAs: { scope: 'user', user: 'mads' } });
    expect(job(p, 'homelab', 'myapp').runAs).toEqual({ scope: 'system', user: 'myapp' });
  });

  it('merges defaults under job fields and built-in defaults under both', () => {
    const home = job(plan(), 'laptop', 'home');
    expect(home.schedule).toEqual({ source: '0 3 * * 1-5', onCalendar: ['Mon..Fri *-*-* 03:00:00'], cron: '0 3 * * 1-5' });
    expect(home.randomDelay).toBe('30min'); // from defaults
    expect(home.notify.map((n) => n.name)).toEqual(['desk']); // the job's own list wins
    expect([home.persistent, home.onlyOnAC, home.enable, home.exclude]).toEqual([true, false, true, []]);
    const offsite = job(plan(), 'laptop', 'offsite');
    expect(offsite.schedule.onCalendar).toEqual(['daily']);
    expect(offsite.notify.map((n) => n.name)).toEqual(['ops']);
    expect(offsite.runAfter).toEqual({ job: 'home', unitName: 'backupgen-home' });
  });

  it('verifySchedule: planned like a schedule, inherited from defaults (not by kubernetes jobs), absent when unset', () => {
    const config = validConfig();
    const p0 = plan(config);
    expect(job(p0, 'laptop', 'home').verifySchedule).toBeUndefined();
    expect('verifySchedule' in job(p0, 'laptop', 'home')).toBe(false);
    const withDefault = structuredClone(config) as { defaults?: Record<string, unknown> };
    withDefault.defaults = { ...withDefault.defaults, verifySchedule: 'weekly' };
    const p1 = plan(withDefault as BackupgenConfigInput);
    expect(job(p1, 'laptop', 'home').verifySchedule).toEqual({ source: 'weekly', onCalendar: ['weekly'], cron: '0 0 * * 1' });
    expect(job(p1, 'laptop', 'offsite').verifySchedule).toEqual({ source: 'weekly', onCalendar: ['weekly'], cron: '0 0 * * 1' });
    // A kubernetes host has no host tools to run backup-verify: the default skips its jobs.
    expect('verifySchedule' in job(p1, 'cluster', 'db')).toBe(false);
  });

  it('resolves an rclone job: source snapshot, crypt base remote, obscured and secret options', () => {
    const offsite = job(plan(), 'laptop', 'offsite') as RcloneJob;
    expect(offsite.source).toEqual({ kind: 'job', job: 'home', path: '/mnt/backup/laptop/latest' });
    expect(offsite.remotes.map((r) => r.name)).toEqual(['b2', 'vault']);
    const vault = offsite.remotes.find((r) => r.name === 'vault')!;
    expect(vault.options).toEqual([['filename_encryption', 'standard'], ['remote', 'b2:barbossa-backup']]);
    expect(vault.secrets.map((s) => [s.option, s.obscure, s.refreshedByRclone])).toEqual([['password', true, false], ['password2', true, false]]);
    expect(offsite.secrets.map((s) => s.name)).toEqual(['b2_account', 'b2_key', 'crypt_password', 'crypt_salt', 'ntfy_url']);
    expect(offsite.maxDelete).toEqual({ kind: 'percent', value: 10 });
    expect(offsite.needsNetwork).toBe(true);
  });

  it('resolves secrets by provider and scope', () => {
    const p = plan();
    const laptop = p.hosts[0]!;
    expect(laptop.secrets.find((s) => s.name === 'b2_key')).toEqual({
      name: 'b2_key', envVar: 'BACKUPGEN_SECRET_B2_KEY', provider: 'sops', defaultPath: '/run/secrets/b2_key', sopsFile: 'secrets/shared.yaml', key: 'b2/application_key',
    });
    const mads = laptop.users[0]!;
    expect(mads.secrets.map((s) => [s.name, s.defaultPath])).toEqual([
      ['ntfy_url', '~/.config/sops-nix/secrets/ntfy_url'],
      ['rclone_token', '~/.config/sops-nix/secrets/rclone_token'],
    ]);
    expect(mads.remotes[0]!.secrets[0]).toMatchObject({ option: 'token', refreshedByRclone: true, obscure: false });
    const homelab = p.hosts[1]!;
    // A plain systemd host reads file secrets only (config rule plain-systemd.ts).
    expect(homelab.secrets).toEqual([
      { name: 'legacy_token', envVar: 'BACKUPGEN_SECRET_LEGACY_TOKEN', provider: 'file', defaultPath: '/etc/backup/token', path: '/etc/backup/token' },
    ]);
  });

  it('plans mounts, host resources and kubernetes hosts', () => {
    const p = plan();
    const laptop = p.hosts[0]!;
    expect(laptop.mounts[0]).toMatchObject({ name: 'nas-media', path: 'media', mountPoint: '/mnt/media', automount: false, allowOther: true });
    expect(laptop.remotes.map((r) => r.name)).toEqual(['b2', 'nas', 'vault']);
    expect(laptop.remotes.find((r) => r.name === 'nas')!.options).toEqual([['host', 'nas.lan'], ['port', '22']]);
    const cluster = p.hosts[2]!;
    expect(cluster.kubernetes).toEqual({
      namespace: 'backups',
      image: 'ghcr.io/example/backupgen-runner:1',
      timeZone: undefined,
      stateClaim: { name: 'backupgen-state', emitted: true },
      runAsUser: 65532,
    });
    expect(job(p, 'cluster', 'db').volume).toEqual({ claim: 'db-data', mountPath: '/data', readOnly: false });
    expect(job(p, 'cluster', 'db').needsNetwork).toBe(true); // its ops webhook notifier
    expect(p.monitoring.prometheus).toEqual({ textfileDir: '/var/lib/prometheus-node-exporter', staleAfter: '1d 2h' });
  });

  it('plans source mount points and maxShrink (default 50%, a count, off)', () => {
    const withJobs = (laptopHome: object, homelabMyapp: object) => {
      const input = validConfig() as { hosts: Record<string, { jobs: Record<string, object> }> };
      Object.assign(input.hosts['laptop']!.jobs['home']!, laptopHome);
      Object.assign(input.hosts['homelab']!.jobs['myapp']!, homelabMyapp);
      return plan(input as BackupgenConfigInput);
    };
    const p = withJobs({ sources: ['/home', { path: '/mnt/nfs', requireMountpoint: true }, { path: '/etc/nixos' }] }, { maxShrink: 100 });
    expect(job(p, 'laptop', 'home')).toMatchObject({ sources: ['/home', '/mnt/nfs', '/etc/nixos'], sourceMountpoints: ['/mnt/nfs'], maxShrink: { kind: 'percent', value: 50 } });
    expect(job(p, 'homelab', 'myapp')).toMatchObject({ sourceMountpoints: [], maxShrink: { kind: 'count', value: 100 } });
    for (const off of [false, 'off']) {
      expect(job(withJobs({}, { maxShrink: off }), 'homelab', 'myapp')).toMatchObject({ maxShrink: undefined });
    }
  });

  it('needs the network only for remote transfers and network notifiers', () => {
    const input = validConfig();
    input.defaults = {};
    const p = plan(input);
    expect(job(p, 'laptop', 'home').needsNetwork).toBe(false);
    expect(job(p, 'homelab', 'myapp').needsNetwork).toBe(true);
    expect(job(p, 'cluster', 'db').needsNetwork).toBe(false);
  });

  it.each([
    [{ configPath: '/repo/backupgen.yaml', outDir: '/repo/backupgen' }, '..'],
    [{ configPath: '/repo/backupgen.yaml', outDir: '/repo' }, '.'],
    [{ configPath: '/repo/conf/backupgen.yaml', outDir: '/repo/out/nix' }, '../../conf'],
  ])('configDirFromOutput(%j) = %j', (options, expected) => {
    expect(configDirFromOutput(options)).toBe(expected);
  });
});
