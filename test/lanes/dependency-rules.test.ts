/**
 * The dependency-direction lint: the real tree passes, and a tree that breaks each rule
 * fails (so the rules cannot silently match nothing, e.g. after a folder is renamed).
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const lintDeps = join(import.meta.dirname, '../../scripts/lint-deps.mjs');
const trees: string[] = [];
afterAll(async () => Promise.all(trees.map((tree) => rm(tree, { recursive: true, force: true }))));

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'backupgen-deprules-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('dependency direction', () => {
  it('holds for src/', async () => {
    const result = await execa('node', [lintDeps], { reject: false, all: true });
    expect(result.all).toMatch(/0 errors/);
    expect(result.exitCode).toBe(0);
  });

  it.each([
    ['config-imports-a-later-stage', 'src/config/a.ts', "import type { Plan } from '../plan/b.js';", 'src/plan/b.ts'],
    ['plan-imports-a-later-stage', 'src/plan/a.ts', "import { x } from '../emit/b.js';", 'src/emit/b.ts'],
    ['emit-imports-a-later-stage', 'src/emit/x/a.ts', "export { x } from '../../write/b.js';", 'src/write/b.ts'],
    ['write-imports-a-later-stage', 'src/write/a.ts', "const m = await import('../cli/b.js');", 'src/cli/b.ts'],
    ['print-is-a-leaf', 'src/print/a.ts', "import type { Plan } from '../plan/b.js';", 'src/plan/b.ts'],
    ['only-emit-prints', 'src/plan/a.ts', "import { q } from '../print/b.js';", 'src/print/b.ts'],
    ['report-reads-only-the-plan', 'src/report/a.ts', "import { x } from '../emit/b.js';", 'src/emit/b.ts'],
    ['only-cli-reads-reports', 'src/emit/a.ts', "import type { R } from '../report/b.js';", 'src/report/b.ts'],
  ])('reports %s', async (rule, from, line, to) => {
    const root = await tree({ [from]: `${line}\n`, [to]: 'export const x = 1;\n' });
    const result = await execa('node', [lintDeps, '--root', root], { reject: false, all: true });
    expect(result.all).toContain(`error ${rule}`);
    expect(result.exitCode).not.toBe(0);
  });
});
