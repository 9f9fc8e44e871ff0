/**
 * The archive engine refuses to archive data that is not there: a source emptied (or not a
 * mount point with `requireMountpoint`) for more runs than retention.keep leaves every good
 * archive in place; maxShrink over and under its limit; BACKUPGEN_ALLOW_SHRINK=1; and
 * retention by age never removes the newest archive (a machine off for a week, maxAgeDays 1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveJob } from '../../src/plan/model.js';
import { archiveJob } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { archivesIn, readManifest } from './support/rclone-archive-files.js';
import { shellcheck } from './support/shellcheck.js';

let sb: Sandbox;
afterEach(async () => sb.cleanup());

const GOOD_DAYS = ['2025-05-01 12:00:00', '2025-05-02 12:00:00', '2025-05-03 12:00:00'];
/** More runs than retention.keep (3). */
const BAD_DAYS = ['2025-05-04 12:00:00', '2025-05-05 12:00:00', '2025-05-06 12:00:00', '2025-05-07 12:00:00', '2025-05-08 12:00:00'];

async function fill(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(dir, `f${i}`), `data ${i}\n`);
}

async function setup(count: number, overrides: Partial<ArchiveJob> = {}) {
  sb = await createSandbox();
  const src = sb.path('data');
  const dest = sb.path('dest');
  await fill(src, count);
  const job = archiveJob({ sources: [src], destinations: [{ kind: 'local', path: dest }], retention: { keep: 3, maxAgeDays: 0 }, ...overrides });
  const run = async (j: ArchiveJob, day: string, env: Record<string, string> = {}) =>
    sb.run(await sb.writeScript(j.name, renderJob(j).text), { env: { BACKUPGEN_NOW: day, ...env } });
  const all = async () => (await readdir(dest)).sort();
  return { src, dest, job, run, all };
}

async function goodHistory(w: Awaited<ReturnType<typeof setup>>, job = w.job) {
  for (const day of GOOD_DAYS) {
    const r = await w.run(job, day);
    expect(r.exitCode, r.stderr).toBe(0);
  }
  const before = await w.all();
  expect(await archivesIn(w.dest)).toHaveLength(3);
  return before;
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true });
}

describe('archive: an empty or unmounted source never rotates the good archives away', () => {
  it('drill: the source emptied for more runs than retention.keep; every run fails, every archive stays', async () => {
    const w = await setup(4);
    const before = await goodHistory(w);
    await emptyDir(w.src);
    for (const day of BAD_DAYS) {
      const r = await w.run(w.job, day);
      expect(r.exitCode).not.toBe(0);
      expect(r.lastLine).toBe(
        `backupgen-myapp: FAILED: source ${w.src} is empty but had files at the last successful run (4 files then): unmounted or lost? nothing written; BACKUPGEN_ALLOW_SHRINK=1 accepts it for one run`,
      );
      expect(await w.all()).toEqual(before);
    }
  });

  it('requireMountpoint on a source that is a plain directory: refused before anything is written', async () => {
    const w = await setup(2);
    const before = await goodHistory(w);
    const job = { ...w.job, sourceMountpoints: [w.src] };
    for (const day of BAD_DAYS) {
      const r = await w.run(job, day);
      expect(r.lastLine).toBe(`backupgen-myapp: FAILED: source ${w.src} is not a mountpoint (requireMountpoint); nothing written`);
      expect(await w.all()).toEqual(before);
    }
  });

  it('maxShrink 50%: 10 -> 4 files is refused with the counts, 10 -> 6 runs', async () => {
    const w = await setup(10);
    const before = await goodHistory(w);
    for (let i = 4; i < 10; i++) await rm(join(w.src, `f${i}`));
    const refused = await w.run(w.job, BAD_DAYS[0]!);
    expect(refused.lastLine).toBe(
      `backupgen-myapp: FAILED: source ${w.src} holds 4 files, 6 fewer than the 10 of the last successful run: more than maxShrink 50%; nothing kept; BACKUPGEN_ALLOW_SHRINK=1 accepts it for one run`,
    );
    expect(await w.all()).toEqual(before);
    await fill(w.src, 6);
    const ok = await w.run(w.job, BAD_DAYS[1]!);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const newest = (await archivesIn(w.dest)).at(-1)!;
    expect((await readManifest(w.dest, newest)).files.filter((f) => f.type === 'file')).toHaveLength(6);
  });

  it('BACKUPGEN_ALLOW_SHRINK=1 accepts it for one run', async () => {
    const w = await setup(10);
    await goodHistory(w);
    await emptyDir(w.src);
    const r = await w.run(w.job, BAD_DAYS[0]!, { BACKUPGEN_ALLOW_SHRINK: '1' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('is empty but had files before; accepted (BACKUPGEN_ALLOW_SHRINK=1)');
    expect(await archivesIn(w.dest)).toContain('myapp-2025-05-04_12-00-00.tar.zst');
  });

  it('maxShrink off: an emptied source is archived as it is', async () => {
    const w = await setup(3, { maxShrink: undefined });
    await goodHistory(w);
    await emptyDir(w.src);
    expect((await w.run(w.job, BAD_DAYS[0]!)).exitCode).toBe(0);
  });

  it('scripts with source mount points and each maxShrink form pass shellcheck', async () => {
    sb = await createSandbox();
    for (const job of [archiveJob({ sourceMountpoints: ['/var/lib/myapp/data'] }), archiveJob({ maxShrink: undefined }), archiveJob({ maxShrink: { kind: 'count', value: 3 } })]) {
      expect(await shellcheck(renderJob(job).text)).toEqual([]);
    }
  });
});

describe('archive retention never removes the newest archive', () => {
  it('maxAgeDays 1 after a week off: the old ones go, the new run\'s archive stays', async () => {
    const w = await setup(2);
    await goodHistory(w);
    const r = await w.run({ ...w.job, retention: { keep: 0, maxAgeDays: 1 } }, '2025-05-10 12:00:00');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await archivesIn(w.dest)).toEqual(['myapp-2025-05-10_12-00-00.tar.zst']);
  });

  it('a clock set back a week: every archive is "newer" than the run, the run\'s own is kept with keep 1', async () => {
    const w = await setup(2);
    await goodHistory(w);
    const r = await w.run({ ...w.job, retention: { keep: 1, maxAgeDays: 1 } }, '2025-04-20 12:00:00');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await archivesIn(w.dest)).toEqual(['myapp-2025-04-20_12-00-00.tar.zst', 'myapp-2025-05-03_12-00-00.tar.zst']);
  });
});
