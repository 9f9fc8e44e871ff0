/**
 * Where the CLI prints and which folder it works in. The real process by default; tests
 * pass their own to run commands in-process without touching the test runner's output.
 */
export interface CliIo {
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export function processIo(): CliIo {
  // `backupgen schema | head` closes the pipe early; that is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    cwd: process.cwd(),
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
  };
}
