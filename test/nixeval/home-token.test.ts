/**
 * OAuth token survival with home-manager's OWN rclone-config.service: the seed module is
 * evaluated by nixeval (real programs.rclone), and what the rendered unit runs (backupgen's
 * keep-tokens, home-manager's script, backupgen's inject) is run with a real rclone against a
 * local, rotating token endpoint. The refreshed token is what rclone.conf holds after the
 * next run; without the keep-tokens step the stale seeded token comes back (the known
 * failure it prevents).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { evalHomeModule, nixevalHomeMissing, rcloneConfigSteps, writeHomeOutput } from '../emit/home-manager/nixeval-home.js';
import { expiredToken, startTokenEndpoint } from '../emit/home-manager/oauth-token-endpoint.js';
import { gdrive, seedPlan } from '../emit/home-manager/seed-plan.js';
import { NIXEVAL_DIR } from './nixeval-runner.js';

const missing = nixevalHomeMissing();
const endpoint = await startTokenEndpoint();
afterAll(() => endpoint.close());

/** The seed plan whose Drive remote refreshes at the local endpoint. */
function planWithEndpoint(): Plan {
  const seed = seedPlan();
  const options: [string, string][] = [['client_id', 'x'], ['client_secret', 'y'], ['scope', 'drive'], ['token_url', endpoint.url]];
  const remote = { ...gdrive, options };
  const swap = <T extends { remote: unknown }>(o: T): T => ({ ...o, remote });
  const mads = seed.hosts[0]!.users[0]!;
  const user = {
    ...mads,
    remotes: [remote],
    mounts: mads.mounts.map(swap),
    jobs: mads.jobs.map((job) => (job.engine === 'rclone' ? { ...job, target: swap(job.target), remotes: [remote] } : job)),
  };
  return { ...seed, hosts: [{ ...seed.hosts[0]!, users: [user] }] };
}

describe('home-manager rclone-config vs refreshed OAuth tokens (real scripts)', () => {
  if (missing !== undefined) {
    console.log(`nixeval home lane SKIPPED: ${missing}`);
    it.skip(`nixeval home lane SKIPPED: ${missing}`, () => {});
    return;
  }

  it('the refreshed token survives rclone-config.service runs; skipping its keep-tokens step loses it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'backupgen-home-token-'));
    mkdirSync(join(root, 'secrets'));
    writeFileSync(join(root, 'secrets/shared.yaml'), readFileSync(join(NIXEVAL_DIR, 'tests/home/good-rclone/secrets.yaml')));
    writeHomeOutput(planWithEndpoint(), root);
    const home = join(root, 'home');
    const { result, stderr } = await evalHomeModule(root, 'laptop', 'mads', home);
    expect(result.rclone.remotes['gdrive']!.secrets, stderr).toEqual({});
    // What systemd runs to start rclone-config.service, as home-manager rendered it.
    const steps = rcloneConfigSteps(result, root, join(root, 'run'));
    expect(steps.map((s) => `${s.what} ${s.args.join(' ')}`.trim())).toEqual([
      'rclone-config.service ExecStartPre keep-tokens',
      'rclone-config.service ExecStart',
      'rclone-config.service ExecStartPost inject',
    ]);

    const conf = `${home}/.config/rclone/rclone.conf`;
    const secret = steps[0]!.env['BACKUPGEN_SECRET_RCLONE_TOKEN']!;
    expect(secret.startsWith(home)).toBe(true); // sops-nix's home-manager path, under this home
    mkdirSync(dirname(secret), { recursive: true });
    writeFileSync(secret, expiredToken('refresh-secret'));
    const login = async (skip?: string): Promise<void> => {
      for (const step of steps.filter((s) => s.what !== skip)) await execa('bash', [step.script, ...step.args], { env: step.env });
    };
    const useRclone = () =>
      execa('rclone', ['--config', conf, 'lsd', 'gdrive:', '--retries', '1', '--low-level-retries', '1', '--contimeout', '2s'], {
        reject: false,
        timeout: 30_000,
      });
    const refreshToken = (): string =>
      (JSON.parse(readFileSync(conf, 'utf8').split('\n').find((l) => l.startsWith('token = '))!.slice(8)) as { refresh_token: string })
        .refresh_token;

    await login();
    expect(refreshToken()).toBe('refresh-secret');
    await useRclone(); // the mount / rclone refreshes and writes the rotated token to rclone.conf
    const refreshed = refreshToken();
    expect(refreshed).toMatch(/^refresh-r\d+$/);
    await login(); // next login or activation
    expect(refreshToken()).toBe(refreshed);

    // Another refresh, then a run without keep-tokens: the token injected is the copy saved
    // before that refresh, a refresh token the endpoint has already rotated away.
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(/"expiry":"[^"]*"/, '"expiry":"2020-01-01T00:00:00Z"'));
    await useRclone();
    expect(endpoint.refreshTokensSeen.at(-1)).toBe(refreshed);
    expect(refreshToken()).not.toBe(refreshed);
    await login('rclone-config.service ExecStartPre');
    expect(refreshToken()).toBe(refreshed);
  });
});
