/**
 * The real-module-system lane for the NixOS target: generated modules evaluated against the
 * real nixpkgs systemd / fuse declarations, sops-nix and agenix, units rendered by nixpkgs
 * and checked by systemd-analyze (nixeval, see nixeval-runner.ts). Skipped, with a line
 * saying what is missing, where the reference checkouts are absent (CI).
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { evalNixosHost, nixevalMissing, type NixevalRun } from './nixeval-runner.js';
import { dummySecretsDir } from './secrets-fixture.js';
import {
  agenixSecret,
  archiveJob,
  host,
  plan,
  rcloneJob,
  remote,
  snapshotJob,
  sopsSecret,
} from '../support/plan-builders.js';

const missing = nixevalMissing();
if (missing !== undefined) console.log(`nixeval lane SKIPPED: ${missing}`);

interface Case {
  readonly name: string;
  readonly plan: Plan;
  readonly host: string;
  readonly configDir: string | undefined;
  readonly check: (run: NixevalRun) => void;
}

function laptopCase(): Case {
  const token = sopsSecret('b2_key', { key: 'b2/application_key', sopsFile: 'secrets/shared.yaml' });
  const b2 = remote({ name: 'b2', type: 'b2', secrets: [{ option: 'key', secret: token, obscure: false, refreshedByRclone: false }] });
  const home = snapshotJob({ name: 'home', onlyOnAC: true, randomDelay: '1h', schedule: { source: '02:00', onCalendar: ['*-*-* 02:00:00'], cron: '0 2 * * *' } });
  const offsite = rcloneJob({
    name: 'offsite',
    runAfter: { job: 'home', unitName: 'backupgen-home' },
    target: { remote: b2, path: 'bucket/laptop' },
    remotes: [b2],
    secrets: [token],
  });
  const p = plan(
    [
      host({
        name: 'laptop',
        fuse: { userAllowOther: true },
        jobs: [home, offsite],
        secrets: [token],
        remotes: [b2],
        mounts: [{ name: 'b2-media', remote: b2, path: 'media', mountPoint: '/mnt/b2 media', options: ['--vfs-cache-mode writes', '--allow-other'], automount: false, allowOther: true }],
      }),
    ],
    { configDirFromOutput: '../config' },
  );
  return {
    name: 'laptop: snapshot + rclone after it, sops secret, fuse, mount',
    plan: p,
    host: 'laptop',
    configDir: dummySecretsDir({ 'secrets/shared.yaml': ['b2/application_key'] }),
    check: ({ result }) => {
      expect(result.services['backupgen-home']!.unitText).toContain('OnSuccess=backupgen-offsite.service');
      expect(result.services['backupgen-home']!.unitText).toContain('ConditionACPower=true');
      expect(result.timers['backupgen-home']!.unitText).toContain('OnCalendar=*-*-* 02:00:00');
      expect(result.timers['backupgen-home']!.unitText).toContain('RandomizedDelaySec=1h');
      expect(result.timers['backupgen-offsite']).toBeUndefined();
      expect(result.services['backupgen-offsite']!.environment['BACKUPGEN_SECRET_B2_KEY']).toBe('/run/secrets/b2_key');
      expect(result.services['backupgen-offsite']!.unitText).toMatch(/Wants=.*network-online\.target/);
      const manifest = result.sops.manifest!.secrets;
      expect(manifest.map((s) => [s.name, s.key])).toEqual([['b2_key', 'b2/application_key']]);
      expect(result.fuse.userAllowOther).toBe(true);
      expect(result.services['backupgen-mount-b2-media']!.unitText).toContain('Type=notify');
      expect(result.services['backupgen-mount-b2-media']!.unitText).toContain('fusermount3 -uz "/mnt/b2 media"');
    },
  };
}

function serverCase(): Case {
  const shared = sopsSecret('minio_secret', { sopsFile: 'secrets/homelab.yaml' });
  const hook = agenixSecret('hook_url', { file: 'secrets/hook_url.age' });
  const myapp = archiveJob({ name: 'myapp', stopServices: ['docker-myapp.service'], owner: { user: 'myapp', group: 'myapp' }, secrets: [hook, shared] }, 'server');
  const photos = archiveJob({ name: 'photos', runAs: { scope: 'system', user: 'photos' }, enable: false, destinations: [{ kind: 'local', path: '/srv/backups/photos' }], secrets: [shared] }, 'server');
  const wiki = archiveJob({ name: 'wiki', runAs: { scope: 'system', user: 'wiki' }, secrets: [shared], schedule: { source: '0 2 * * 1,3', onCalendar: ['Mon *-*-* 02:00:00', 'Wed *-*-* 02:00:00'], cron: '0 2 * * 1,3' } }, 'server');
  const p = plan([host({ name: 'server', jobs: [myapp, photos, wiki], secrets: [hook, shared] })], { configDirFromOutput: '../config' });
  return {
    name: 'server: archives as root and as two users sharing a secret, agenix, a disabled job',
    plan: p,
    host: 'server',
    configDir: dummySecretsDir({ 'secrets/homelab.yaml': ['minio_secret'] }, ['secrets/hook_url.age']),
    check: ({ result }) => {
      expect(result.services['backupgen-photos']!.unitText).toContain('User=photos');
      expect(result.services['backupgen-photos']!.unitText).toContain('SupplementaryGroups=backupgen-secrets');
      expect(result.timers['backupgen-photos']!.unitText).not.toContain('WantedBy');
      expect(result.timers['backupgen-wiki']!.unitText).toContain('OnCalendar=Mon *-*-* 02:00:00\nOnCalendar=Wed *-*-* 02:00:00');
      const manifest = result.sops.manifest!.secrets;
      expect(manifest.map((s) => [s.name, s.mode])).toEqual([['minio_secret', '0440']]);
      expect(result.age.secrets['hook_url']!.mode).toBe('0400');
      expect(result.services['backupgen-myapp']!.environment['BACKUPGEN_SECRET_HOOK_URL']).toBe('/run/agenix/hook_url');
    },
  };
}

const cases: Case[] = missing === undefined ? [laptopCase(), serverCase()] : [];

describe('nixeval: generated NixOS modules against the real module system', () => {
  if (missing !== undefined) {
    it.skip(`nixeval lane SKIPPED: ${missing}`, () => {});
    return;
  }
  it.each(cases)('$name', async (c) => {
    const run = await evalNixosHost(c.plan, c.configDir, c.host);
    for (const [unit, score] of Object.entries(run.exposure)) console.log(`exposure ${c.host} ${unit}: ${score}`);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result.status).toBe('ok');
    expect(run.result.assertions).toEqual([]);
    expect(run.result.problems).toEqual([]);
    // Jobs are sandboxed: every job service scores below systemd's "MEDIUM" threshold.
    for (const [unit, score] of Object.entries(run.exposure)) {
      if (unit.startsWith('backupgen-') && !unit.startsWith('backupgen-mount-')) expect(score, unit).toBeLessThan(5);
    }
    c.check(run);
  }, 60_000);
});
