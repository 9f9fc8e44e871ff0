/**
 * The snapshot engine on real rsync: round trip with hostile names, hard links between
 * snapshots, latest, excludes, hostile config strings, user paths, status and shellcheck.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotJob } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { shellcheck } from './support/shellcheck.js';
import { describeTree, inode, snapshotWorld, writeHostileTree } from './support/snapshot-world.js';

describe('snapshot engine: backup and restore', () => {
  it('round-trips a hostile tree: names, modes, mtimes, symlinks and hard links', async () => {
    const w = await snapshotWorld();
    await writeHostileTree(w.src);
    const r = await w.run(w.job({ preserve: { hardLinks: true, acls: true, xattrs: true } }));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.lastLine).toMatch(/^backupgen-home: ok: \d+ files, \d+ bytes, \d+s$/);
    const latest = await w.latest();
    expect(latest).toMatch(/^daily\/\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    const inSnapshot = join(w.hostDir, 'latest', w.src);
    expect(await describeTree(inSnapshot)).toEqual(await describeTree(w.src));

    // Restore: copy the snapshot's tree back somewhere else and compare with the original.
    const restored = w.sb.path('restored');
    await execa('rsync', ['-aH', `${inSnapshot}/`, `${restored}/`]);
    expect(await describeTree(restored)).toEqual(await describeTree(w.src));
  });

  it('without `preserve`, keeps every file and its content but not hard links among source files (rsync -a)', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'a'), 'shared');
    await link(join(w.src, 'a'), join(w.src, 'b'));
    const r = await w.run();
    expect(r.exitCode, r.stderr).toBe(0);
    const snap = join(w.hostDir, 'latest', w.src);
    expect(await readFile(join(snap, 'b'), 'utf8')).toBe('shared');
    expect(await inode(join(snap, 'a'))).not.toBe(await inode(join(snap, 'b')));
    // With preserve.hardLinks the pair stays one inode (the round trip above checks the rest).
    const kept = await w.run(w.job({ preserve: { hardLinks: true, acls: false, xattrs: false } }), {
      env: { BACKUPGEN_NOW: '2030-01-01 00:00:00' },
    });
    expect(kept.exitCode, kept.stderr).toBe(0);
    const snap2 = join(w.hostDir, 'latest', w.src);
    expect(await inode(join(snap2, 'a'))).toBe(await inode(join(snap2, 'b')));
  });

  it('keeps each source under its full path and applies excludes', async () => {
    const w = await snapshotWorld();
    const other = w.sb.path('etc', 'nixos');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'configuration.nix'), '{ }\n');
    await writeFile(join(w.src, 'keep.txt'), 'k');
    await writeFile(join(w.src, 'drop.tmp'), 'd');
    await mkdir(join(w.src, '.cache'));
    await writeFile(join(w.src, '.cache', 'x'), 'x');
    const r = await w.run(w.job({ sources: [w.src, other], exclude: ['*.tmp', '.cache'] }));
    expect(r.exitCode, r.stderr).toBe(0);
    const snap = join(w.hostDir, 'latest');
    expect(Object.keys(await describeTree(join(snap, w.src)))).toEqual(['keep.txt']);
    expect(Object.keys(await describeTree(join(snap, other)))).toEqual(['configuration.nix']);
  });

  it('never copies its own destination when it lies inside a source (backing up / to /mnt/backup)', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'data'), 'd');
    // The destination is inside the source, and its path holds rsync wildcard characters.
    const dest = join(w.src, 'disk [*?]');
    const job = w.job({ destination: { path: dest, requireMountpoint: false, minFreeGB: 0 } });
    expect((await w.run(job, { env: { BACKUPGEN_NOW: '2025-01-15 02:00:00' } })).exitCode).toBe(0);
    const r = await w.run(job, { env: { BACKUPGEN_NOW: '2025-01-16 02:00:00' } });
    expect(r.exitCode, r.stderr).toBe(0);
    const second = join(dest, 'laptop', 'daily', '2025-01-16_02-00-00', w.src);
    // The second snapshot holds the source's own files and the destination folder itself
    // (a mount point), but not the first snapshot inside it.
    expect(Object.keys(await describeTree(second)).filter((p) => !p.startsWith('disk [*?]/laptop/'))).toContain('data');
    expect(Object.keys(await describeTree(second)).some((p) => p.startsWith('disk [*?]/laptop/'))).toBe(false);
  });

  it('hard-links unchanged files to the previous snapshot and moves latest', async () => {
    const w = await snapshotWorld();
    await writeFile(join(w.src, 'same'), 'unchanged');
    await writeFile(join(w.src, 'changing'), 'v1');
    expect((await w.run(w.job(), { env: { BACKUPGEN_NOW: '2025-01-15 02:00:00' } })).exitCode).toBe(0);
    await writeFile(join(w.src, 'changing'), 'v2 longer');
    const r = await w.run(w.job(), { env: { BACKUPGEN_NOW: '2025-01-16 02:00:00' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await w.latest()).toBe('daily/2025-01-16_02-00-00');
    const day = (d: string, f: string) => join(w.hostDir, 'daily', d, w.src, f);
    expect(await inode(day('2025-01-16_02-00-00', 'same'))).toBe(await inode(day('2025-01-15_02-00-00', 'same')));
    expect(await inode(day('2025-01-16_02-00-00', 'changing'))).not.toBe(await inode(day('2025-01-15_02-00-00', 'changing')));
    // Only the changed file was copied: the summary and the status count it alone.
    expect(r.lastLine).toMatch(/ok: 1 files, 9 bytes, /);
    expect(await w.sb.readStatus('home')).toMatchObject({ lastResult: 'success', files: 1, bytes: 9 });
  });

  it('handles hostile config strings: quotes, $, spaces in paths, * in excludes', async () => {
    const w = await snapshotWorld(`src 'q' "d" $HOME $(x) -n`);
    await writeFile(join(w.src, 'a file'), 'a');
    await writeFile(join(w.src, 'b.log'), 'b');
    await writeFile(join(w.src, "it's $x.bak"), 'c');
    const job = w.job({ exclude: ['*.log', "it's $x*"], before: `echo "before: $BACKUPGEN_JOB" >&2` });
    const r = await w.run(job);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('before: home');
    expect(Object.keys(await describeTree(join(w.hostDir, 'latest', w.src)))).toEqual(['a file']);
  });

  it('expands ~/ in a user job against $HOME', async () => {
    const w = await snapshotWorld();
    await mkdir(join(w.sb.home, 'docs'));
    await writeFile(join(w.sb.home, 'docs', 'note'), 'n');
    const job = w.job({ runAs: { scope: 'user', user: 'mads' }, sources: ['~/docs'], destination: { path: '~/backup', requireMountpoint: false, minFreeGB: 0 } });
    const r = await w.run(job);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await describeTree(join(w.sb.home, 'backup', 'laptop', 'latest', w.sb.home, 'docs'))).toHaveProperty('note');
  });
});

describe('snapshot engine: rendering', () => {
  it('declares the nixpkgs packages it calls', () => {
    expect(renderJob(snapshotJob()).runtimeInputs).toEqual(['coreutils', 'findutils', 'rsync', 'util-linux']);
    const withHook = snapshotJob({ notify: [{ name: 'hc', type: 'healthchecks', url: { kind: 'value', value: 'http://x' }, on: ['failure'] }] });
    expect(renderJob(withHook).runtimeInputs).toContain('curl');
  });

  it.each([
    ['defaults', snapshotJob()],
    ['hostile strings', snapshotJob({ sources: [`/a 'b' "c" $d`, '/-x'], exclude: ['*.tmp', "'$(rm -rf /)'"], before: 'echo "$HOME" `id`', after: "printf '%s' x" })],
    ['user job', snapshotJob({ runAs: { scope: 'user', user: 'mads' }, sources: ['~/Documents'], destination: { path: '~/backup', requireMountpoint: false, minFreeGB: 0 } })],
    ['guards and notifiers', snapshotJob({ destination: { path: '/mnt/backup', requireMountpoint: true, minFreeGB: 2.5 }, retention: { daily: 0, weekly: 0, monthly: 0 }, notify: [{ name: 'd', type: 'desktop', on: ['failure'] }, { name: 'w', type: 'webhook', url: { kind: 'value', value: 'https://x/$y' }, on: ['start', 'success', 'failure'] }] })],
  ])('shellcheck finds nothing in the %s variant', async (_name, job) => {
    expect(await shellcheck(renderJob(job).text)).toEqual([]);
  });
});
