/**
 * The snapshot engine's transfer (templates/scripts/partials/snapshot-transfer.sh.hbs): a job
 * with one source runs `rsync SOURCE/ <work>SOURCE/` with rewritten excludes instead of
 * `rsync --relative`; the snapshot must be exactly what --relative gives. Real rsync; a
 * wrapper on PATH only records each rsync command line before running the real rsync, to
 * show which transfer ran.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmod, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeTree, snapshotWorld, type SnapshotWorld } from './support/snapshot-world.js';

async function rsyncSpy(w: SnapshotWorld) {
  const real = (await execa('bash', ['-c', 'command -v rsync'])).stdout.trim();
  const dir = w.sb.path('spy');
  const log = join(dir, 'log');
  await mkdir(dir);
  await writeFile(join(dir, 'rsync'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>'${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  await writeFile(log, '');
  return {
    env: { PATH: `${dir}:${w.sb.env['PATH']}` },
    /** The recorded command lines (arguments joined by spaces), oldest first. */
    lines: async () => (await readFile(log, 'utf8')).split('\n').filter((l) => l !== ''),
  };
}

/** A source three folders deep with entries each kind of pattern decides on. */
async function patternTree(w: SnapshotWorld) {
  const src = w.sb.path('p 1', 'p2', 'src');
  const files = ['keep.txt', '.cache/x', 'a/.cache/y', 'drop-anchored', 'sub/wild', 'sub/keep', 'two', 'deep/p2/src/two', 'only/z', 'x/only', 'b.tmp'];
  for (const f of files) {
    await mkdir(dirname(join(src, f)), { recursive: true });
    await writeFile(join(src, f), f);
  }
  return src;
}

/** What `rsync -a --relative` with these excludes makes of SRC. */
async function relativeReference(w: SnapshotWorld, src: string, exclude: string[]) {
  const ref = w.sb.path('reference');
  await mkdir(ref);
  await execa('rsync', ['-a', '--relative', ...exclude.map((p) => `--exclude=${p}`), '--', src, `${ref}/`]);
  return describeTree(join(ref, src)).catch(() => ({}));
}

describe('snapshot engine: one source without --relative', () => {
  it('matches every exclude against the full path, as --relative does, and links per source', async () => {
    const w = await snapshotWorld();
    const src = await patternTree(w);
    const parent = dirname(src);
    const exclude = [
      '*/.cache', // the top .cache only matches with the source's last folder in front
      `${src}/drop-anchored`, // anchored: the full path
      `${dirname(parent)}/p?/s*c/sub/wild`, // anchored, wildcards in the source's own part
      'p2/src/two', // unanchored, two of its parts fall on the source's path
      'only/', // directories only
      '*.tmp',
      '/elsewhere/keep.txt', // anchored elsewhere: excludes nothing
    ];
    const spy = await rsyncSpy(w);
    const job = w.job({ sources: [src], exclude });
    const first = await w.run(job, { env: { ...spy.env, BACKUPGEN_NOW: '2025-01-15 02:00:00' } });
    expect(first.exitCode, first.stderr).toBe(0);
    const second = await w.run(job, { env: { ...spy.env, BACKUPGEN_NOW: '2025-01-16 02:00:00' } });
    expect(second.exitCode, second.stderr).toBe(0);

    const reference = await relativeReference(w, src, exclude);
    expect(Object.keys(reference)).toEqual(['a/', 'deep/', 'deep/p2/', 'deep/p2/src/', 'keep.txt', 'sub/', 'sub/keep', 'x/', 'x/only']);
    expect(await describeTree(join(w.hostDir, 'daily', '2025-01-15_02-00-00', src))).toEqual(reference);
    expect(await describeTree(join(w.hostDir, 'daily', '2025-01-16_02-00-00', src))).toEqual(reference);
    // The second run linked against the first snapshot's copy of the source, not via --relative.
    const transfers = (await spy.lines()).filter((l) => l.includes(` -- ${src}/ `));
    expect(transfers).toHaveLength(2);
    expect(transfers.some((l) => l.includes('--relative'))).toBe(false);
    expect(transfers[1]).toContain(`--link-dest=${w.hostDir}/daily/2025-01-15_02-00-00${src} `);
    expect(second.lastLine).toMatch(/ok: 0 files, 0 bytes, /);
  });

  it('gives the implied parent folders the modes and times of the originals', async () => {
    const w = await snapshotWorld();
    const src = await patternTree(w);
    const outer = w.sb.path('p 1');
    await chmod(outer, 0o750);
    await chmod(dirname(src), 0o711);
    await utimes(outer, new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
    await utimes(dirname(src), new Date('2002-02-03T04:05:06Z'), new Date('2002-02-03T04:05:06Z'));
    const r = await w.run(w.job({ sources: [src] }));
    expect(r.exitCode, r.stderr).toBe(0);
    for (const dir of [outer, dirname(src), src]) {
      const [orig, copy] = [await stat(dir), await stat(join(w.hostDir, 'latest', dir))];
      expect({ mode: copy.mode & 0o7777, mtime: Math.floor(copy.mtimeMs / 1000) }, dir).toEqual({ mode: orig.mode & 0o7777, mtime: Math.floor(orig.mtimeMs / 1000) });
    }
  });

  it('copies a source that is new since the previous snapshot in full, without rsync warnings', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'old'), 'o');
    expect((await w.run(w.job(), { env: { BACKUPGEN_NOW: '2025-01-15 02:00:00' } })).exitCode).toBe(0);
    const other = w.sb.path('other');
    await mkdir(other);
    await writeFile(join(other, 'new'), 'n');
    const r = await w.run(w.job({ sources: [other] }), { env: { BACKUPGEN_NOW: '2025-01-16 02:00:00' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/link-dest/);
    expect(r.lastLine).toMatch(/ok: 1 files, 1 bytes, /);
    expect(Object.keys(await describeTree(join(w.hostDir, 'latest', other)))).toEqual(['new']);
  });

  it.each([
    ['a pattern with **', ['**/.cache', '*.tmp']],
    ['a pattern with [ ]', ['*.[t]mp', '.cache']],
    ['a pattern naming the source itself', ['src']],
  ])('falls back to --relative for %s, with the same result', async (_name, exclude) => {
    const w = await snapshotWorld();
    const src = await patternTree(w);
    const spy = await rsyncSpy(w);
    const r = await w.run(w.job({ sources: [src], exclude }), { env: spy.env });
    expect(r.exitCode, r.stderr).toBe(0);
    const reference = await relativeReference(w, src, exclude);
    expect(await describeTree(join(w.hostDir, 'latest', src)).catch(() => ({}))).toEqual(reference);
    expect((await spy.lines()).filter((l) => l.includes('--relative') && l.includes(`--stats`))).toHaveLength(1);
  });
});
