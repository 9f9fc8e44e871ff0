/**
 * The rclone-secrets tool's `inject` (src/emit/home-manager/rclone-secrets.ts) run the way
 * rclone-config.service's ExecStartPost runs it, after programs.rclone wrote the secret-less
 * config: every value ends up in its section (obscured where rclone needs it, checked with a
 * real rclone), no value is ever in a process' argv, and bad secrets fail without touching
 * the file.
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRcloneSecretsScript } from '../../../src/emit/home-manager/rclone-secrets.js';
import type { RemotePlan } from '../../../src/plan/model.js';
import { argvShims, shimLeaks, watchProcesses } from '../../secrets/support/argv-watch.js';
import { agenixSecret, fileSecret, remote, sopsSecret } from '../../support/plan-builders.js';

const davPass = agenixSecret('dav_pass');
const b2Key = sopsSecret('b2_key');
const salt = fileSecret('salt', '~/.secrets/salt');
const remotes: RemotePlan[] = [
  remote({ name: 'b2', type: 'b2', options: [['account', 'acc']], secrets: [{ option: 'key', secret: b2Key, obscure: false, refreshedByRclone: false }] }),
  remote({ name: 'dav box', type: 'webdav', options: [['url', 'http://x']], secrets: [{ option: 'pass', secret: davPass, obscure: true, refreshedByRclone: false }] }),
  remote({ name: 'plain', type: 'local' }),
  remote({
    name: 'vault',
    type: 'crypt',
    options: [['remote', 'plain:/v']],
    secrets: [{ option: 'password2', secret: salt, obscure: true, refreshedByRclone: false }],
  }),
];
const VALUES = { b2_key: 'K-b2-$(id)-`x` "q"', dav_pass: "P-dav 'it''s' %s \\n", salt: 'S-salt' };

// What pkgs.formats.ini writes for programs.rclone (`key=value`), plus a stale `key` line.
const PRE_SECRETS = '[b2]\naccount=acc\nkey=old-value\ntype=b2\n\n[dav box]\ntype=webdav\nurl=http://x\n\n[plain]\ntype=local\n\n[vault]\nremote=plain:/v\ntype=crypt\n';

function setup(values: Record<string, string> = VALUES) {
  const dir = mkdtempSync(join(tmpdir(), 'backupgen-rclone-secrets-'));
  const conf = join(dir, 'config/rclone/rclone.conf');
  mkdirSync(join(dir, 'config/rclone'), { recursive: true, mode: 0o700 });
  writeFileSync(conf, PRE_SECRETS, { mode: 0o600 });
  const script = join(dir, 'rclone-secrets.sh');
  writeFileSync(script, renderRcloneSecretsScript('backupgen.yaml', remotes));
  const env: Record<string, string> = { BACKUPGEN_RCLONE_CONF: conf };
  for (const secret of [b2Key, davPass, salt]) {
    const file = join(dir, secret.name);
    writeFileSync(file, `${values[secret.name]}\n`, { mode: 0o600 });
    env[secret.envVar] = file;
  }
  const shims = argvShims(join(dir, 'shims'), ['rclone']);
  const run = (mode = 'inject') =>
    execa('bash', ['-c', 'umask 022 && exec bash "$@"', 'bash', script, mode], {
      env: { ...env, PATH: `${shims.dir}:${process.env['PATH']}` },
      reject: false,
    });
  return { dir, conf, env, run, shims };
}

const reveal = async (obscured: string): Promise<string> => (await execa('rclone', ['reveal', '--', obscured], { env: { RCLONE_CONFIG: '' } })).stdout;

describe('rclone-secrets inject', () => {
  it('puts every secret option into its section, obscured where needed; nothing else changes', async () => {
    const t = setup();
    const watch = watchProcesses(Object.values(VALUES));
    const result = await t.run();
    const watched = await watch.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^backupgen-rclone-secrets: ok: 3 secret option\(s\) written to /);
    const text = readFileSync(t.conf, 'utf8');
    const obscured = (key: string, section: string): string => {
      const m = new RegExp(`^\\[${section}\\]\\n${key} = (.*)$`, 'm').exec(text);
      if (m === null) throw new Error(`no ${key} in [${section}]:\n${text}`);
      return m[1]!;
    };
    expect(text).toBe(
      PRE_SECRETS.replace('[b2]\naccount=acc\nkey=old-value\n', `[b2]\nkey = ${VALUES.b2_key}\naccount=acc\n`)
        .replace('[dav box]\n', `[dav box]\npass = ${obscured('pass', 'dav box')}\n`)
        .replace('[vault]\n', `[vault]\npassword2 = ${obscured('password2', 'vault')}\n`),
    );
    expect(await reveal(obscured('pass', 'dav box'))).toBe(VALUES.dav_pass);
    expect(await reveal(obscured('password2', 'vault'))).toBe(VALUES.salt);
    expect((statSync(t.conf).mode & 0o777).toString(8)).toBe('600');
    // rclone (obscure) ran under the recorder; no value was in any argv.
    expect(t.shims.calls().filter((argv) => argv[1] === 'obscure')).toHaveLength(2);
    expect(shimLeaks(t.shims.calls(), Object.values(VALUES))).toEqual([]);
    expect(watched.leaks).toEqual([]);
    // rclone reads the result as intended.
    const dump = JSON.parse((await execa('rclone', ['config', 'dump', '--config', t.conf])).stdout) as Record<string, Record<string, string>>;
    expect(dump['b2']).toEqual({ type: 'b2', account: 'acc', key: VALUES.b2_key });
    expect(dump['plain']).toEqual({ type: 'local' });
  });

  it('is idempotent: a second run replaces, never duplicates', async () => {
    const t = setup();
    expect((await t.run()).exitCode).toBe(0);
    expect((await t.run()).exitCode).toBe(0);
    const text = readFileSync(t.conf, 'utf8');
    expect(text.match(/^key = /gm)).toHaveLength(1);
    expect(text.match(/^pass = /gm)).toHaveLength(1);
  });

  it.each([
    ['a line break', { ...VALUES, salt: 'a\nb' }, /FAILED: secret for vault\.password2 contains a line break/],
    ['an empty secret', { ...VALUES, b2_key: '' }, /FAILED: secret for b2\.key is empty/],
  ])('refuses %s and leaves the file as it was', async (_name, values, message) => {
    const t = setup(values);
    const result = await t.run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(message);
    expect(readFileSync(t.conf, 'utf8')).toBe(PRE_SECRETS);
  });

  it('fails naming a missing secret or a missing section', async () => {
    const t = setup();
    const missing = await execa('bash', [join(t.dir, 'rclone-secrets.sh'), 'inject'], {
      env: { ...t.env, [davPass.envVar]: join(t.dir, 'nope') },
      reject: false,
    });
    expect(missing.stderr.trim().split('\n').at(-1)).toMatch(/FAILED: secret for dav box\.pass is not readable \(BACKUPGEN_SECRET_DAV_PASS=/);
    writeFileSync(t.conf, PRE_SECRETS.replace('[vault]', '[other]'));
    const noSection = await t.run();
    expect(noSection.stderr.trim().split('\n').at(-1)).toMatch(/FAILED: remote vault has no section in /);
  });

  it('passes shellcheck (writeShellApplication refuses to build otherwise)', async () => {
    const t = setup();
    await execa('shellcheck', ['--shell=bash', join(t.dir, 'rclone-secrets.sh')]);
  });
});
