/**
 * `.backupgen-manifest.json`: what the last build generated, with hashes. It is how the
 * writer knows which files it may delete (only those listed), and it is itself part of the
 * output, so `--check` notices when it is missing or out of date. Stable JSON: fixed key
 * order, paths in code-unit order, two-space indent, trailing newline, no timestamps.
 */
import { createHash } from 'node:crypto';
import { outputPathProblem } from './output-path.js';

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
}

export interface Manifest {
  readonly files: readonly ManifestEntry[];
}

export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}

export function manifestFor(files: readonly { readonly path: string; readonly contents: string | Uint8Array }[]): Manifest {
  const entries = files.map((file) => ({ path: file.path, sha256: sha256(file.contents) }));
  return { files: entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

export function serializeManifest(manifest: Manifest): string {
  const body = {
    generatedBy: 'backupgen — do not edit; lists the files backupgen generated here',
    version: 1,
    files: manifest.files.map((entry) => ({ path: entry.path, sha256: entry.sha256 })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export class ManifestError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}; delete the output directory and build again`);
    this.name = 'ManifestError';
  }
}

/** Parses a manifest read from disk; every path is checked before the writer trusts it. */
export function parseManifest(file: string, text: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ManifestError(file, 'is not valid JSON');
  }
  const files = (data as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw new ManifestError(file, 'has no "files" list');
  const entries: ManifestEntry[] = [];
  for (const entry of files as unknown[]) {
    const { path, sha256: hash } = (entry ?? {}) as { path?: unknown; sha256?: unknown };
    if (typeof path !== 'string' || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new ManifestError(file, 'has an entry without a path and sha256');
    }
    const problem = outputPathProblem(path);
    if (problem !== undefined) throw new ManifestError(file, `lists ${JSON.stringify(path)}, which ${problem}`);
    entries.push({ path, sha256: hash });
  }
  return { files: entries };
}
