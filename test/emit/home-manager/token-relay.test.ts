/**
 * The OAuth token relay (src/emit/home-manager/token-relay.ts) with a real rclone and a
 * local token endpoint. `rcloneConfigService` does what programs.rclone's rclone-config
 * service does on every login/activation (home-manager modules/programs/rclone.nix): install
 * the secret-less config, `rclone config update <remote> config_refresh_token=false
 * token="$(cat FILE)"`, `mv -f` over rclone.conf. test/nixeval/home-token.test.ts runs
 * home-manager's own rendered script instead when the nixeval references are present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { renderTokenRelayScript, tokenRelays } from '../../../src/emit/home-manager/token-relay.js';
import { gdrive } from './seed-plan.js';
import { expiredToken, startTokenEndpoint, type TokenEndpoint } from './oauth-token-endpoint.js';

let endpoint: TokenEndpoint;
beforeAll(async () => {
  endpoint = await startTokenEndpoint();
});
afterAll(async () => endpoint.close());

const script = renderTokenRelayScript('backupgen.yaml', tokenRelays([gdrive]));

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'backupgen-relay-'));
  const p = {
    home,
    conf: join(home, '.config/rclone/rclone.conf'),
    tokenDir: join(home, '.local/state/backupgen/rclone-tokens'),
    secret: join(home, 'secret-token'),
    script: join(home, 'relay.sh'),
    preSecrets: join(home, 'pre-secrets.conf'),
  };
  writeFileSync(p.script, script);
  writeFileSync(p.preSecrets, `[gdrive]\ntype = drive\nscope = drive\nclient_id = x\nclient_secret = y\ntoken_url = ${endpoint.url}\n`);
  return p;
}
type Paths = ReturnType<typeof setup>;

const relay = (p: Paths) =>
  execa('bash', [p.script], {
    reject: false,
    env: { BACKUPGEN_RCLONE_CONF: p.conf, BACKUPGEN_TOKEN_DIR: p.tokenDir, BACKUPGEN_SECRET_RCLONE_TOKEN: p.secret },
  });

async function rcloneConfigService(p: Paths, tokenFile: string): Promise<void> {
  mkdirSync(join(p.home, '.config/rclone'), { recursive: true });
  const staging = `${p.conf}.staging`;
  writeFileSync(staging, readFileSync(p.preSecrets));
  await execa('rclone', ['config', 'update', '--config', staging, 'gdrive', 'config_refresh_token=false', `token=${readFileSync(tokenFile, 'utf8')}`, '--non-interactive']);
  await execa('mv', ['-f', staging, p.conf]);
}

/** A real rclone use: the expired token is refreshed at the endpoint and written back to rclone.conf. */
async function rcloneUse(p: Paths): Promise<void> {
  // The Drive API itself is unreachable offline; the refresh happens before that call.
  await execa('rclone', ['--config', p.conf, 'lsd', 'gdrive:', '--retries', '1', '--low-level-retries', '1', '--contimeout', '2s'], {
    reject: false,
    timeout: 30_000,
  });
}

const refreshTokenIn = (conf: string): string => {
  const line = readFileSync(conf, 'utf8').split('\n').find((l) => l.startsWith('token = '));
  return (JSON.parse(line!.slice('token = '.length)) as { refresh_token: string }).refresh_token;
};

describe('OAuth token refresh vs programs.rclone', () => {
  it('without the relay, the next rclone-config run throws the refreshed token away', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    await rcloneConfigService(p, p.secret);
    await rcloneUse(p);
    const refreshed = refreshTokenIn(p.conf);
    expect(refreshed).toMatch(/^refresh-r\d+$/);
    await rcloneConfigService(p, p.secret); // next login / activation
    expect(refreshTokenIn(p.conf)).toBe('refresh-secret'); // a rotated, dead refresh token
  });

  it('with the relay, the refreshed token survives and is the one the next rclone uses', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    expect((await relay(p)).exitCode).toBe(0);
    await rcloneConfigService(p, join(p.tokenDir, 'gdrive.token'));
    expect(refreshTokenIn(p.conf)).toBe('refresh-secret');
    await rcloneUse(p);
    const refreshed = refreshTokenIn(p.conf);
    expect(refreshed).not.toBe('refresh-secret');

    expect((await relay(p)).exitCode).toBe(0); // next login: relay, then rclone-config
    await rcloneConfigService(p, join(p.tokenDir, 'gdrive.token'));
    expect(refreshTokenIn(p.conf)).toBe(refreshed);

    // Make it expire again: the next refresh request carries the surviving refresh token.
    writeFileSync(p.conf, readFileSync(p.conf, 'utf8').replace(/"expiry":"[^"]*"/, '"expiry":"2020-01-01T00:00:00Z"'));
    await rcloneUse(p);
    expect(endpoint.refreshTokensSeen.at(-1)).toBe(refreshed);
  });

  it('a changed secret (re-authorization) seeds the relayed token again', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    await relay(p);
    await rcloneConfigService(p, join(p.tokenDir, 'gdrive.token'));
    await rcloneUse(p);
    writeFileSync(p.secret, expiredToken('refresh-reauthorized'));
    expect((await relay(p)).exitCode).toBe(0);
    await rcloneConfigService(p, join(p.tokenDir, 'gdrive.token'));
    expect(refreshTokenIn(p.conf)).toBe('refresh-reauthorized');
  });

  it('fails with a last line saying why when the secret is missing', async () => {
    const p = setup();
    const result = await relay(p);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^backupgen-rclone-tokens: FAILED: secret for gdrive\.token is not readable/);
  });

  it('passes shellcheck (writeShellApplication refuses to build otherwise)', async () => {
    const p = setup();
    await execa('shellcheck', ['--shell=bash', p.script]);
  });
});
