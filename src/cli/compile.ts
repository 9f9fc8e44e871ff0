/**
 * The whole pipeline short of the disk: find the config, load and validate it, plan it,
 * emit every target. `build`, `validate` and the golden tests all go through here, so the
 * goldens test exactly what users get.
 */
import { resolve } from 'node:path';
import { CONFIG_FILE_NAMES, findConfig, loadConfig } from '../config/load.js';
import { emitAll } from '../emit/index.js';
import type { GeneratedFile } from '../emit/types.js';
import type { Plan } from '../plan/model.js';
import { planConfig } from '../plan/plan.js';
import { UsageError } from './user-error.js';

export interface Compiled {
  readonly plan: Plan;
  readonly files: readonly GeneratedFile[];
}

/** `--config` when given, else the config file in `cwd`. */
export function resolveConfigPath(cwd: string, option: string | undefined): string {
  if (option !== undefined) return resolve(cwd, option);
  const found = findConfig(cwd);
  if (found === undefined) {
    throw new UsageError(
      `no config file in ${cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}); pass --config FILE or run \`backupgen init\``,
    );
  }
  return found;
}

export async function planFile(configPath: string, outDir: string): Promise<Plan> {
  const { config, file } = await loadConfig(configPath);
  return planConfig(config, { configPath: file, outDir: resolve(outDir) });
}

export async function compile(configPath: string, outDir: string): Promise<Compiled> {
  const plan = await planFile(configPath, outDir);
  return { plan, files: emitAll(plan) };
}
