/**
 * The golden trees the lanes run real tools over. The golden test keeps them equal to what
 * the fixtures compile to, so checking them checks the emitted output, and a failure points
 * at a file a reviewer can open.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const goldenRoot = join(import.meta.dirname, '../golden');

export interface GoldenFile {
  /** `<case>/<path inside the output>` */
  readonly name: string;
  readonly absolute: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

export function goldenCases(): string[] {
  return readdirSync(goldenRoot)
    .filter((name) => statSync(join(goldenRoot, name)).isDirectory())
    .sort();
}

export function goldenFilesEndingIn(suffix: string): GoldenFile[] {
  return goldenCases().flatMap((name) =>
    walk(join(goldenRoot, name))
      .filter((path) => path.endsWith(suffix))
      .map((absolute) => ({ name: relative(goldenRoot, absolute), absolute })),
  );
}
