/**
 * Runs the nixeval acceptance harness (../shared/tools/nixeval beside this repository,
 * README.md) on the NixOS
 * modules backupgen generates: the whole output tree (modules, job scripts, default.nix) is
 * written to a temporary directory next to a copy of the config's secrets, and each host's
 * nixos.nix is imported by a small host module that sets what the user's own NixOS config
 * would (sops key source, the accounts system jobs run as).
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostPlan, Plan } from '../../src/plan/model.js';
import { emitAll } from '../../src/emit/index.js';
import type { GeneratedFile } from '../../src/emit/types.js';

// The team's shared/ folder sits beside the repository (in CI too): ../shared/tools/nixeval.
export const NIXEVAL_DIR =
  process.env.NIXEVAL_DIR ?? fileURLToPath(new URL('../../../shared/tools/nixeval', import.meta.url));
export const NIXEVAL_REFS = process.env.NIXEVAL_REFS ?? join(homedir(), '.cache', 'nixeval-refs');
const REQUIRED_REFS = ['nixpkgs.lib', 'nixpkgs-files', 'sops-nix', 'agenix'];

/** What is missing for the lane to run, or undefined when it can run. */
export function nixevalMissing(): string | undefined {
  if (!existsSync(join(NIXEVAL_DIR, 'eval-nixos.sh'))) return `no harness at ${NIXEVAL_DIR}`;
  const missing = REQUIRED_REFS.filter((name) => !existsSync(join(NIXEVAL_REFS, name)));
  if (missing.length > 0) return `no references at ${NIXEVAL_REFS} (missing ${missing.join(', ')})`;
  return undefined;
}

export interface NixevalRun {
  readonly exitCode: number;
  readonly stderr: string;
  readonly result: NixevalResult;
  readonly outDir: string;
  /** `systemd-analyze security` exposure per service, from the result. */
  readonly exposure: Record<string, number>;
}

/** The parts of result.json the tests read (README.md "Result JSON (NixOS)"). */
export interface NixevalResult {
  readonly status: string;
  readonly services: Record<string, { unitText: string; environment: Record<string, string>; serviceConfig: Record<string, unknown> }>;
  readonly timers: Record<string, { unitText: string; timerConfig: Record<string, unknown> }>;
  readonly units: Record<string, { text: string }> | { name: string; text: string }[];
  readonly sops: { manifest?: { secrets: { name: string; key: string; owner?: string; mode: string; sopsFile: string }[] } };
  readonly age: { secrets: Record<string, { file: string; owner: string; mode: string; path: string }> };
  readonly fuse: { userAllowOther: boolean };
  readonly assertions: unknown[];
  readonly problems: unknown[];
  readonly systemdAnalyze: { security: Record<string, { exposure: number; rating: string }> };
  readonly scripts: Record<string, { text: string; shellcheck?: unknown }>;
  readonly groups: Record<string, unknown>;
}

export function writeTree(root: string, files: readonly GeneratedFile[]): void {
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents, { mode: file.executable === true ? 0o755 : 0o644 });
  }
}

/** Every account a system job of `host` runs as, declared as a system user. */
function hostModuleText(host: HostPlan): string {
  const users = [...new Set(host.jobs.map((j) => j.runAs.user).filter((u) => u !== 'root'))].sort();
  const accounts = users.flatMap((u) => [
    `  users.users.${JSON.stringify(u)} = { isSystemUser = true; group = ${JSON.stringify(u)}; };`,
    `  users.groups.${JSON.stringify(u)} = { };`,
  ]);
  return [
    '# The part of a user\'s NixOS configuration around the generated module.',
    '{ ... }:',
    '{',
    `  imports = [ (import ./out/default.nix).nixosModules.${JSON.stringify(host.name)} ];`,
    '  sops.age.keyFile = "/var/lib/sops-nix/key.txt";',
    '  age.identityPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];',
    ...accounts,
    '}',
    '',
  ].join('\n');
}

/** Everything `backupgen build` writes (the emit registry): modules, scripts, default.nix. */
export function nixosOutput(plan: Plan): GeneratedFile[] {
  return emitAll(plan);
}

/**
 * Evaluate the module of `hostName` from an output tree already written to `<root>/out`:
 * a host module `<root>/host.nix` imports it through default.nix, as a user's flake would.
 */
export async function evalNixosOutput(root: string, host: HostPlan): Promise<NixevalRun> {
  writeFileSync(join(root, 'host.nix'), hostModuleText(host));
  // nixeval stubs the `pkgs.NAME`s it finds in the module and the files beside it; ours sits
  // below out/, so its names (runtimeInputs such as pigz) are handed over explicitly.
  const moduleText = readFileSync(join(root, 'out', 'hosts', host.name, 'nixos.nix'), 'utf8');
  const pkgs = [...new Set([...moduleText.matchAll(/\bpkgs\.([A-Za-z0-9_][A-Za-z0-9_-]*)/g)].map((m) => m[1]!))].sort();
  const outDir = join(root, 'nixeval');
  const run = await execa(join(NIXEVAL_DIR, 'eval-nixos.sh'), [join(root, 'host.nix'), outDir], {
    reject: false,
    env: { NIXEVAL_REFS, NIXEVAL_EXTRA_PKGS: pkgs.join(' ') },
  });
  let result: NixevalResult;
  try {
    result = JSON.parse(run.stdout) as NixevalResult;
  } catch {
    throw new Error(`nixeval exit ${run.exitCode}, no JSON:\n${run.stderr}\n${run.stdout}`);
  }
  const exposure: Record<string, number> = {};
  for (const [name, s] of Object.entries(result.systemdAnalyze?.security ?? {})) exposure[name] = s.exposure;
  return { exitCode: run.exitCode ?? -1, stderr: run.stderr, result, outDir: root, exposure };
}

/**
 * For plans from the builders: the output tree of `plan` (its `configDirFromOutput` must be
 * `../config`) under a fresh temporary directory, `configDir` (the secrets) copied to
 * `config/`, and the module of `hostName` evaluated.
 */
export async function evalNixosHost(plan: Plan, configDir: string | undefined, hostName: string): Promise<NixevalRun> {
  if (plan.configDirFromOutput !== '../config') throw new Error('evalNixosHost: plan.configDirFromOutput must be ../config');
  const host = plan.hosts.find((h) => h.name === hostName);
  if (host === undefined) throw new Error(`no host ${hostName}`);
  const root = mkdtempSync(join(tmpdir(), 'backupgen-nixeval-'));
  mkdirSync(join(root, 'config'), { recursive: true });
  if (configDir !== undefined) cpSync(configDir, join(root, 'config'), { recursive: true });
  writeTree(join(root, 'out'), nixosOutput(plan));
  return evalNixosOutput(root, host);
}
