/**
 * Keeping refreshed OAuth tokens (src/emit/home-manager/token-relay.ts) with a real rclone and
 * a local token endpoint. `login` does what rclone-config.service does on every login or
 * activation: backupgen's `keep-tokens` (ExecStartPre), then what programs.rclone's own script
 * does once it has no secrets to inject (install the secret-less config into a staging file,
 * `mv -f` it over rclone.conf), then backupgen's `inject` (ExecStartPost).
 * test/nixeval/home-token.test.ts runs home-manager's own rendered unit instead when the
 * nixeval references are present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { renderRcloneSecretsScript } from '../../../src/emit/home-manager/rclone-secrets.js';
import { gdrive } from './seed-plan.js';
import { expiredToken, startTokenEndpoint, type TokenEndpoint } from './oauth-token-endpoint.js';

let endpoint: TokenEndpoint;
beforeAll(async () => {
  endpoint = await startTokenEndpoint();
});
afterAll(async () => endpoint.close());

const script = renderRcloneSecretsScript('backupgen.yaml', [gdrive]);

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'backupgen-relay-'));
  const p = {
    home,
    conf: join(home, '.config/rclone/rclone.conf'),
    tokenDir: join(home, '.local/state/backupgen/rclone-tokens'),
    secret: join(home, 'secret-token'),
    script: join(home, 'rclone-secrets.sh'),
    preSecrets: join(home, 'pre-secrets.conf'),
  };
  writeFileSync(p.script, script);
  // As pkgs.formats.ini writes programs.rclone's config: `key=value`, no token.
  writeFileSync(p.preSecrets, `[gdrive]\nclient_id=x\nclient_secret=y\nscope=drive\ntoken_url=${endpoint.url}\ntype=drive\n`);
  return p;
}
type Paths = ReturnType<typeof setup>;

const tool = (p: Paths, mode: string) =>
  execa('bash', [p.script, mode], {
    reject: false,
    env: { BACKUPGEN_RCLONE_CONF: p.conf, BACKUPGEN_TOKEN_DIR: p.tokenDir, BACKUPGEN_SECRET_RCLONE_TOKEN: p.secret },
  });

/** programs.rclone's rclone-config script without secrets: staging file, then `mv -f`. */
function homeManagerScript(p: Paths): void {
  mkdirSync(join(p.home, '.config/rclone'), { recursive: true, mode: 0o700 });
  const staging = join(p.home, '.config/rclone/.rclone.conf.staging');
  copyFileSync(p.preSecrets, staging);
  renameSync(staging, p.conf);
}

async function login(p: Paths, { keepTokens = true } = {}): Promise<void> {
  if (keepTokens) expect((await tool(p, 'keep-tokens')).exitCode).toBe(0);
  homeManagerScript(p);
  const injected = await tool(p, 'inject');
  expect(injected.exitCode, injected.stderr).toBe(0);
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

describe('OAuth token refresh vs rclone-config.service', () => {
  it('without keep-tokens, the next rclone-config run brings the stale token back', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    await login(p);
    await rcloneUse(p);
    const refreshed = refreshTokenIn(p.conf);
    expect(refreshed).toMatch(/^refresh-r\d+$/);
    await login(p, { keepTokens: false }); // as if the token were injected from the secret
    expect(refreshTokenIn(p.conf)).toBe('refresh-secret'); // a rotated, dead refresh token
  });

  it('with keep-tokens, the refreshed token survives and is the one the next rclone uses', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    await login(p);
    expect(refreshTokenIn(p.conf)).toBe('refresh-secret');
    await rcloneUse(p);
    const refreshed = refreshTokenIn(p.conf);
    expect(refreshed).not.toBe('refresh-secret');

    await login(p); // next login or activation
    expect(refreshTokenIn(p.conf)).toBe(refreshed);

    // Make it expire again: the next refresh request carries the surviving refresh token.
    writeFileSync(p.conf, readFileSync(p.conf, 'utf8').replace(/"expiry":"[^"]*"/, '"expiry":"2020-01-01T00:00:00Z"'));
    await rcloneUse(p);
    expect(endpoint.refreshTokensSeen.at(-1)).toBe(refreshed);
  });

  it('a changed secret (re-authorization) seeds the token again', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    await login(p);
    await rcloneUse(p);
    writeFileSync(p.secret, expiredToken('refresh-reauthorized'));
    await login(p);
    expect(refreshTokenIn(p.conf)).toBe('refresh-reauthorized');
  });

  it('a run whose inject failed does not lose the refreshed token', async () => {
    const p = setup();
    writeFileSync(p.secret, expiredToken('refresh-secret'));
    await login(p);
    await rcloneUse(p);
    const refreshed = refreshTokenIn(p.conf);
    expect((await tool(p, 'keep-tokens')).exitCode).toBe(0);
    homeManagerScript(p); // rclone.conf without the token; inject did not run (e.g. killed)
    await login(p);
    expect(refreshTokenIn(p.conf)).toBe(refreshed);
  });

  it('keep-tokens fails with a last line saying why when the secret is missing', async () => {
    const p = setup();
    const result = await tool(p, 'keep-tokens');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^backupgen-rclone-secrets: FAILED: secret for gdrive\.token is not readable/);
  });

  it('passes shellcheck (writeShellApplication refuses to build otherwise)', async () => {
    const p = setup();
    await execa('shellcheck', ['--shell=bash', p.script]);
  });
});
