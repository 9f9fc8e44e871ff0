/**
 * A temporary world for running generated scripts: its own HOME, state directory and TMPDIR,
 * a fixed TZ and locale, and a runner that captures exit status, signal, stdout and stderr.
 * Every test creates one and removes it with `cleanup()` (e.g. in `onTestFinished`).
 */
import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  /** undefined when the process was killed by a signal. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly stderrLines: readonly string[];
  /** The last non-empty stderr line (the FAILED / ok line of the conventions). */
  readonly lastLine: string;
}

export interface RunOptions {
  /** Added to (and overriding) the sandbox environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  /** Own process group (kill the whole run, rsync included, with `process.kill(-pid, sig)`). */
  readonly detached?: boolean;
  /** Run as this uid/gid (tests that need a non-root user while CI runs as root). */
  readonly uid?: number;
  readonly gid?: number;
}

export interface Sandbox {
  readonly root: string;
  readonly home: string;
  /** What STATE_DIRECTORY points at. */
  readonly stateDir: string;
  /** TMPDIR of the scripts: the runtime-dir fallback (mktemp -d) lands here. */
  readonly tmpDir: string;
  /** The environment scripts get (PATH from the test process, nothing else inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** `<root>/<relative>`. */
  path(...relative: string[]): string;
  /** Writes an executable script under `<root>/scripts/` and returns its path. */
  writeScript(name: string, text: string): Promise<string>;
  /** Runs `bash <script>` to completion; never throws for a non-zero exit. */
  run(script: string, options?: RunOptions): Promise<RunResult>;
  /** Starts `bash <script>` and returns the running process (for kill / concurrency tests). */
  start(script: string, options?: RunOptions): Started;
  /** Parsed `<state>/<job>.status.json` (throws if missing or not valid JSON). */
  readStatus(job: string): Promise<Record<string, unknown>>;
  cleanup(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'backupgen-rt-'));
  const home = join(root, 'home');
  const stateDir = join(root, 'state');
  const tmpDir = join(root, 'tmp');
  await Promise.all([home, stateDir, tmpDir, join(root, 'scripts')].map((d) => mkdir(d, { recursive: true })));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    STATE_DIRECTORY: stateDir,
    TMPDIR: tmpDir,
    TZ: 'UTC',
    LANG: 'C.UTF-8',
  };

  function envFor(options: RunOptions | undefined): Record<string, string> {
    const merged: Record<string, string> = { ...env };
    for (const [k, v] of Object.entries(options?.env ?? {})) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    return merged;
  }

  function start(script: string, options?: RunOptions): Started {
    return startBash(script, envFor(options), root, options ?? {});
  }

  return {
    root,
    home,
    stateDir,
    tmpDir,
    env,
    path: (...relative) => join(root, ...relative),
    async writeScript(name, text) {
      const file = join(root, 'scripts', `${name}.sh`);
      await writeFile(file, text);
      await chmod(file, 0o755);
      return file;
    },
    start,
    async run(script, options) {
      return toResult(await start(script, options));
    },
    async readStatus(job) {
      return JSON.parse(await readFile(join(stateDir, `${job}.status.json`), 'utf8')) as Record<string, unknown>;
    },
    async cleanup() {
      // Snapshots may hold read-only directories; make them writable so rm can descend.
      await execa('chmod', ['-R', 'u+rwX', root], { reject: false });
      await rm(root, { recursive: true, force: true });
    },
  };
}

function startBash(script: string, env: Record<string, string>, cwd: string, options: RunOptions) {
  return execa('bash', [script], {
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    cwd,
    timeout: options.timeoutMs ?? 50_000,
    detached: options.detached ?? false,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
}

/** A running script: await it for the result, `.kill(signal)` it, `.pid` for its process id. */
export type Started = ReturnType<typeof startBash>;

/** Converts a finished execa result (from `start`) into a RunResult. */
export function toResult(r: { exitCode?: number | undefined; signal?: string | undefined; stdout?: unknown; stderr?: unknown }): RunResult {
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '');
  const stderrLines = stderr.split('\n').filter((l) => l !== '');
  return {
    exitCode: r.signal ? undefined : r.exitCode,
    signal: r.signal ?? undefined,
    stdout,
    stderr,
    stderrLines,
    lastLine: stderrLines.at(-1) ?? '',
  };
}
