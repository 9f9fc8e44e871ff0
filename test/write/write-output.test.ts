import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GeneratedFile } from '../../src/emit/types.js';
import { checkOutput } from '../../src/write/check-output.js';
import { sha256 } from '../../src/write/manifest.js';
import { WriteConflictError, writeOutput } from '../../src/write/write-output.js';

let out: string;
beforeEach(async () => {
  out = join(await mkdtemp(join(tmpdir(), 'backupgen-write-')), 'out');
});
afterEach(async () => {
  await rm(join(out, '..'), { recursive: true, force: true });
});

const files: GeneratedFile[] = [
  { path: 'default.nix', contents: '{ }\n' },
  { path: 'hosts/a/nixos.nix', contents: '# a\n{ }\n' },
  { path: 'hosts/a/scripts/home.sh', contents: '#!/usr/bin/env bash\necho hi\n', executable: true },
];

async function tree(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const paths: string[] = [];
  for (const entry of entries) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) paths.push(`${rel}/`, ...(await tree(join(dir, entry.name), `${rel}/`)));
    else paths.push(rel);
  }
  return paths.sort();
}

describe('writeOutput', () => {
  it('writes every file with its mode and a manifest of sorted paths and hashes', async () => {
    const result = await writeOutput(out, files);
    expect(result).toEqual({ written: files.map((f) => f.path), unchanged: [], removed: [], kept: [] });
    expect(await readFile(join(out, 'hosts/a/nixos.nix'), 'utf8')).toBe('# a\n{ }\n');
    expect((await stat(join(out, 'hosts/a/scripts/home.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'default.nix'))).mode & 0o777).toBe(0o644);
    const manifest = JSON.parse(await readFile(join(out, '.backupgen-manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(files.map((f) => ({ path: f.path, sha256: sha256(f.contents) })));
    expect(await tree(out)).not.toContainEqual(expect.stringMatching(/backupgen-tmp/));
  });

  it('writes nothing on a second identical build, and the bytes stay the same', async () => {
    await writeOutput(out, files);
    const before = await readFile(join(out, '.backupgen-manifest.json'));
    const mtime = (await stat(join(out, 'default.nix'))).mtimeMs;
    const result = await writeOutput(out, [...files].reverse());
    expect(result.written).toEqual([]);
    expect(result.unchanged).toHaveLength(3);
    expect(await readFile(join(out, '.backupgen-manifest.json'))).toEqual(before);
    expect((await stat(join(out, 'default.nix'))).mtimeMs).toBe(mtime);
  });

  it('rewrites only changed files and restores a lost executable bit', async () => {
    await writeOutput(out, files);
    await chmod(join(out, 'hosts/a/scripts/home.sh'), 0o644);
    const next = files.map((f) => (f.path === 'default.nix' ? { ...f, contents: '{ a = 1; }\n' } : f));
    const result = await writeOutput(out, next);
    expect(result.written).toEqual(['default.nix', 'hosts/a/scripts/home.sh']);
    expect((await stat(join(out, 'hosts/a/scripts/home.sh'))).mode & 0o777).toBe(0o755);
  });

  it('removes stale generated files and the directories they leave empty, never other files', async () => {
    await writeOutput(out, files);
    await writeFile(join(out, 'hosts/a/mine.txt'), 'user file');
    await mkdir(join(out, 'notes'));
    const result = await writeOutput(out, [files[0]!]);
    expect(result.removed).toEqual(['hosts/a/nixos.nix', 'hosts/a/scripts/home.sh']);
    expect(await tree(out)).toEqual(['.backupgen-manifest.json', 'default.nix', 'hosts/', 'hosts/a/', 'hosts/a/mine.txt', 'notes/']);
  });

  it('keeps a stale file that was edited after generation and forgets it', async () => {
    await writeOutput(out, files);
    await writeFile(join(out, 'hosts/a/nixos.nix'), '# edited by hand\n');
    const result = await writeOutput(out, [files[0]!, files[2]!]);
    expect(result.kept).toEqual(['hosts/a/nixos.nix']);
    expect(await readFile(join(out, 'hosts/a/nixos.nix'), 'utf8')).toBe('# edited by hand\n');
    expect(await checkOutput(out, [files[0]!, files[2]!])).toEqual([]);
  });

  it('refuses to overwrite a file it did not generate, and then writes nothing', async () => {
    await mkdir(join(out, 'hosts/a'), { recursive: true });
    await writeFile(join(out, 'hosts/a/nixos.nix'), 'precious');
    await expect(writeOutput(out, files)).rejects.toBeInstanceOf(WriteConflictError);
    expect(await tree(out)).toEqual(['hosts/', 'hosts/a/', 'hosts/a/nixos.nix']);
  });

  it('never deletes outside the output directory, whatever the manifest says', async () => {
    await writeOutput(out, files);
    await writeFile(join(out, '..', 'victim'), 'x');
    const manifest = { files: [{ path: '../victim', sha256: sha256('x') }] };
    await writeFile(join(out, '.backupgen-manifest.json'), JSON.stringify(manifest));
    await expect(writeOutput(out, files)).rejects.toThrow(/"\.\.\/victim"/);
    expect(await readFile(join(out, '..', 'victim'), 'utf8')).toBe('x');
  });

  it('rejects generated paths that escape the output root', async () => {
    await expect(writeOutput(out, [{ path: '../x', contents: '' }])).rejects.toThrow(/\.\./);
    await expect(writeOutput(out, [{ path: '/etc/x', contents: '' }])).rejects.toThrow(/absolute/);
  });
});

describe('checkOutput', () => {
  it('reports missing, changed and stale files and touches nothing', async () => {
    expect(await checkOutput(out, files)).toEqual([
      { path: '.backupgen-manifest.json', kind: 'missing' },
      { path: 'default.nix', kind: 'missing' },
      { path: 'hosts/a/nixos.nix', kind: 'missing' },
      { path: 'hosts/a/scripts/home.sh', kind: 'missing' },
    ]);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);

    await writeOutput(out, files);
    expect(await checkOutput(out, files)).toEqual([]);

    await writeFile(join(out, 'default.nix'), 'edited');
    await chmod(join(out, 'hosts/a/scripts/home.sh'), 0o644);
    const fewer = files.filter((f) => f.path !== 'hosts/a/nixos.nix');
    expect(await checkOutput(out, fewer)).toEqual([
      { path: '.backupgen-manifest.json', kind: 'changed' },
      { path: 'default.nix', kind: 'changed' },
      { path: 'hosts/a/nixos.nix', kind: 'stale' },
      { path: 'hosts/a/scripts/home.sh', kind: 'changed' },
    ]);
    expect(await readFile(join(out, 'default.nix'), 'utf8')).toBe('edited');
  });
});
