/**
 * Watching argv, which any local user can read (`ps`, /proc/<pid>/cmdline), two ways:
 *
 * - `watchProcesses`: samples /proc/[pid]/cmdline of every process every 20 ms while a
 *   script runs, as `ps` would see it. Cheap and system-wide, but a process living less than
 *   a sample interval can slip through.
 * - `argvShims`: a directory of recording wrappers put first on the script's PATH. Each
 *   logs its own argv, then execs the real tool: every call of those tools is seen, however
 *   short. (An observer, not a mock: the real tool does the work.)
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { findCanaries, type Leak } from './canaries.js';

export interface ProcessWatch {
  /** Stops sampling; resolves with what was seen. */
  stop(): Promise<ProcessWatchResult>;
}

export interface ProcessWatchResult {
  readonly leaks: readonly Leak[];
  readonly samples: number;
  /** Every distinct argv seen (joined with spaces), for non-vacuity checks. */
  readonly commandLines: ReadonlySet<string>;
}

function readCmdline(pid: string): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return undefined; // the process ended between readdir and read
  }
}

export function watchProcesses(canaries: readonly string[], intervalMs = 20): ProcessWatch {
  const leaks: Leak[] = [];
  const commandLines = new Set<string>();
  let samples = 0;
  const sample = () => {
    samples++;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const raw = readCmdline(pid);
      if (raw === undefined || raw.length === 0) continue;
      const line = raw.toString('latin1').replaceAll('\0', ' ').trimEnd();
      if (commandLines.has(line)) continue;
      commandLines.add(line);
      leaks.push(...findCanaries(raw, canaries, `argv of pid ${pid}: ${line}`));
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      return { leaks, samples, commandLines };
    },
  };
}

export interface ArgvShims {
  /** Put first on PATH. */
  readonly dir: string;
  /** Every recorded call since the last `reset`: [tool, ...args]. */
  calls(): string[][];
  reset(): void;
}

/** Recording wrappers for `tools` (each must be on PATH now) in `dir`, logging to `dir/.argv.log`. */
export function argvShims(dir: string, tools: readonly string[]): ArgvShims {
  mkdirSync(dir, { recursive: true });
  const log = join(dir, '.argv.log');
  for (const tool of tools) {
    const real = execaSync('bash', ['-c', 'command -v -- "$1"', 'which', tool]).stdout.trim();
    if (!real.startsWith('/')) throw new Error(`argvShims: ${tool} is not an executable on PATH`);
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    writeFileSync(
      join(dir, tool),
      [
        '#!/bin/bash',
        `# argv recorder for ${tool} (test/secrets/support/argv-watch.ts)`,
        `{ printf '%s\\0' ${q(tool)} "$@"; printf '\\n'; } >>${q(log)}`,
        `exec ${q(real)} "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, tool), 0o755);
  }
  writeFileSync(log, '');
  return {
    dir,
    calls() {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'latin1')
        .split('\0\n')
        .filter((record) => record !== '')
        .map((record) => record.split('\0'));
    },
    reset() {
      writeFileSync(log, '');
    },
  };
}

/** Canaries in recorded argv. */
export function shimLeaks(calls: readonly string[][], canaries: readonly string[]): Leak[] {
  return calls.flatMap((argv) => findCanaries(argv.join('\0'), canaries, `argv of ${argv.join(' ')}`));
}
