/**
 * The whole pipeline short of the disk: find the config, load and validate it, plan it,
 * emit every target. `build`, `validate` and the golden tests all go through here, so the
 * goldens test exactly what users get.
 */
import { relative, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
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

/**
 * `configPath` is absolute (the CLI's folder need not be the process's); messages name the
 * file relative to `shownFrom`, as the user would type it, when that folder is given.
 */
export async function planFile(configPath: string, outDir: string, shownFrom?: string): Promise<Plan> {
  try {
    const { config, file } = await loadConfig(configPath);
    return planConfig(config, { configPath: file, outDir: resolve(outDir) });
  } catch (error) {
    if (!(error instanceof ConfigError) || shownFrom === undefined) throw error;
    const shown = relative(shownFrom, configPath);
    if (shown === '' || shown.startsWith('..')) throw error;
    throw new ConfigError(error.issues.map((issue) => (issue.file === configPath ? { ...issue, file: shown } : issue)));
  }
}

export async function compile(configPath: string, outDir: string, shownFrom?: string): Promise<Compiled> {
  const plan = await planFile(configPath, outDir, shownFrom);
  return { plan, files: emitAll(plan) };
}
