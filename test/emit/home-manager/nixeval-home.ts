/**
 * Runs the nixeval harness' home-manager evaluation (/work/shared/tools/nixeval/eval-home.sh)
 * on a generated user module: the module and the user's job scripts are written to
 * `<root>/out`, and a wrapper module imports the user module and sets what the user's own
 * home-manager config would (username, home directory, the sops key file).
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitHomeManager } from '../../../src/emit/home-manager/index.js';
import { userModulePath } from '../../../src/emit/home-manager/user-module.js';
import { renderJobScript } from '../../../src/emit/scripts/job-script.js';
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

/** The home-manager module files plus the scripts of the user jobs of every NixOS host. */
export function homeOutput(plan: Plan): GeneratedFile[] {
  const files = [...emitHomeManager(plan)];
  for (const host of plan.hosts.filter((h) => h.kind === 'nixos')) {
    for (const user of host.users) {
      for (const job of user.jobs) {
        const script = renderJobScript(plan, host, job);
        files.push({ path: script.path, contents: script.text, executable: true });
      }
    }
  }
  return files;
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
