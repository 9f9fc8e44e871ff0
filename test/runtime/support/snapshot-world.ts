/**
 * A world for snapshot-engine tests: a sandbox with a source tree, a destination, a job
 * pointing at them, and readers for what the engine leaves on the destination.
 */
import { onTestFinished } from 'vitest';
import { chmod, link, lstat, mkdir, readdir, readFile, readlink, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotJob } from '../../../src/plan/model.js';
import { snapshotJob } from '../../support/plan-builders.js';
import { renderJob } from './render.js';
import { createSandbox, type RunOptions, type RunResult, type Sandbox } from './sandbox.js';

export interface SnapshotWorld {
  readonly sb: Sandbox;
  /** The source directory (absolute; snapshots hold it at <snapshot><src>). */
  readonly src: string;
  /** The destination path of the job. */
  readonly dest: string;
  /** `<dest>/<host>`. */
  readonly hostDir: string;
  job(overrides?: Partial<SnapshotJob>): SnapshotJob;
  /** Renders `job` (default: `this.job()`) and runs it. */
  run(job?: SnapshotJob, options?: RunOptions): Promise<RunResult>;
  /** Names in `<hostDir>/<class>`, sorted. */
  list(cls: 'daily' | 'weekly' | 'monthly'): Promise<string[]>;
  /** `latest`'s link text, or undefined. */
  latest(): Promise<string | undefined>;
  /** Every entry directly in hostDir (to see leftovers). */
  hostEntries(): Promise<string[]>;
}

export async function snapshotWorld(dirName = 'src'): Promise<SnapshotWorld> {
  const sb = await createSandbox();
  onTestFinished(() => sb.cleanup());
  const src = sb.path(dirName);
  const dest = sb.path('backup');
  await mkdir(src, { recursive: true });
  const hostDir = join(dest, 'laptop');
  const job = (overrides: Partial<SnapshotJob> = {}) =>
    snapshotJob({
      sources: [src],
      destination: { path: dest, requireMountpoint: false, minFreeGB: 0 },
      retention: { daily: 3, weekly: 2, monthly: 2 },
      ...overrides,
    });
  const entries = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();
  return {
    sb,
    src,
    dest,
    hostDir,
    job,
    async run(j = job(), options) {
      return sb.run(await sb.writeScript(j.name, renderJob(j).text), options);
    },
    list: (cls) => entries(join(hostDir, cls)),
    latest: () => readlink(join(hostDir, 'latest')).catch(() => undefined),
    hostEntries: () => entries(hostDir),
  };
}

/** Names architecture.md guarantee 7 promises to handle. */
export const HOSTILE_NAMES = [
  'plain.txt',
  'with space.txt',
  `quote'single`,
  'quote"double',
  '$HOME and $(date) `x`',
  '-leading-dash',
  '--delete',
  'ünïcødé €.txt',
  'new\nline',
  'back\\slash',
  '*star?',
];

/** Hostile names, a nested dir, a symlink, a hard-linked pair, an executable, fixed mtimes. */
export async function writeHostileTree(root: string, marker = 'v1'): Promise<void> {
  await mkdir(join(root, 'sub dir', 'déeper'), { recursive: true });
  for (const name of HOSTILE_NAMES) {
    await writeFile(join(root, name), `${marker}:${name}\n`);
    await writeFile(join(root, 'sub dir', name), `${marker}:sub:${name}\n`);
  }
  await writeFile(join(root, 'sub dir', 'déeper', 'leaf $x'), `${marker}:leaf\n`);
  await writeFile(join(root, 'run.sh'), '#!/bin/sh\n');
  await chmod(join(root, 'run.sh'), 0o750);
  await symlink('sub dir/déeper/leaf $x', join(root, 'link to leaf'));
  await writeFile(join(root, 'hard a'), 'shared\n');
  await link(join(root, 'hard a'), join(root, 'hard b'));
  await utimes(join(root, 'plain.txt'), 1_000_000_000, 1_000_000_000);
}

/**
 * Sorted listing of a tree: for each path its type, mode and content (files), link text
 * (symlinks), mtime of files; and which paths share an inode (hard links inside the tree).
 */
export async function describeTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const inodes = new Map<number, string>();
  async function walk(dir: string, rel: string): Promise<void> {
    for (const entry of (await readdir(dir)).sort()) {
      const abs = join(dir, entry);
      const r = rel === '' ? entry : `${rel}/${entry}`;
      const st = await lstat(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out[`${r}/`] = `dir ${mode}`;
        await walk(abs, r);
      } else if (st.isSymbolicLink()) {
        out[r] = `link ${await readlink(abs)}`;
      } else {
        const first = inodes.get(st.ino);
        if (first === undefined) inodes.set(st.ino, r);
        const content = (await readFile(abs)).toString('base64');
        out[r] = `file ${mode} ${Math.floor(st.mtimeMs / 1000)} ${content}${first ? ` =${first}` : ''}`;
      }
    }
  }
  await walk(root, '');
  return out;
}

/** Inode of a path (to prove hard links between snapshots). */
export async function inode(path: string): Promise<number> {
  return (await lstat(path)).ino;
}

/**
 * Options that run a script as an unprivileged user: `{}` when the tests already run as
 * non-root; as root (CI) the sandbox is handed to `nobody` and the run drops to it, so
 * permission failures (an unreadable source) are real.
 */
export async function unprivileged(sb: { root: string }): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const { execa } = await import('execa');
  await chmod(sb.root, 0o755);
  await execa('chown', ['-R', '65534:65534', sb.root]);
  return { uid: 65534, gid: 65534 };
}
