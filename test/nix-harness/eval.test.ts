/**
 * The placeholder-package harness on hand-written samples shaped like our emitters' output,
 * and on a module produced by printNixFile (printer and harness together).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apply, attrsOf, bind, interp, lambdaSet, list, path, sel, str, v, attrs } from '../../src/print/nix/ast.js';
import { printNixFile } from '../../src/print/nix/print.js';
import { evalModuleToJson } from './eval.js';

const samples = join(import.meta.dirname, 'samples');
const STORE = '/nix/store/00000000000000000000000000000000';

const dir = mkdtempSync(join(tmpdir(), 'backupgen-harness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function moduleFile(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe('evalModuleToJson on a NixOS sample', async () => {
  const result = (await evalModuleToJson(join(samples, 'nixos.nix'), { kind: 'nixos' })) as any;
  const service = result.systemd.services['backupgen-home'];

  it('resolves packages, lib.getExe and escaped text', () => {
    expect(service.serviceConfig.ExecStart).toBe(`${STORE}-backupgen-home/bin/backupgen-home "--label=100%% $$USER"`);
    expect(service.description).toBe('backupgen job "home" (${HOME} → /mnt/backup)');
    expect(service.path).toEqual([`${STORE}-util-linux`]);
  });

  it('keeps writeShellApplication arguments, script text included', () => {
    expect(result.environment.systemPackages).toEqual([
      {
        drv: `${STORE}-backupgen-home`,
        stub: 'writeShellApplication',
        name: 'backupgen-home',
        runtimeInputs: [`${STORE}-rsync`, `${STORE}-coreutils`],
        text: '# job "home": hand-written stand-in for a generated job script\nrsync -a --delete "$HOME/" "/mnt/backup/home/"\n',
      },
    ]);
  });

  it('gives secrets placeholder paths and paths relative to the module', () => {
    expect(service.serviceConfig.LoadCredential).toBe('b2:/run/secrets/b2_key');
    expect(service.serviceConfig.EnvironmentFile).toBe('/run/agenix/rclone:gdrive');
    expect(result.sops.secrets.b2_key).toEqual({ sopsFile: '../../secrets/b2.yaml', owner: 'root' });
  });

  it('resolves mkMerge, mkIf false and priorities (plain 10 beats mkDefault 19)', () => {
    expect(service.serviceConfig.Nice).toBe(10);
    expect(result.systemd.services.never).toBeUndefined();
    expect(result.systemd.timers['backupgen-home']).toEqual({
      wantedBy: ['timers.target'],
      timerConfig: { OnCalendar: '*-*-* 03:00:00', Persistent: true },
    });
  });
});

describe('evalModuleToJson on a home-manager sample', () => {
  it('resolves the home directory, XDG dirs, per-user secrets and quoted unit names', async () => {
    const result = (await evalModuleToJson(join(samples, 'home.nix'), { kind: 'home', user: 'alice' })) as any;
    expect(result.programs.rclone.remotes.gdrive.secrets.token).toBe('/home/alice/.config/sops-nix/secrets/gdrive-token');
    const mount = result.systemd.user.services['rclone-mount:@gdrive'];
    expect(mount.Service.ExecStart).toBe(`${STORE}-rclone/bin/rclone mount gdrive: /home/alice/gdrive`);
    expect(mount.Service.Environment).toEqual([`PATH=${STORE}-fuse3/bin:${STORE}-coreutils/bin`]);
    expect(Object.keys(result.home.file)).toEqual(['/home/alice/.local/state/backupgen/.keep']);
    expect(result.systemd.user.timers['backupgen-docs']).toEqual({ Timer: { OnCalendar: 'hourly' } });
  });

  it('a condition on the user really is evaluated', async () => {
    const result = (await evalModuleToJson(join(samples, 'home.nix'), { kind: 'home', user: 'bob' })) as any;
    expect(result.systemd.user.timers).toEqual({});
  });
});

describe('evalModuleToJson failures', () => {
  it('conflicting definitions fail like the module system', async () => {
    const file = moduleFile('conflict.nix', '{ lib, ... }: lib.mkMerge [ { a.b = 1; } { a.b = 2; } ]');
    await expect(evalModuleToJson(file, { kind: 'nixos' })).rejects.toThrow(/conflicting definitions for `a.b`/);
  });

  it('a missing script file fails', async () => {
    const file = moduleFile('missing.nix', '{ ... }: { text = builtins.readFile ./scripts/nope.sh; }');
    await expect(evalModuleToJson(file, { kind: 'nixos' })).rejects.toThrow(/nope\.sh/);
  });

  it('a package the scan cannot see fails unless named in extraPkgs', async () => {
    const file = moduleFile('with.nix', '{ pkgs, ... }: { p = with pkgs; [ jq ]; }');
    await expect(evalModuleToJson(file, { kind: 'nixos' })).rejects.toThrow(/jq/);
    await expect(evalModuleToJson(file, { kind: 'nixos', extraPkgs: ['jq'] })).resolves.toEqual({ p: [`${STORE}-jq`] });
  });
});

describe('a module printed by printNixFile', () => {
  it('evaluates to what the tree says', async () => {
    const script = apply(
      sel(v('pkgs'), 'writeShellApplication'),
      attrsOf({ name: str('backupgen-docs'), runtimeInputs: list([sel(v('pkgs'), 'rclone')]), text: str('echo "${HOME}" \'\'\nexit 0\n') }),
    );
    const module = lambdaSet(
      ['config', 'lib', 'pkgs'],
      attrs([
        bind(['systemd', 'services', 'backupgen-docs', 'serviceConfig'], attrsOf({
          ExecStart: apply(v('lib.getExe'), script),
          LoadCredential: interp('token:', sel(v('config'), 'sops', 'secrets', 'docs:token', 'path')),
        })),
        bind(['systemd', 'services', 'backupgen-docs', 'enable'], apply(v('lib.mkDefault'), { kind: 'bool', value: true })),
        bind(['sops', 'secrets', 'docs:token', 'sopsFile'], path('./secrets.yaml')),
      ]),
    );
    const file = moduleFile('printed.nix', printNixFile(module, '# generated by backupgen — test'));
    expect(await evalModuleToJson(file, { kind: 'nixos' })).toEqual({
      systemd: {
        services: {
          'backupgen-docs': {
            enable: true,
            serviceConfig: {
              ExecStart: `${STORE}-backupgen-docs/bin/backupgen-docs`,
              LoadCredential: 'token:/run/secrets/docs:token',
            },
          },
        },
      },
      sops: { secrets: { 'docs:token': { sopsFile: './secrets.yaml' } } },
    });
  });
});
