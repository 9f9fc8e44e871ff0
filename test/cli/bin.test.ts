/**
 * The real executable, as npm installs it: a package folder holding exactly package.json's
 * "files" (bin, dist, templates, nix) plus node_modules, built from src/ with the build
 * config into a scratch folder (so a running `npm run build` elsewhere is never disturbed).
 * Exit statuses and stderr are the process's own here, not runCli's.
 */
import { execa } from 'execa';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeScratch, scratchDir } from './cli-harness.js';

const repo = join(import.meta.dirname, '../..');
let pkg: string;
let bin: string;

beforeAll(async () => {
  pkg = await scratchDir();
  const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { files: string[] };
  await execa('npx', ['tsc', '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { cwd: repo });
  for (const entry of manifest.files.filter((f) => f !== 'dist')) {
    if (existsSync(join(repo, entry))) await cp(join(repo, entry), join(pkg, entry), { recursive: true });
  }
  await cp(join(repo, 'package.json'), join(pkg, 'package.json'));
  await symlink(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  bin = join(pkg, 'bin/backupgen.js');
}, 120_000);
afterAll(removeScratch);

async function run(cwd: string, ...args: string[]) {
  return execa('node', [bin, ...args], { cwd, reject: false });
}

describe('bin/backupgen.js', () => {
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
