/**
 * OAuth token survival with home-manager's OWN rclone-config script: the seed module is
 * evaluated by nixeval (real programs.rclone), the rendered rclone-config and relay scripts
 * are taken from result.json and run with a real rclone against a local, rotating token
 * endpoint. Without the relay home-manager's script throws the refreshed token away (the
 * known failure); with it the refreshed token is what rclone.conf holds after the next run.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { evalHomeModule, nixevalHomeMissing, writeHomeOutput } from '../emit/home-manager/nixeval-home.js';
import { expiredToken, startTokenEndpoint } from '../emit/home-manager/oauth-token-endpoint.js';
import { gdrive, seedPlan } from '../emit/home-manager/seed-plan.js';

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

  it('the relayed token survives home-manager rclone-config runs; the plain secret does not', async () => {
    const root = mkdtempSync(join(tmpdir(), 'backupgen-home-token-'));
    mkdirSync(join(root, 'secrets'));
    writeFileSync(join(root, 'secrets/shared.yaml'), readFileSync('/work/shared/tools/nixeval/tests/home/good-rclone/secrets.yaml'));
    writeHomeOutput(planWithEndpoint(), root);
    const home = join(root, 'home');
    const { result, stderr } = await evalHomeModule(root, 'laptop', 'mads', home);
    expect(result.rclone.remotes['gdrive']!.secrets['token'], stderr).toBe(`${home}/.local/state/backupgen/rclone-tokens/gdrive.token`);

    const scriptWith = (needle: string): string => {
      const found = Object.values(result.scripts).find((s) => s.text.includes(needle));
      if (found === undefined) throw new Error(`no rendered script containing ${needle}`);
      return found.text;
    };
    const [preSecretsPath, preSecrets] = Object.entries(result.generatedFiles).find(([, f]) => f.name === 'rclone.conf@pre-secrets')!;
    writeFileSync(join(root, 'pre-secrets.conf'), preSecrets.text);
    // home-manager's script as rendered, with the harness' stub store paths pointed at real files.
    const hmScript = scriptWith('config_refresh_token=false')
      .replaceAll(/\/nix\/store\/[a-z0-9]+-rclone-stub\/bin\/rclone/g, 'rclone')
      .replaceAll(preSecretsPath, join(root, 'pre-secrets.conf'));
    writeFileSync(join(root, 'rclone-config.sh'), hmScript);
    writeFileSync(join(root, 'relay.sh'), scriptWith('backupgen-rclone-tokens: FAILED'));

    const conf = `${home}/.config/rclone/rclone.conf`;
    const secret = `${home}/.config/sops-nix/secrets/rclone_token`;
    mkdirSync(dirname(secret), { recursive: true });
    writeFileSync(secret, expiredToken('refresh-secret'));
    const env = {
      BACKUPGEN_RCLONE_CONF: conf,
      BACKUPGEN_TOKEN_DIR: `${home}/.local/state/backupgen/rclone-tokens`,
      BACKUPGEN_SECRET_RCLONE_TOKEN: secret,
    };
    const login = async (): Promise<void> => {
      await execa('bash', [join(root, 'relay.sh')], { env }); // backupgen-rclone-tokens.service
      await execa('bash', [join(root, 'rclone-config.sh')]); // rclone-config.service (Requires/After it)
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

    // The same home-manager script fed the secret directly (plain programs.rclone usage).
    const plain = hmScript.replaceAll(env.BACKUPGEN_TOKEN_DIR + '/gdrive.token', secret);
    writeFileSync(join(root, 'rclone-config-plain.sh'), plain);
    await execa('bash', [join(root, 'rclone-config-plain.sh')]);
    expect(refreshToken()).toBe('refresh-secret');
  });
});
