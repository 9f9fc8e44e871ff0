/**
 * Errors that are the user's to fix, printed as lines with no stack trace (exit 2).
 * Everything else that reaches the top is a bug in backupgen (report-error.ts).
 */
import { ConfigError } from '../config/errors.js';
import { ManifestError } from '../write/manifest.js';
import { WriteConflictError } from '../write/write-output.js';

/** A problem with how backupgen was invoked (a missing config, a file init would overwrite). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The lines to print when `error` is the user's to fix; undefined when it is a bug. */
export function userErrorLines(error: unknown): string[] | undefined {
  if (error instanceof ConfigError) return error.lines();
  if (error instanceof UsageError || error instanceof ManifestError || error instanceof WriteConflictError) {
    return error.message.split('\n');
  }
  return undefined;
}
