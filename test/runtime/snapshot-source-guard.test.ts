/**
 * The snapshot engine refuses to back up data that is not there (rsnapshot issue #351): a
 * source emptied (an unmounted disk leaves an empty directory) or not a mount point with
 * `requireMountpoint`, for more runs than retention.daily, leaves every good snapshot and
 * latest as they were; maxShrink over and under its limit; BACKUPGEN_ALLOW_SHRINK=1; and
 * retention with every class at 0 keeps the newest snapshot.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotJob } from '../../src/plan/model.js';
import { snapshotWorld, type SnapshotWorld } from './support/snapshot-world.js';
import { renderJob } from './support/render.js';
import { shellcheck } from './support/shellcheck.js';

const GOOD_DAYS = ['2025-01-28 02:00:00', '2025-01-29 02:00:00', '2025-01-30 02:00:00'];
/** More days than retention.daily (3): without the guard these runs would prune every good snapshot. */
const BAD_DAYS = ['2025-01-31 02:00:00', '2025-02-01 02:00:00', '2025-02-02 02:00:00', '2025-02-03 02:00:00', '2025-02-04 02:00:00'];

async function fill(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(dir, `f${i}`), `data ${i}\n`);
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true });
}

async function state(w: SnapshotWorld) {
  return { entries: await w.hostEntries(), daily: await w.list('daily'), weekly: await w.list('weekly'), monthly: await w.list('monthly'), latest: await w.latest() };
}

async function goodHistory(w: SnapshotWorld, job: SnapshotJob) {
  for (const day of GOOD_DAYS) {
    const r = await w.run(job, { env: { BACKUPGEN_NOW: day } });
    expect(r.exitCode, r.stderr).toBe(0);
  }
  const before = await state(w);
  expect(before.daily).toHaveLength(3);
  return before;
}

/** Files of the newest snapshot's copy of `src`. */
async function latestFiles(w: SnapshotWorld): Promise<string[]> {
  return (await readdir(join(w.hostDir, 'latest', w.src))).sort();
}

describe('snapshot: an empty or unmounted source never rotates the good snapshots away', () => {
  it('drill: the source emptied for more runs than retention.daily; every run fails, nothing changes', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 5);
    const job = w.job();
    const before = await goodHistory(w, job);
    await emptyDir(w.src);
    for (const day of BAD_DAYS) {
      const r = await w.run(job, { env: { BACKUPGEN_NOW: day } });
      expect(r.exitCode).not.toBe(0);
      expect(r.lastLine).toBe(
        `backupgen-home: FAILED: source ${w.src} is empty but had files at the last successful run (5 files then): unmounted or lost? nothing written; BACKUPGEN_ALLOW_SHRINK=1 accepts it for one run`,
      );
      expect(await state(w)).toEqual(before);
    }
    expect(await latestFiles(w)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(await w.sb.readStatus('home')).toMatchObject({ lastResult: 'failure' });
  });

  it('the previous snapshot knows the source had files even when the state is lost', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 2);
    const job = w.job();
    const before = await goodHistory(w, job);
    await rm(join(w.sb.stateDir, 'home'), { recursive: true });
    await emptyDir(w.src);
    const r = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0] } });
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toBe(`backupgen-home: FAILED: source ${w.src} is empty but had files at the last successful run: unmounted or lost? nothing written; BACKUPGEN_ALLOW_SHRINK=1 accepts it for one run`);
    expect(await state(w)).toEqual(before);
  });

  it('one of two sources emptied is refused although the total barely shrinks', async () => {
    const w = await snapshotWorld();
    const small = w.sb.path('nfs');
    await fill(w.src, 40);
    await fill(small, 1);
    const job = w.job({ sources: [w.src, small] });
    const before = await goodHistory(w, job);
    await emptyDir(small);
    const r = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0] } });
    expect(r.lastLine).toMatch(new RegExp(`FAILED: source ${small} is empty but had files`));
    expect(await state(w)).toEqual(before);
  });

  it('requireMountpoint on a source that is a plain directory (the disk is not mounted): every run refused', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 3);
    const before = await goodHistory(w, w.job());
    const job = w.job({ sourceMountpoints: [w.src] });
    for (const day of BAD_DAYS) {
      const r = await w.run(job, { env: { BACKUPGEN_NOW: day } });
      expect(r.exitCode).not.toBe(0);
      expect(r.lastLine).toBe(`backupgen-home: FAILED: source ${w.src} is not a mountpoint (requireMountpoint); nothing written`);
      expect(await state(w)).toEqual(before);
    }
  });

  it('requireMountpoint on a source that is mounted (tmpfs) runs', async (ctx) => {
    const w = await snapshotWorld();
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'none', w.src], { reject: false });
    if (mounted.exitCode !== 0) ctx.skip(`cannot mount a tmpfs here: ${mounted.stderr}`);
    try {
      await fill(w.src, 2);
      const r = await w.run(w.job({ sourceMountpoints: [w.src] }), { env: { BACKUPGEN_NOW: GOOD_DAYS[0] } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await latestFiles(w)).toEqual(['f0', 'f1']);
    } finally {
      await execa('umount', [w.src]);
    }
  });

  it('maxShrink 50%: 10 -> 4 files is refused with the counts, 10 -> 6 runs', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 10);
    const job = w.job();
    const before = await goodHistory(w, job);
    for (let i = 4; i < 10; i++) await rm(join(w.src, `f${i}`));
    const refused = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0] } });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.lastLine).toBe(
      `backupgen-home: FAILED: source ${w.src} holds 4 files, 6 fewer than the 10 of the last successful run: more than maxShrink 50%; nothing kept; BACKUPGEN_ALLOW_SHRINK=1 accepts it for one run`,
    );
    expect(await state(w)).toEqual(before);
    await fill(w.src, 6);
    const ok = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[1] } });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(await latestFiles(w)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
  });

  it('maxShrink as a count: 3 fewer files than allowed 2 is refused', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 5);
    const job = w.job({ maxShrink: { kind: 'count', value: 2 } });
    const before = await goodHistory(w, job);
    for (const f of ['f2', 'f3', 'f4']) await rm(join(w.src, f));
    const r = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0] } });
    expect(r.lastLine).toMatch(/FAILED: source .* holds 2 files, 3 fewer than the 5 of the last successful run: more than maxShrink 2;/);
    expect(await state(w)).toEqual(before);
  });

  it('BACKUPGEN_ALLOW_SHRINK=1 accepts a deliberate shrink (and an emptied source) for one run; the next run compares with it', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 10);
    const job = w.job();
    await goodHistory(w, job);
    for (let i = 1; i < 10; i++) await rm(join(w.src, `f${i}`));
    const accepted = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0], BACKUPGEN_ALLOW_SHRINK: '1' } });
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain('source files dropped from 10 to 1; accepted (BACKUPGEN_ALLOW_SHRINK=1)');
    expect(await latestFiles(w)).toEqual(['f0']);
    // 1 is the new baseline: the same tree runs without the variable.
    expect((await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[1] } })).exitCode).toBe(0);
    await emptyDir(w.src);
    expect((await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[2] } })).exitCode).not.toBe(0);
    const emptied = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[3], BACKUPGEN_ALLOW_SHRINK: '1' } });
    expect(emptied.exitCode, emptied.stderr).toBe(0);
    expect(await latestFiles(w)).toEqual([]);
  });

  it('a changed selection (a new exclude) is the user\'s doing: no comparison with the old count, the next run compares again', async () => {
    const w = await snapshotWorld();
    await fill(join(w.src, 'cache'), 20);
    await fill(w.src, 2);
    await goodHistory(w, w.job());
    const job = w.job({ exclude: ['cache'] });
    const r = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0] } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('sources or excludes changed since the last successful run: maxShrink counts from this run on');
    expect(await latestFiles(w)).toEqual(['f0', 'f1']);
    // The new selection's count (2) is the baseline now: losing both files is refused.
    await rm(join(w.src, 'f0'));
    await rm(join(w.src, 'f1'));
    const refused = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[1] } });
    expect(refused.lastLine).toMatch(/holds 0 files, 2 fewer than the 2 of the last successful run: more than maxShrink 50%/);
  });

  it('maxShrink off: an emptied source is backed up as it is', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 3);
    const job = w.job({ maxShrink: undefined });
    await goodHistory(w, job);
    await emptyDir(w.src);
    const r = await w.run(job, { env: { BACKUPGEN_NOW: BAD_DAYS[0] } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await latestFiles(w)).toEqual([]);
  });

  it('a source that was always empty is no reason to refuse', async () => {
    const w = await snapshotWorld();
    for (const day of GOOD_DAYS) expect((await w.run(w.job(), { env: { BACKUPGEN_NOW: day } })).exitCode).toBe(0);
  });

  it('scripts with source mount points and each maxShrink form pass shellcheck', async () => {
    const w = await snapshotWorld();
    for (const job of [w.job({ sourceMountpoints: [w.src] }), w.job({ maxShrink: undefined }), w.job({ maxShrink: { kind: 'count', value: 3 } })]) {
      expect(await shellcheck(renderJob(job).text)).toEqual([]);
    }
  });
});

describe('snapshot retention never removes the newest snapshot', () => {
  it('daily 0, weekly 0, monthly 0 over many days: exactly the newest stays, latest points at it', async () => {
    const w = await snapshotWorld();
    await fill(w.src, 2);
    const job = w.job({ retention: { daily: 0, weekly: 0, monthly: 0 } });
    for (const day of [...GOOD_DAYS, ...BAD_DAYS]) {
      const r = await w.run(job, { env: { BACKUPGEN_NOW: day } });
      expect(r.exitCode, r.stderr).toBe(0);
      const name = day.replace(' ', '_').replaceAll(':', '-');
      expect(await w.list('daily')).toEqual([name]);
      expect(await w.latest()).toBe(`daily/${name}`);
    }
    expect(await w.list('weekly')).toEqual([]);
    expect(await latestFiles(w)).toEqual(['f0', 'f1']);
  });
});
