/**
 * Every golden NixOS and home-manager module evaluates (nix/eval-module.nix: placeholder
 * packages, no nixpkgs) to a JSON snapshot kept beside the goldens:
 *   test/golden/<case>/eval/<host>.json          hosts/<host>/nixos.nix
 *   test/golden/<case>/eval/<host>/<user>.json   hosts/<host>/home/<user>.nix
 * The JSON is what the module *defines*, after mkIf/mkMerge/priorities, so a review of a
 * change sees its effect on the option values, not only on the text. Written only by
 * `npm run golden:update`, like the goldens.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalModuleToJson, type EvalModuleOptions } from '../nix-harness/eval.js';
import { goldenCases, goldenRoot } from './golden-files.js';

const updating = process.env.UPDATE_GOLDEN === '1';

interface ModuleCase {
  readonly module: string;
  readonly snapshot: string;
  readonly options: EvalModuleOptions;
}

function modulesOf(caseName: string): ModuleCase[] {
  const hostsDir = join(goldenRoot, caseName, 'hosts');
  const evalDir = join(goldenRoot, caseName, 'eval');
  if (!existsSync(hostsDir)) return [];
  return readdirSync(hostsDir)
    .sort()
    .flatMap((host) => {
      const found: ModuleCase[] = [];
      const nixos = join(hostsDir, host, 'nixos.nix');
      if (existsSync(nixos)) found.push({ module: nixos, snapshot: join(evalDir, `${host}.json`), options: { kind: 'nixos' } });
      const homeDir = join(hostsDir, host, 'home');
      const users = existsSync(homeDir) ? readdirSync(homeDir).filter((f) => f.endsWith('.nix')).sort() : [];
      for (const file of users) {
        const user = file.slice(0, -'.nix'.length);
        found.push({ module: join(homeDir, file), snapshot: join(evalDir, host, `${user}.json`), options: { kind: 'home', user } });
      }
      return found;
    });
}

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

describe.each(goldenCases())('%s', (caseName) => {
  const modules = modulesOf(caseName);

  it.each(modules.map((m) => [relative(join(goldenRoot, caseName), m.module), m] as const))('%s', async (_name, m) => {
    if (!updating && !existsSync(m.snapshot)) {
      throw new Error(`no eval snapshot ${relative(process.cwd(), m.snapshot)}; run \`npm run golden:update\` and review it`);
    }
    const json = await evalModuleToJson(m.module, m.options);
    await expect(`${JSON.stringify(json, null, 2)}\n`).toMatchFileSnapshot(m.snapshot);
  });

  it('has no eval snapshot without a module', () => {
    const expected = new Set(modules.map((m) => m.snapshot));
    const extra = filesBelow(join(goldenRoot, caseName, 'eval')).filter((path) => !expected.has(path));
    if (updating) for (const path of extra) rmSync(path);
    else expect(extra.map((path) => relative(goldenRoot, path))).toEqual([]);
  });
});
