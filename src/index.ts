/**
 * backupgen's public package entry. Users' `backupgen.config.ts` imports `defineConfig`
 * from here (the loader aliases `backupgen` to this module).
 */
import type { BackupgenConfigInput } from './config/schema/config.js';

export type { BackupgenConfig, BackupgenConfigInput } from './config/schema/config.js';

/** Identity function that gives a TS config full type checking and editor completion. */
export function defineConfig(config: BackupgenConfigInput): BackupgenConfigInput {
  return config;
}
