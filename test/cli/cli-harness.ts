/**
 * Runs the CLI in-process (runCli with captured output) in a scratch folder. The spawned
 * binary is exercised separately in bin.test.ts; in-process runs keep the many small cases
 * fast and let the tests see stdout and stderr apart.
 */
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from '../../src/cli/main.js';

export interface CliRun {
  readonly status: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

export async function cli(cwd: string, ...args: string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runCli(['node', 'backupgen', ...args], {
    cwd,
    out: (line) => void stdout.push(...line.split('\n')),
    err: (line) => void stderr.push(...line.split('\n')),
  });
  return { status, stdout, stderr };
}

const scratch: string[] = [];

export async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'backupgen-cli-'));
  scratch.push(dir);
  return dir;
}

export async function removeScratch(): Promise<void> {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A copy of fixtures/<name> (config and its secrets) in a scratch folder. */
export async function fixtureCopy(name: string): Promise<string> {
  const dir = await scratchDir();
  await cp(join(import.meta.dirname, '../../fixtures', name), dir, { recursive: true });
  return dir;
}

/** Every file below `dir` (relative, sorted) with its bytes and mode, for exact comparisons. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const mode = ((await stat(path)).mode & 0o777).toString(8);
        result[relative(dir, path)] = `${mode}:${await readFile(path, 'utf8')}`;
      }
    }
  }
  await walk(dir);
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)));
}
