/**
 * Hostile names (issue 10): names that look like options reach every engine's tools as
 * paths, never as options or find(1) actions; two archive runs in one second never share a
 * name. Real rsync, rclone, find, tar and zip on temporary trees.
 *
 * The option-looking source sits at the root of the file system (`/-bg-…`): the archive
 * engine hands find(1) its sources relative to `/`, so only there does the relative name
 * start with `-` (what used to make find read `-delete` as an action).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ArchiveFormat, JobPlan } from '../../src/plan/model.js';
import { archiveJob, rcloneJob, remote, snapshotJob } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { archivesIn, extract, readManifest, sha256Check } from './support/rclone-archive-files.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

/** A tree whose every name is an option or a find action: `/-bg-<random>/{-delete,--help,-data/-x}`. */
async function optionLikeTree(): Promise<{ root: string; files: Record<string, string> }> {
  const root = `/-bg-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const files = { '-delete': 'find action\n', '--help': 'option\n', '-data/-x': 'nested\n', '-data/-exec': 'action\n' };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), text);
  }
  return { root, files };
}

async function sandbox(): Promise<Sandbox> {
  const sb = await createSandbox();
  cleanups.push(() => sb.cleanup());
  return sb;
}

async function run(sb: Sandbox, job: JobPlan, env: Record<string, string> = {}) {
  return sb.run(await sb.writeScript(job.name, renderJob(job).text), { env });
}

async function filesUnder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[full.slice(dir.length + 1)] = await readFile(full, 'utf8');
  }
  return out;
}

describe('names that look like options', () => {
  const formats: ArchiveFormat[] = ['tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst', 'zip'];
  it.each(formats)('archive (%s) stores every file of a source named like an option and deletes nothing', async (format) => {
    const sb = await sandbox();
    const { root, files } = await optionLikeTree();
    const dest = sb.path('-dest');
    const job = archiveJob({ sources: [root], format, destinations: [{ kind: 'local', path: dest }] });
    const r = await run(sb, job, { BACKUPGEN_NOW: '2025-06-01 12:00:00' });
    expect(r.exitCode, r.stderr).toBe(0);
    // The source is intact: nothing was taken for -delete or -exec.
    expect(await filesUnder(root)).toEqual(files);
    const [archive] = await archivesIn(dest);
    expect(archive).toBeDefined();
    const out = sb.path('extracted');
    await extract(join(dest, archive!), out);
    expect(await filesUnder(join(out, root.slice(1)))).toEqual(files);
    const manifest = await readManifest(dest, archive!);
    expect(manifest.files.filter((f) => f.type === 'file').map((f) => f.path).sort()).toEqual(
      Object.keys(files).map((f) => `${root.slice(1)}/${f}`).sort(),
    );
    expect((await sha256Check(dest, archive!)).exitCode).toBe(0);
  });

  it('snapshot copies a source named like an option into a destination named like one', async () => {
    const sb = await sandbox();
    const { root, files } = await optionLikeTree();
    const dest = sb.path('-snapshots');
    const job = snapshotJob({ sources: [root], destination: { path: dest, requireMountpoint: false, minFreeGB: 0 } });
    const r = await run(sb, job);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await filesUnder(join(dest, 'laptop', 'latest', root))).toEqual(files);
    expect(await filesUnder(root)).toEqual(files);
  });

  it('rclone sync mirrors a source named like an option to a target named like one', async () => {
    const sb = await sandbox();
    const { root, files } = await optionLikeTree();
    const nas = remote({ name: 'nas', type: 'local' });
    const target = sb.path('-target');
    const job = rcloneJob({ source: { kind: 'path', path: root }, target: { remote: nas, path: target }, remotes: [nas], verify: 'checksum' });
    const r = await run(sb, job);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await filesUnder(target)).toEqual(files);
  });
});

describe('archive names are unique per run', () => {
  it('three runs in one second write three archive sets, each verifying, to local and remote destinations', async () => {
    const sb = await sandbox();
    const src = sb.path('data');
    await mkdir(src);
    const local = sb.path('local');
    const remoteDir = sb.path('remote');
    const nas = remote({ name: 'nas', type: 'local' });
    const job = archiveJob({
      sources: [src],
      destinations: [{ kind: 'local', path: local }, { kind: 'remote', remote: nas, path: remoteDir }],
      remotes: [nas],
      retention: { keep: 2, maxAgeDays: 0 },
    });
    const contents: string[] = [];
    for (const round of ['first', 'second', 'third']) {
      await writeFile(join(src, 'f.txt'), `${round}\n`);
      const r = await run(sb, job, { BACKUPGEN_NOW: '2025-06-01 12:00:00' });
      expect(r.exitCode, r.stderr).toBe(0);
      contents.push(round);
    }
    for (const dir of [local, remoteDir]) {
      // keep: 2 — the bare name of the second is the oldest of the three and goes.
      const archives = await archivesIn(dir);
      expect(archives).toEqual(['myapp-2025-06-01_12-00-00_01.tar.zst', 'myapp-2025-06-01_12-00-00_02.tar.zst']);
      for (const [i, archive] of archives.entries()) {
        expect((await sha256Check(dir, archive)).exitCode).toBe(0);
        const out = sb.path(`x-${dir.length}-${i}`);
        await extract(join(dir, archive), out);
        expect(await readFile(join(out, src.slice(1), 'f.txt'), 'utf8')).toBe(`${contents[i + 1]}\n`);
        expect((await readManifest(dir, archive)).archive).toBe(archive);
      }
    }
  });

  it('a name taken in any destination moves every destination to the next suffix', async () => {
    const sb = await sandbox();
    const src = sb.path('data');
    await mkdir(src);
    await writeFile(join(src, 'f.txt'), 'x\n');
    const a = sb.path('a');
    const b = sb.path('b');
    // Only b holds a manifest of the run's bare name (left there by hand, or a clock set back).
    await mkdir(b);
    await writeFile(join(b, 'myapp-2025-06-01_12-00-00.manifest.json'), 'not ours\n');
    const job = archiveJob({ sources: [src], destinations: [{ kind: 'local', path: a }, { kind: 'local', path: b }] });
    const r = await run(sb, job, { BACKUPGEN_NOW: '2025-06-01 12:00:00' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await archivesIn(a)).toEqual(['myapp-2025-06-01_12-00-00_01.tar.zst']);
    expect(await archivesIn(b)).toEqual(['myapp-2025-06-01_12-00-00_01.tar.zst']);
    expect(await readFile(join(b, 'myapp-2025-06-01_12-00-00.manifest.json'), 'utf8')).toBe('not ours\n');
    // tar lists the same members from both copies.
    const list = async (dir: string) => (await execa('tar', ['-tf', join(dir, 'myapp-2025-06-01_12-00-00_01.tar.zst')])).stdout;
    expect(await list(a)).toBe(await list(b));
  });
});
