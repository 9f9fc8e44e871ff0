/** The front end's API for the CLI: load, validate, explain. */
export { CONFIG_FILE_NAMES, findConfig, loadConfig } from './load.js';
export { ConfigError, formatIssue, type ConfigIssue } from './errors.js';
export { configJsonSchema, configSchema, type BackupgenConfig, type BackupgenConfigInput } from './schema/config.js';
export { starterConfig } from './starter.js';
export { validateConfig } from './validate.js';
