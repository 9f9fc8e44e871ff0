/**
 * Guarantees 1-3 of architecture.md for the snapshot engine, by running the script: a failed
 * run never prunes, rotates or moves latest; a run killed at any moment leaves earlier
 * snapshots and latest intact and the next run succeeds; requireMountpoint and minFreeGB
 * refuse before anything is written.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotJob } from '../../src/plan/model.js';
import { renderJob } from './support/render.js';
import { toResult } from './support/sandbox.js';
import { describeTree, snapshotWorld, unprivileged, type SnapshotWorld } from './support/snapshot-world.js';

const DAYS = ['2025-01-30 02:00:00', '2025-01-31 02:00:00', '2025-02-01 02:00:00'];

/** Three good runs (retention daily 2): a fourth good run would prune, promote and move latest. */
async function history(w: SnapshotWorld, job: SnapshotJob = w.job({ retention: { daily: 2, weekly: 2, monthly: 2 } })) {
  await writeFile(join(w.src, 'f'), 'data');
  for (const day of DAYS) {
    const r = await w.run(job, { env: { BACKUPGEN_NOW: day } });
    expect(r.exitCode, r.stderr).toBe(0);
  }
  return { job, before: await state(w) };
}

async function state(w: SnapshotWorld) {
  return {
    entries: await w.hostEntries(),
    daily: await w.list('daily'),
    weekly: await w.list('weekly'),
    monthly: await w.list('monthly'),
    latest: await w.latest(),
  };
}

describe('snapshot engine: a failed run changes nothing', () => {
  it('sanity: a good run after the history does prune, promote and move latest', async () => {
    const w = await snapshotWorld();
    const { job, before } = await history(w);
    expect((await w.run(job, { env: { BACKUPGEN_NOW: '2025-03-03 02:00:00' } })).exitCode).toBe(0);
    const after = await state(w);
    expect(after.daily).not.toEqual(before.daily);
    expect(after.weekly).not.toEqual(before.weekly);
    expect(after.monthly).not.toEqual(before.monthly);
    expect(after.latest).not.toEqual(before.latest);
  });

  it.each([
    ['a missing source', (w: SnapshotWorld, j: SnapshotJob) => ({ ...j, sources: [w.src, w.sb.path('gone')] }), /FAILED: source .*\/gone does not exist$/],
    ['a failing before hook', (_w: SnapshotWorld, j: SnapshotJob) => ({ ...j, before: 'exit 7' }), /FAILED: before hook failed with status 7$/],
  ])('%s: no prune, no rotation, latest kept, status failure', async (_name, breakJob, message) => {
    const w = await snapshotWorld();
    const { job, before } = await history(w);
    const r = await w.run(breakJob(w, job), { env: { BACKUPGEN_NOW: '2025-03-03 02:00:00' } });
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(message);
    expect(await state(w)).toEqual(before);
    // lastSuccess = the last good run's start (BACKUPGEN_NOW) plus its duration.
    expect(await w.sb.readStatus('home')).toMatchObject({ lastResult: 'failure', lastSuccess: expect.stringMatching(/^2025-02-01T02:0\d:\d\dZ$/) });
  });

  it('an rsync error (unreadable directory, as an unprivileged user) fails and leaves no partial snapshot', async () => {
    const w = await snapshotWorld();
    await mkdir(join(w.src, 'secret'));
    await writeFile(join(w.src, 'secret', 'x'), 'x');
    const { job, before } = await history(w);
    const as = await unprivileged(w.sb);
    const good = await w.run(job, { env: { BACKUPGEN_NOW: '2025-02-02 02:00:00' }, ...as });
    expect(good.exitCode, good.stderr).toBe(0);
    const afterGood = await state(w);
    expect(afterGood).not.toEqual(before);
    await chmod(join(w.src, 'secret'), 0o000);
    const r = await w.run(job, { env: { BACKUPGEN_NOW: '2025-03-03 02:00:00' }, ...as });
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(/FAILED: rsync exited with status 23 /);
    expect(await state(w)).toEqual(afterGood);
  });
});

describe('snapshot engine: refusals write nothing', () => {
  it('requireMountpoint on a plain directory', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    await mkdir(w.dest);
    const r = await w.run(w.job({ destination: { path: w.dest, requireMountpoint: true, minFreeGB: 0 } }));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toBe(`backupgen-home: FAILED: destination ${w.dest} is not a mountpoint (requireMountpoint); nothing written`);
    expect(await readdir(w.dest)).toEqual([]);
  });

  it('requireMountpoint on a mounted destination (bind mount, root only) runs', async (ctx) => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    await mkdir(w.dest);
    const mounted = await execa('mount', ['--bind', w.dest, w.dest], { reject: false });
    if (mounted.exitCode !== 0) return ctx.skip();
    try {
      const r = await w.run(w.job({ destination: { path: w.dest, requireMountpoint: true, minFreeGB: 0 } }));
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await w.list('daily')).toHaveLength(1);
    } finally {
      await execa('umount', [w.dest]);
    }
  });

  it('minFreeGB larger than the free space', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    const r = await w.run(w.job({ destination: { path: w.dest, requireMountpoint: false, minFreeGB: 1_000_000_000 } }));
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(/FAILED: only \d+ KiB free on .*, minFreeGB needs 1048576000000000 KiB; nothing written$/);
    expect(await readdir(w.sb.root)).not.toContain('backup');
  });
});

describe('snapshot engine: killed runs', () => {
  it('SIGKILL at random moments keeps earlier snapshots and latest; the next run succeeds', async () => {
    const w = await snapshotWorld();
    // Big enough that rsync runs for a while: 1500 small files and a few larger ones.
    for (let d = 0; d < 15; d++) {
      const dir = join(w.src, `dir ${d}`);
      await mkdir(dir);
      for (let f = 0; f < 100; f++) await writeFile(join(dir, `file ${f}`), `${d}/${f}\n`.repeat(50));
      await writeFile(join(dir, 'big.bin'), Buffer.alloc(1_500_000, d));
    }
    const job = w.job({ retention: { daily: 2, weekly: 1, monthly: 1 } });
    expect((await w.run(job, { env: { BACKUPGEN_NOW: '2025-01-01 02:00:00' } })).exitCode).toBe(0);
    const tree = await describeTree(w.src);
    const script = await w.sb.writeScript('home', renderJob(job).text);
    const check = async () => {
      const latest = await w.latest();
      expect(latest).toBeDefined();
      expect(await describeTree(join(w.hostDir, latest!, w.src))).toEqual(tree);
      for (const cls of ['daily', 'weekly', 'monthly'] as const) {
        for (const name of await w.list(cls)) {
          expect(await describeTree(join(w.hostDir, cls, name, w.src))).toEqual(tree);
        }
      }
    };
    let killedMidway = 0;
    const delays = [0, 30, 80, 150, 250, 400, 700].map((ms) => ms + Math.floor(Math.random() * 40));
    for (const [i, delay] of delays.entries()) {
      const run = w.sb.start(script, {
        env: { BACKUPGEN_NOW: `2025-01-${String(2 + i).padStart(2, '0')} 02:00:00` },
        detached: true,
      });
      if (i % 2 === 1) {
        // Every other kill waits until a transfer is visibly under way, so that some kills
        // land inside rsync however loaded the machine is; the others fall at random moments
        // (start-up, checks, rename, promotion, pruning).
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && !(await w.hostEntries()).some((e) => e.startsWith('.incomplete-'))) {
          await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, delay % 40));
      } else {
        await new Promise((r) => setTimeout(r, delay));
      }
      // Kill the whole process group, rsync included, as a power cut or systemd's
      // KillMode=control-group would.
      try {
        process.kill(-run.pid!, 'SIGKILL');
      } catch {
        // already finished
      }
      const result = toResult(await run);
      if (result.signal === 'SIGKILL' && (await w.hostEntries()).some((e) => e.startsWith('.incomplete-'))) killedMidway++;
      await check();
    }
    // The test proves something only if some kills really landed inside a transfer.
    expect(killedMidway).toBeGreaterThan(0);
    const r = toResult(await w.sb.start(script, { env: { BACKUPGEN_NOW: '2025-02-01 02:00:00' } }));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await w.latest()).toBe('daily/2025-02-01_02-00-00');
    await check();
    expect((await w.hostEntries()).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});
