/**
 * The one place a failed command turns into output and an exit status. User errors print
 * their own lines only (a stack would bury the message); anything unexpected is our bug,
 * printed with its stack so the report is useful.
 */
import { EXIT_BUG, EXIT_USER_ERROR } from './exit-codes.js';
import type { CliIo } from './io.js';
import { userErrorLines } from './user-error.js';

export function reportError(error: unknown, io: CliIo): number {
  const lines = userErrorLines(error);
  if (lines !== undefined) {
    for (const line of lines) io.err(line);
    return EXIT_USER_ERROR;
  }
  io.err(error instanceof Error ? (error.stack ?? String(error)) : String(error));
  io.err('backupgen: this is a bug in backupgen; please report it with the lines above');
  return EXIT_BUG;
}
