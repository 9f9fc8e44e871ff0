/**
 * The nixeval home-manager lane: every fixture with users goes through the real pipeline
 * (load, plan, emit) into a temporary tree, and each user's module is evaluated by the
 * harness against real home-manager (incl. programs.rclone), sops-nix and agenix, with the
 * user units rendered and checked by `systemd-analyze verify --user`.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig } from '../../src/config/load.js';
import { planConfig } from '../../src/plan/plan.js';
import { tokenRelays } from '../../src/emit/home-manager/token-relay.js';
import { evalHomeModule, nixevalHomeMissing, writeHomeOutput } from '../emit/home-manager/nixeval-home.js';

const fixturesDir = new URL('../../fixtures/', import.meta.url).pathname;
const missing = nixevalHomeMissing();

async function usersOf(fixture: string) {
  const configPath = findConfig(join(fixturesDir, fixture));
  if (configPath === undefined) return [];
  const { config, file } = await loadConfig(configPath);
  const root = mkdtempSync(join(tmpdir(), `backupgen-home-${fixture}-`));
  const plan = planConfig(config, { configPath: file, outDir: join(root, 'out') });
  const hosts = plan.hosts.filter((h) => h.kind === 'nixos');
  if (!hosts.some((h) => h.users.length > 0)) return [];
  writeHomeOutput(plan, root);
  return hosts.flatMap((host) => host.users.map((user) => ({ title: `${fixture}/${host.name}/${user.name}`, root, host, user })));
}

/** programs.rclone's unit name for a mount (modules/programs/rclone.nix replaceIllegalChars). */
const mountUnit = (remote: string, path: string): string =>
  `rclone-mount:${path.replaceAll('/', '.').replaceAll(' ', '_').replaceAll('$', '')}@${remote}.service`;

const cases = missing === undefined ? (await Promise.all(readdirSync(fixturesDir).sort().map(usersOf))).flat() : [];

describe('nixeval home lane: fixtures through the whole pipeline', () => {
  if (missing !== undefined) {
    console.log(`nixeval home lane SKIPPED: ${missing}`);
    it.skip(`nixeval home lane SKIPPED: ${missing}`, () => {});
    return;
  }
  it('finds fixtures with users', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases)('$title', async ({ root, host, user }) => {
    const { exitCode, stderr, result } = await evalHomeModule(root, host.name, user.name);
    expect(exitCode, stderr).toBe(0);
    expect(result.status).toBe('ok');
    const unit = (name: string) => result.units.find((u) => u.name === name)?.text;

    for (const job of user.jobs) {
      const service = unit(`${job.unitName}.service`);
      expect(service, job.unitName).toBeDefined();
      expect(service).toContain('Type=oneshot');
      for (const secret of job.secrets) expect(service).toContain(`${secret.envVar}=`);
      if (job.runAfter === undefined) {
        const timer = unit(`${job.unitName}.timer`)!;
        for (const cal of job.schedule.onCalendar) expect(timer).toContain(`OnCalendar=${cal}`);
        expect(timer.includes('WantedBy=timers.target')).toBe(job.enable);
      } else {
        expect(unit(`${job.unitName}.timer`)).toBeUndefined();
        expect(unit(`${job.runAfter.unitName}.service`)).toMatch(new RegExp(`OnSuccess=.*${job.unitName}\\.service`));
      }
    }

    expect(result.rclone.enable).toBe(user.remotes.length > 0);
    if (user.remotes.length > 0) expect(unit('rclone-config.service')).toBeDefined();
    for (const mount of user.mounts) {
      expect(unit(mountUnit(mount.remote.name, mount.path)), mount.name).toContain('rclone mount');
    }
    // Secret options never go to programs.rclone (its script puts them in rclone's argv);
    // rclone-config.service itself injects them after home-manager's script (ExecStartPost)
    // and keeps refreshed tokens before it (ExecStartPre), so every mount, ordered after
    // rclone-config.service, starts with the complete file.
    const secretOptions = user.remotes.flatMap((r) => r.secrets);
    for (const [name, remote] of Object.entries(result.rclone.remotes)) expect(remote.secrets, name).toEqual({});
    const config = unit('rclone-config.service') ?? '';
    const execs = config.split('\n').filter((line) => /^ExecStart(Pre|Post)?=/.test(line)).map((line) => line.replace(/=\/nix\/store\/[a-z0-9]+-/, '=<store>/'));
    const pre = tokenRelays(user.remotes).length > 0 ? ['ExecStartPre=<store>/backupgen-rclone-secrets/bin/backupgen-rclone-secrets keep-tokens'] : [];
    const post = secretOptions.length > 0 ? ['ExecStartPost=<store>/backupgen-rclone-secrets/bin/backupgen-rclone-secrets inject'] : [];
    if (user.remotes.length > 0) {
      expect(execs.filter((line) => !line.startsWith('ExecStart='))).toEqual([...pre, ...post].sort());
      expect(execs.filter((line) => line.startsWith('ExecStart='))).toEqual(['ExecStart=<store>/rclone-config/bin/rclone-config']);
    }
    for (const secret of new Set(secretOptions.map((s) => s.secret))) expect(config).toContain(`${secret.envVar}=`);
    for (const mount of user.mounts) {
      const text = unit(mountUnit(mount.remote.name, mount.path))!;
      expect(text).toContain('After=rclone-config.service');
      expect(text).toContain('Requires=rclone-config.service');
    }
    for (const secret of user.secrets) {
      if (secret.provider === 'sops') expect(result.sops.secrets?.[secret.name]?.key).toBe(secret.key ?? secret.name);
      if (secret.provider === 'agenix') expect(result.age.secrets?.[secret.name]).toBeDefined();
    }
  });
});
