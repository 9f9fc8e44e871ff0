/**
 * backupgen's own flake: it needs network for its inputs, so here it is parsed, and its checks
 * (nix/checks.nix) are evaluated with the real nixpkgs lib (the nixeval references) and stub
 * builders: every golden output's host and user must get a check, named as documented.
 */
import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NIXEVAL_REFS } from '../nixeval/nixeval-runner.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const nixpkgsLib = join(NIXEVAL_REFS, 'nixpkgs.lib', 'lib');

describe('flake.nix', () => {
  it.each(['flake.nix', 'nix/package.nix', 'nix/checks.nix'])('%s parses', async (file) => {
    const result = await execa('nix-instantiate', ['--parse', join(root, file)], { reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  if (!existsSync(nixpkgsLib)) {
    it.skip(`checks evaluation SKIPPED: no nixpkgs lib at ${nixpkgsLib}`, () => {});
    return;
  }

  it('nix/checks.nix has one check per golden NixOS host and home-manager user', async () => {
    // Stubs stand in for what needs nixpkgs' packages or network: the builders only return
    // their name, so evaluating the attribute names exercises the walk over the goldens.
    const expr = `
      let
        lib = import ${JSON.stringify(nixpkgsLib)};
        stub = name: { inherit name; };
        checks = import ${JSON.stringify(join(root, 'nix/checks.nix'))} {
          pkgs = { inherit lib; stdenv.hostPlatform.system = "x86_64-linux"; writeText = name: _: stub name; };
          nixpkgs.lib.nixosSystem = _: { config.systemd.units = { }; };
          home-manager.lib.homeManagerConfiguration = _: { activationPackage = stub "activation"; };
          sops-nix = { nixosModules.sops = { }; homeManagerModules.sops = { }; };
          agenix = { nixosModules.default = { }; homeManagerModules.default = { }; };
          goldens = ${JSON.stringify(join(root, 'test/golden'))};
        };
      in
      builtins.attrNames checks`;
    const result = await execa('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr], { reject: false });
    expect(result.stderr).toBe('');
    const names: string[] = JSON.parse(result.stdout);

    const expected: string[] = [];
    for (const kase of readdirSync(join(root, 'test/golden'), { withFileTypes: true })) {
      if (!kase.isDirectory()) continue;
      const hosts = join(root, 'test/golden', kase.name, 'hosts');
      for (const host of existsSync(hosts) ? readdirSync(hosts) : []) {
        if (existsSync(join(hosts, host, 'nixos.nix'))) expected.push(`${kase.name}-nixos-${host}`);
        const home = join(hosts, host, 'home');
        for (const file of existsSync(home) ? readdirSync(home) : []) {
          if (file.endsWith('.nix')) expected.push(`${kase.name}-home-${host}-${file.slice(0, -'.nix'.length)}`);
        }
      }
    }
    expect(expected.length).toBeGreaterThan(5);
    expect(names.sort()).toEqual(expected.sort());
  });
});
