/**
 * Reading what the archive engine wrote: its three files in a destination, extraction of
 * every format with the real tools, and the manifest.
 */
import { execa } from 'execa';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface ManifestEntry {
  readonly path: string;
  readonly type: string;
  readonly size: number;
  readonly mode: string;
  readonly mtime: string;
  readonly pathHex?: string;
}
export interface Manifest {
  readonly job: string;
  readonly archive: string;
  readonly sources: readonly string[];
  readonly files: readonly ManifestEntry[];
}

/** The archive names in `dir` (not .sha256 / manifest / temp files). */
export async function archivesIn(dir: string, job = 'myapp'): Promise<string[]> {
  const re = new RegExp(`^${job}-\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d(_\\d\\d)?\\.(tar\\.(gz|xz|bz2|zst)|zip)$`);
  return (await readdir(dir)).filter((f) => re.test(f)).sort();
}

export async function readManifest(dir: string, archive: string): Promise<Manifest> {
  const base = archive.replace(/\.(tar\.(gz|xz|bz2|zst)|zip)$/, '');
  return JSON.parse(await readFile(join(dir, `${base}.manifest.json`), 'utf8')) as Manifest;
}

/** Extracts with the format's own tool (GNU tar detects the compression itself). */
export async function extract(archivePath: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  if (archivePath.endsWith('.zip')) await execa('unzip', ['-q', archivePath, '-d', into]);
  else await execa('tar', ['-xf', archivePath, '-C', into]);
}

/** `sha256sum -c` run inside the destination, as a user would. */
export async function sha256Check(dir: string, archive: string): Promise<{ exitCode: number | undefined; stdout: string }> {
  const r = await execa('sha256sum', ['-c', `${archive}.sha256`], { cwd: dir, reject: false });
  return { exitCode: r.exitCode, stdout: r.stdout };
}
