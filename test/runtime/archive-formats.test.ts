/**
 * The archive engine, every format: the archive extracts to the sources byte for byte,
 * `sha256sum -c` passes in the destination, the manifest is valid JSON listing every member
 * with its real size, sorted, names of any bytes included. Real tar/pigz/xz/pbzip2/zstd/zip.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveFormat, ArchiveJob } from '../../src/plan/model.js';
import { archiveJob } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { listTree, writeHostileTree } from './support/rclone-trees.js';
import { archivesIn, extract, readManifest, sha256Check } from './support/rclone-archive-files.js';

let sb: Sandbox;
afterEach(async () => sb.cleanup());

async function run(job: ArchiveJob, env: Record<string, string> = {}) {
  return sb.run(await sb.writeScript(job.name, renderJob(job).text), { env });
}

const FORMATS: ArchiveFormat[] = ['tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst', 'zip'];

describe('archive engine formats', () => {
  it.each(FORMATS)('%s round trip, checksum and manifest', async (format) => {
    sb = await createSandbox();
    const config = sb.path('app', 'config');
    const data = sb.path('app', 'da ta');
    await writeHostileTree(config);
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'db.sqlite'), Buffer.alloc(50_000, 3));
    const dest = sb.path('backups');
    const job = archiveJob({ format, sources: [config, `${data}/`], destinations: [{ kind: 'local', path: dest }] });
    const r = await run(job, { BACKUPGEN_NOW: '2025-03-04 05:06:07' });
    expect(r.exitCode, r.stderr).toBe(0);
    const archive = `myapp-2025-03-04_05-06-07.${format}`;
    expect((await readdir(dest)).sort()).toEqual([archive, `${archive}.sha256`, 'myapp-2025-03-04_05-06-07.manifest.json'].sort());

    const check = await sha256Check(dest, archive);
    expect(check.exitCode, check.stdout).toBe(0);
    expect(check.stdout).toBe(`${archive}: OK`);

    const out = sb.path('extracted');
    await extract(join(dest, archive), out);
    // Members are stored relative to / (tar's convention): <out>/<absolute source path>.
    const expected = await listTree(config);
    if (format === 'zip') {
      // The zip holds the name intact, but unzip(1) drops control characters from names
      // when it extracts, so `new\nline` comes back as `newline`.
      expected['newline'] = expected['new\nline']!;
      delete expected['new\nline'];
    }
    expect(await listTree(join(out, config))).toEqual(expected);
    expect(await listTree(join(out, data))).toEqual(await listTree(data));

    const manifest = await readManifest(dest, archive);
    expect(manifest.archive).toBe(archive);
    expect(manifest.sources).toEqual([config, data]);
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const files = manifest.files.filter((f) => f.type === 'file');
    expect(files).toHaveLength(12);
    for (const f of manifest.files) {
      const st = await lstat(`/${f.path}`);
      if (f.type === 'file') expect(f.size, f.path).toBe(st.size);
      expect(f.mode).toBe((st.mode & 0o7777).toString(8).padStart(4, '0'));
      expect(f.mtime).toBe(new Date(Math.floor(st.mtimeMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    }
    expect(paths).toContain(`${config.slice(1)}/new\nline`);
    expect(paths).toContain(`${config.slice(1)}/quote"double`);
    expect(r.lastLine).toMatch(/ok: 12 files, \d+ bytes/);
  });

  it('a name that is not UTF-8 keeps the manifest valid JSON and records its bytes', async () => {
    sb = await createSandbox();
    const src = sb.path('src');
    await mkdir(src);
    const bad = Buffer.concat([Buffer.from(`${src}/bad-`), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('\x01.txt')]);
    await writeFile(bad, 'x');
    await writeFile(join(src, 'ok ✓.txt'), 'y');
    const dest = sb.path('dest');
    const r = await run(archiveJob({ sources: [src], destinations: [{ kind: 'local', path: dest }] }));
    expect(r.exitCode, r.stderr).toBe(0);
    const [archive] = await archivesIn(dest);
    const manifest = await readManifest(dest, archive!);
    const entry = manifest.files.find((f) => f.path.includes('bad-'));
    expect(entry?.path).toBe(`${src.slice(1)}/bad-\ufffd\ufffd(\u0001.txt`);
    expect(entry?.pathHex).toBe(bad.subarray(1).toString('hex'));
    expect(manifest.files.find((f) => f.path.endsWith('ok ✓.txt'))?.pathHex).toBeUndefined();
  });

  it('excludes apply to the archive and the manifest alike', async () => {
    sb = await createSandbox();
    const src = sb.path('src');
    await mkdir(join(src, 'cache', 'deep'), { recursive: true });
    await mkdir(join(src, 'keep'), { recursive: true });
    await writeFile(join(src, 'cache', 'deep', 'x'), 'x');
    await writeFile(join(src, 'keep', 'a.tmp'), 'x');
    await writeFile(join(src, 'keep', 'a.txt'), 'x');
    const dest = sb.path('dest');
    const r = await run(archiveJob({ sources: [src], exclude: ['*.tmp', 'cache/'], destinations: [{ kind: 'local', path: dest }] }));
    expect(r.exitCode, r.stderr).toBe(0);
    const [archive] = await archivesIn(dest);
    const manifest = await readManifest(dest, archive!);
    expect(manifest.files.map((f) => f.path.slice(src.length - 1))).toEqual(['', '/keep', '/keep/a.txt']);
    await extract(join(dest, archive!), sb.path('out'));
    expect(Object.keys(await listTree(sb.path('out', src)))).toEqual(['keep/', 'keep/a.txt']);
  });
});
