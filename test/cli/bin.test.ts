/**
 * The real executable, as npm installs it: a package folder holding exactly package.json's
 * "files" (bin, dist, templates, nix) plus node_modules, built from src/ with the build
 * config into a scratch folder (so a running `npm run build` elsewhere is never disturbed).
 * Twice: bundled as `npm run build` does (scripts/bundle.mjs), and from tsc's output alone
 * (the launcher's fallback when rolldown could not bundle). Exit statuses and stderr are the
 * process's own here, not runCli's.
 */
import { execa } from 'execa';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeScratch, scratchDir } from './cli-harness.js';

const repo = join(import.meta.dirname, '../..');
async function packageCopy(bundled: boolean): Promise<string> {
  const pkg = await scratchDir();
  const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { files: string[] };
  await execa('npx', ['tsc', '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { cwd: repo });
  for (const entry of manifest.files.filter((f) => f !== 'dist')) {
    if (existsSync(join(repo, entry))) await cp(join(repo, entry), join(pkg, entry), { recursive: true });
  }
  await cp(join(repo, 'package.json'), join(pkg, 'package.json'));
  await symlink(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  if (bundled) await execa('node', [join(repo, 'scripts/bundle.mjs'), pkg], { cwd: repo });
  return pkg;
}

afterAll(removeScratch);

describe.each([true, false])('bin/backupgen.js (bundled: %s)', (bundled) => {
  let pkg: string;
  beforeAll(async () => {
    pkg = await packageCopy(bundled);
  }, 120_000);

  const run = (cwd: string, ...args: string[]) => execa('node', [join(pkg, 'bin/backupgen.js'), ...args], { cwd, reject: false });

  it('runs the bundle exactly when there is one', () => {
    expect(existsSync(join(pkg, 'dist/bundle/backupgen.js'))).toBe(bundled);
  });

  it('--version', async () => {
    const { version } = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
    const result = await run(pkg, '--version');
    expect(result).toMatchObject({ exitCode: 0, stdout: version });
  });

  it('builds a fixture and then finds it up to date', async () => {
    const dir = await scratchDir();
    await cp(join(repo, 'fixtures/snapshots'), dir, { recursive: true });
    const build = await run(dir, 'build');
    expect(build.stderr).toBe('');
    expect(build).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^\d+ files written, 0 unchanged, 0 removed \(backupgen\)$/) });
    expect(await run(dir, 'build', '--check')).toMatchObject({ exitCode: 0 });
    await writeFile(join(dir, 'backupgen/default.nix'), '{ }\n');
    const check = await run(dir, 'build', '--check');
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toMatch(/^changed +backupgen\/default\.nix$/m);
  });

  it('loads a backupgen.config.ts, `backupgen` resolving to the package itself', async () => {
    const dir = await scratchDir();
    await writeFile(
      join(dir, 'backupgen.config.ts'),
      "import { defineConfig } from 'backupgen';\nexport default defineConfig({ version: 1, hosts: { a: { jobs: { home: { engine: 'snapshot', sources: ['/home'], destination: { path: '/mnt/b' }, schedule: 'daily' } } } } });\n",
    );
    const result = await run(dir, 'validate');
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'backupgen.config.ts: ok (1 host, 1 job)' });
  });

  it('a config error: exit 2, one line per problem, no stack trace, nothing written', async () => {
    const dir = await scratchDir();
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf/backupgen.yaml'), 'version: 1\nhosts:\n  a: { kind: solaris }\n');
    const result = await run(dir, 'build', '--config', 'conf/backupgen.yaml', '--out', 'out');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^conf\/backupgen\.yaml:3:\d+ hosts\.a\.kind: .+$/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
