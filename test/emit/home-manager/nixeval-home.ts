/**
 * Runs the nixeval harness' home-manager evaluation (../shared/tools/nixeval/eval-home.sh)
 * on a generated user module: the module and the user's job scripts are written to
 * `<root>/out`, and a wrapper module imports the user module and sets what the user's own
 * home-manager config would (username, home directory, the sops key file).
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { emitHomeManager } from '../../../src/emit/home-manager/index.js';
import { userModulePath } from '../../../src/emit/home-manager/user-module.js';
import { emitScripts } from '../../../src/emit/scripts/index.js';
import { emitTools } from '../../../src/emit/tools/index.js';
import type { GeneratedFile } from '../../../src/emit/types.js';
import type { Plan } from '../../../src/plan/model.js';
import { NIXEVAL_DIR, NIXEVAL_REFS, nixevalMissing, writeTree } from '../../nixeval/nixeval-runner.js';

/** What is missing for the home lane, or undefined when it can run. */
export function nixevalHomeMissing(): string | undefined {
  const missing = nixevalMissing();
  if (missing !== undefined) return missing;
  if (!existsSync(join(NIXEVAL_REFS, 'home-manager'))) return `no references at ${NIXEVAL_REFS} (missing home-manager)`;
  return undefined;
}

/** The parts of result.json (README.md "Result JSON (home-manager)") the tests read. */
export interface HomeResult {
  readonly status: string;
  readonly units: { name: string; text: string }[];
  readonly rclone: { enable: boolean; requiresUnit: string | null; remotes: Record<string, { secrets: Record<string, string>; mounts: Record<string, unknown> }> };
  readonly sops: { secrets?: Record<string, { key: string; path: string; sopsFile: string }> };
  readonly age: { secrets?: Record<string, { file: string; path: string }> };
  readonly scripts: Record<string, { text: string }>;
  readonly generatedFiles: Record<string, { name?: string; text: string }>;
  readonly problems: unknown[];
  readonly assertions: unknown[];
}

export interface HomeRun {
  readonly exitCode: number;
  readonly stderr: string;
  readonly result: HomeResult;
}

/**
 * The home-manager module files plus what the scripts target writes (job scripts and each
 * host's runtime library: a user module reads both).
 */
export function homeOutput(plan: Plan): GeneratedFile[] {
  return [...emitHomeManager(plan), ...emitScripts(plan), ...emitTools(plan)];
}

/** Evaluate `hosts/<host>/home/<user>.nix` of an output tree already written to `<root>/out`. */
export async function evalHomeModule(root: string, host: string, user: string, homeDirectory = `/home/${user}`): Promise<HomeRun> {
  const wrapper = join(root, `home-${user}.nix`);
  writeFileSync(
    wrapper,
    [
      "# The part of a user's home-manager configuration around the generated module.",
      '{ config, ... }:',
      '{',
      `  imports = [ ./out/${userModulePath(host, user)} ];`,
      `  home.username = ${JSON.stringify(user)};`,
      `  home.homeDirectory = ${JSON.stringify(homeDirectory)};`,
      '  sops.age.keyFile = "${config.home.homeDirectory}/.config/sops/age/keys.txt";',
      '}',
      '',
    ].join('\n'),
  );
  const run = await execa(join(NIXEVAL_DIR, 'eval-home.sh'), [wrapper, join(root, `nixeval-${user}`)], {
    reject: false,
    env: { NIXEVAL_REFS },
  });
  let result: HomeResult;
  try {
    result = JSON.parse(run.stdout) as HomeResult;
  } catch {
    throw new Error(`nixeval exit ${run.exitCode}, no JSON:\n${run.stderr}\n${run.stdout}`);
  }
  return { exitCode: run.exitCode ?? -1, stderr: run.stderr, result };
}

/** A fresh temporary root with the output of `plan` under `out/` (configDirFromOutput must point at real files). */
export function writeHomeOutput(plan: Plan, root = mkdtempSync(join(tmpdir(), 'backupgen-nixeval-home-'))): string {
  mkdirSync(join(root, 'out'), { recursive: true });
  writeTree(join(root, 'out'), homeOutput(plan));
  return root;
}

/** One command systemd runs when it starts a unit, made runnable outside Nix. */
export interface UnitStep {
  /** `rclone-config.service ExecStartPost` */
  readonly what: string;
  /** The rendered script, written to a file. */
  readonly script: string;
  readonly args: readonly string[];
  /** The unit's Environment= (systemd's quoting and `%t` resolved against `xdgRuntimeDir`). */
  readonly env: Readonly<Record<string, string>>;
}

/** `Environment="K=V"` / `Environment=K=V` -> [K, V] (systemd.syntax(7) quoting, `%%`, `%t`). */
function environmentAssignment(value: string, xdgRuntimeDir: string): [string, string] {
  let text = value;
  if (text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).replaceAll(/\\(["\\])/g, '$1');
  text = text.replaceAll(/%([%t])/g, (_m, c: string) => (c === '%' ? '%' : xdgRuntimeDir));
  return [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)];
}

/**
 * What systemd runs when rclone-config.service starts (at login, or when an activation
 * restarts it), in order: first the backupgen units it Requires= (and is ordered after),
 * then its own ExecStartPre=, ExecStart= and ExecStartPost= lines. Each command's store path
 * is replaced by the script nixeval rendered for it, written to `dir`, with the harness' stub
 * rclone replaced by the `rclone` on PATH and programs.rclone's pre-secrets config written
 * next to it. Every unit started by it must have its script rendered (no stub is run).
 */
export function rcloneConfigSteps(result: HomeResult, dir: string, xdgRuntimeDir: string): UnitStep[] {
  const unitText = (name: string): string => {
    const found = result.units.find((u) => u.name === name);
    if (found === undefined) throw new Error(`nixeval rendered no ${name}`);
    return found.text;
  };
  const replacements: [string | RegExp, string][] = [[/\/nix\/store\/[a-z0-9]+-rclone-stub\/bin\/rclone/g, 'rclone']];
  const preSecrets = Object.entries(result.generatedFiles).find(([, file]) => file.name === 'rclone.conf@pre-secrets');
  if (preSecrets !== undefined) {
    writeFileSync(join(dir, 'pre-secrets.conf'), preSecrets[1].text);
    replacements.push([preSecrets[0], join(dir, 'pre-secrets.conf')]);
  }
  const config = unitText('rclone-config.service');
  const required = unitSettings(config, 'Unit')
    .filter(([key]) => key === 'Requires')
    .flatMap(([, value]) => value.split(/\s+/))
    .filter((name) => name.startsWith('backupgen-'));
  const steps: UnitStep[] = [];
  for (const unit of [...required, 'rclone-config.service']) {
    const settings = unitSettings(unitText(unit), 'Service');
    const env = Object.fromEntries(settings.filter(([k]) => k === 'Environment').map(([, v]) => environmentAssignment(v, xdgRuntimeDir)));
    for (const key of ['ExecStartPre', 'ExecStart', 'ExecStartPost']) {
      for (const [, command] of settings.filter(([k]) => k === key)) {
        const [exe, ...args] = command.split(' ');
        const store = Object.keys(result.scripts).find((path) => exe!.startsWith(`${path}/`));
        if (store === undefined) throw new Error(`${unit} ${key}: no rendered script for ${command}`);
        let text = result.scripts[store]!.text;
        for (const [from, to] of replacements) text = text.replaceAll(from, to);
        const script = join(dir, `${steps.length}-${basename(store)}.sh`);
        writeFileSync(script, text);
        steps.push({ what: `${unit} ${key}`, script, args, env });
      }
    }
  }
  return steps;
}

/** The settings of one section of a rendered unit file, in file order. */
function unitSettings(unitText: string, wanted: string): [key: string, value: string][] {
  const out: [string, string][] = [];
  let section = '';
  for (const line of unitText.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header !== null) section = header[1]!;
    else if (section === wanted && line.includes('=')) out.push([line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  }
  return out;
}
