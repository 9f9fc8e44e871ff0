/**
 * Golden files: every fixture's output, file by file, against test/golden/<case>/<path>.
 * They are real .nix/.sh files so reviewers read them as such and the lanes can run the
 * real tools on them. Only `npm run golden:update` (UPDATE_GOLDEN=1, vitest -u) writes
 * them: a missing golden fails here instead of being created silently by vitest, and
 * golden files nothing generates any more fail too (the update removes them).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAllCases, goldenDir } from './fixture-cases.js';

const updating = process.env.UPDATE_GOLDEN === '1';
/** Subfolders of a case's golden folder written by other lanes (test/lanes/nix-eval). */
const OTHER_LANES = new Set(['eval']);

const cases = await compileAllCases();

function goldenFiles(caseDir: string, dir = caseDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (dir === caseDir && OTHER_LANES.has(name)) return [];
    return statSync(path).isDirectory() ? goldenFiles(caseDir, path) : [relative(caseDir, path).split('\\').join('/')];
  });
}

describe.each(cases)('$name', (compiled) => {
  const caseDir = join(goldenDir, compiled.name);

  it('compiles', () => {
    if (!compiled.ok) throw compiled.error;
    expect(compiled.files.length).toBeGreaterThan(0);
  });
  if (!compiled.ok) return;

  it.each(compiled.files.map((file) => [file.path, file] as const))('%s', async (_path, file) => {
    const golden = join(caseDir, file.path);
    if (!updating && !existsSync(golden)) {
      throw new Error(`no golden file ${relative(process.cwd(), golden)}; run \`npm run golden:update\` and review it`);
    }
    await expect(file.contents).toMatchFileSnapshot(golden);
  });

  it('has no golden file that is no longer generated', () => {
    const generated = new Set(compiled.files.map((file) => file.path));
    const extra = goldenFiles(caseDir).filter((path) => !generated.has(path));
    if (updating) for (const path of extra) rmSync(join(caseDir, path));
    else expect(extra).toEqual([]);
  });
});
