/**
 * Promotion and pruning over simulated days (BACKUPGEN_NOW), names of runs in the same
 * second, and concurrent runs of one job. Rule under test (docs/conventions.md): every run
 * is a daily; the first snapshot of an ISO week is also weekly, the first of a month also
 * monthly; each class keeps its newest N; latest's target is never pruned.
 */
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderJob } from './support/render.js';
import { toResult } from './support/sandbox.js';
import { describeTree, inode, snapshotWorld } from './support/snapshot-world.js';

function days(from: string, to: string, skip: readonly string[]): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (!skip.includes(day)) out.push(day);
  }
  return out;
}

describe('snapshot engine: rotation', () => {
  it('keeps the newest dailies and the first snapshot of each week and month', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    const job = w.job({ retention: { daily: 3, weekly: 2, monthly: 2 } });
    // Mondays 10 and 17 February are skipped (the laptop was off): their weeks' first
    // snapshots are the Tuesdays.
    for (const day of days('2025-01-01', '2025-02-20', ['2025-02-10', '2025-02-17'])) {
      const r = await w.run(job, { env: { BACKUPGEN_NOW: `${day} 02:00:00` } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect((await w.list('daily')).length).toBeLessThanOrEqual(3);
      expect((await w.list('weekly')).length).toBeLessThanOrEqual(2);
      expect((await w.list('monthly')).length).toBeLessThanOrEqual(2);
    }
    expect(await w.list('daily')).toEqual(['2025-02-18_02-00-00', '2025-02-19_02-00-00', '2025-02-20_02-00-00']);
    expect(await w.list('weekly')).toEqual(['2025-02-11_02-00-00', '2025-02-18_02-00-00']);
    expect(await w.list('monthly')).toEqual(['2025-01-01_02-00-00', '2025-02-01_02-00-00']);
    expect(await w.latest()).toBe('daily/2025-02-20_02-00-00');
    // Promotions are hard-link copies: no file data is duplicated.
    const file = (cls: string, name: string) => join(w.hostDir, cls, name, w.src, 'f');
    expect(await inode(file('weekly', '2025-02-18_02-00-00'))).toBe(await inode(file('daily', '2025-02-18_02-00-00')));
    expect(await inode(file('monthly', '2025-01-01_02-00-00'))).toBe(await inode(file('daily', '2025-02-20_02-00-00')));
    expect((await w.hostEntries()).filter((e) => e.startsWith('.'))).toEqual([]);
  }, 120_000);

  it('retention 0 keeps only latest and promotes nothing', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    const job = w.job({ retention: { daily: 0, weekly: 0, monthly: 0 } });
    for (const day of ['2025-01-01', '2025-01-02', '2025-01-09']) {
      expect((await w.run(job, { env: { BACKUPGEN_NOW: `${day} 02:00:00` } })).exitCode).toBe(0);
    }
    expect(await w.list('daily')).toEqual(['2025-01-09_02-00-00']);
    expect(await w.list('weekly')).toEqual([]);
    expect(await w.list('monthly')).toEqual([]);
  });

  it('never prunes a snapshot that user files merely sit next to', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    const job = w.job({ retention: { daily: 1, weekly: 0, monthly: 0 } });
    expect((await w.run(job, { env: { BACKUPGEN_NOW: '2025-01-01 02:00:00' } })).exitCode).toBe(0);
    await writeFile(join(w.hostDir, 'daily', 'README by user'), 'keep me');
    expect((await w.run(job, { env: { BACKUPGEN_NOW: '2025-01-02 02:00:00' } })).exitCode).toBe(0);
    expect(await w.list('daily')).toEqual(['2025-01-02_02-00-00', 'README by user']);
  });
});

describe('snapshot engine: same second, concurrent runs', () => {
  it('two runs in the same second get distinct names; latest is the second', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'f'), 'x');
    const env = { BACKUPGEN_NOW: '2025-01-01 02:00:00' };
    expect((await w.run(w.job(), { env })).exitCode).toBe(0);
    expect((await w.run(w.job(), { env })).exitCode).toBe(0);
    expect(await w.list('daily')).toEqual(['2025-01-01_02-00-00', '2025-01-01_02-00-00_01']);
    expect(await w.latest()).toBe('daily/2025-01-01_02-00-00_01');
  });

  it('concurrent starts are serialized by the lock: every snapshot complete, none mixed', async () => {
    const w = await snapshotWorld();
    for (let i = 0; i < 200; i++) await writeFile(join(w.src, `file ${i}`), `content ${i}\n`.repeat(100));
    const script = await w.sb.writeScript('home', renderJob(w.job({ retention: { daily: 5, weekly: 1, monthly: 1 } })).text);
    const env = { BACKUPGEN_NOW: '2025-01-01 02:00:00' };
    const results = (await Promise.all([1, 2, 3].map(() => w.sb.start(script, { env })))).map(toResult);
    expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    const names = await w.list('daily');
    expect(names).toEqual(['2025-01-01_02-00-00', '2025-01-01_02-00-00_01', '2025-01-01_02-00-00_02']);
    const tree = await describeTree(w.src);
    for (const name of names) expect(await describeTree(join(w.hostDir, 'daily', name, w.src))).toEqual(tree);
  });
});
