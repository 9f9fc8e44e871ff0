/**
 * The archive engine's runs end to end: several destinations (local + a real sftp server),
 * a failure mid-way (no final-named partial file, no pruning), retention by count and age
 * (time injected with BACKUPGEN_NOW), stopServices always started again (after success,
 * failure and SIGTERM; BACKUPGEN_SYSTEMCTL points at a recorder, there is no systemd here),
 * owner, and shellcheck of every variant.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { access, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveJob } from '../../src/plan/model.js';
import { archiveJob, fileSecret, remote } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { shellcheck } from './support/shellcheck.js';
import { startRcloneServer, type RcloneServer } from './support/rclone-server.js';
import { archivesIn, sha256Check } from './support/rclone-archive-files.js';

let server: RcloneServer;
beforeAll(async () => {
  server = await startRcloneServer('sftp');
});
afterAll(async () => server.stop());

let sb: Sandbox;
afterEach(async () => sb.cleanup());

async function setup() {
  sb = await createSandbox();
  const src = sb.path('data');
  await mkdir(src);
  await writeFile(join(src, 'a.txt'), 'a\n');
  await writeFile(join(src, 'b.bin'), Buffer.alloc(10_000, 1));
  // A recorder standing in for systemctl: logs each call; `stop slow.service` announces
  // itself and sleeps, so a test can deliver SIGTERM while services are down.
  const log = sb.path('systemctl.log');
  const systemctl = await sb.writeScript(
    'systemctl',
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>${JSON.stringify(log)}\n` +
      `if [[ $1 == stop && $3 == slow.service ]]; then : >${JSON.stringify(sb.path('slow-stopped'))}; sleep 3; fi\n` +
      `if [[ $1 == stop && $3 == broken.service ]]; then exit 1; fi\n`,
  );
  return { src, log, env: { BACKUPGEN_SYSTEMCTL: systemctl } };
}

async function calls(log: string): Promise<string[]> {
  try {
    return (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

async function runJob(job: ArchiveJob, env: Record<string, string>) {
  return sb.run(await sb.writeScript(job.name, renderJob(job).text), { env });
}

/** An archive set as an earlier run would have left it. */
async function plant(dir: string, stamp: string, name = 'myapp', format = 'tar.zst'): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of [`${name}-${stamp}.${format}`, `${name}-${stamp}.${format}.sha256`, `${name}-${stamp}.manifest.json`]) {
    await writeFile(join(dir, f), 'old\n');
  }
}

const exists = (p: string) => access(p).then(() => true, () => false);

describe('archive engine runs', () => {
  it('delivers to a local and an sftp destination; sha256sum -c passes in both', async () => {
    const { src, env } = await setup();
    const dest = sb.path('local dest');
    const dir = `arch-${sb.root.slice(-6)}`;
    const box = server.remote('box');
    const job = archiveJob({
      sources: [src],
      destinations: [{ kind: 'local', path: dest }, { kind: 'remote', remote: box, path: dir }],
      remotes: [box],
    });
    const r = await runJob(job, { ...env, BACKUPGEN_NOW: '2025-06-01 12:00:00' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr + renderJob(job).text).not.toContain(server.password);
    for (const where of [dest, join(server.root, dir)]) {
      expect((await readdir(where)).sort()).toEqual([
        'myapp-2025-06-01_12-00-00.manifest.json',
        'myapp-2025-06-01_12-00-00.tar.zst',
        'myapp-2025-06-01_12-00-00.tar.zst.sha256',
      ]);
      expect((await sha256Check(where, 'myapp-2025-06-01_12-00-00.tar.zst')).exitCode).toBe(0);
    }
  });

  it('a failing destination leaves no final-named file anywhere and prunes nothing', async () => {
    const { src, env } = await setup();
    const dest = sb.path('dest');
    await plant(dest, '2025-01-01_00-00-00');
    await writeFile(sb.path('wrong password'), 'not it\n');
    const box = remote({
      ...server.remote('box'),
      secrets: [{ option: 'pass', secret: fileSecret('box_pass', sb.path('wrong password')), obscure: true, refreshedByRclone: false }],
    });
    const job = archiveJob({
      sources: [src],
      destinations: [{ kind: 'local', path: dest }, { kind: 'remote', remote: box, path: 'never' }],
      remotes: [box],
      retention: { keep: 1, maxAgeDays: 0 },
    });
    const r = await runJob(job, { ...env, BACKUPGEN_NOW: '2025-06-01 12:00:00' });
    expect(r.exitCode).not.toBe(0);
    // The run lists every remote destination for a free archive name before it builds
    // anything, so an unreachable one fails it there, before any service is stopped.
    expect(r.lastLine).toMatch(/FAILED: could not list box:never \(rclone exit \d+\)$/);
    // Only what was there before: no new archive, no .tmp- leftovers, the old one not pruned.
    expect((await readdir(dest)).sort()).toEqual([
      'myapp-2025-01-01_00-00-00.manifest.json',
      'myapp-2025-01-01_00-00-00.tar.zst',
      'myapp-2025-01-01_00-00-00.tar.zst.sha256',
    ]);
    expect(await exists(join(server.root, 'never'))).toBe(false);
  });

  it('retention keeps the newest N and drops those older than maxAgeDays, only this job\'s files', async () => {
    const { src, env } = await setup();
    const dest = sb.path('dest');
    for (const stamp of ['2025-05-31_12-00-00', '2025-05-30_12-00-00', '2025-05-20_12-00-00', '2025-05-29_12-00-00']) {
      await plant(dest, stamp);
    }
    const strangers = [
      'myapp-db-2025-01-01_00-00-00.tar.zst', // another job whose name starts with ours
      'myapp-2025-01-01_00-00-00.tar.gz', // another format
      'myapp-2025-01-01.tar.zst', // not our stamp
      'notes.txt',
    ];
    for (const f of strangers) await writeFile(join(dest, f), 'x');
    // keep 3 (this run + 2): 05-29 goes by count; maxAgeDays 10: 05-20 (12 days) by age too.
    const job = archiveJob({ sources: [src], destinations: [{ kind: 'local', path: dest }], retention: { keep: 3, maxAgeDays: 10 } });
    const r = await runJob(job, { ...env, BACKUPGEN_NOW: '2025-06-01 12:00:00' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await archivesIn(dest)).filter((f) => f.endsWith('.tar.zst'))).toEqual([
      'myapp-2025-05-30_12-00-00.tar.zst',
      'myapp-2025-05-31_12-00-00.tar.zst',
      'myapp-2025-06-01_12-00-00.tar.zst',
    ]);
    const left = await readdir(dest);
    for (const f of strangers) expect(left).toContain(f);
    expect(left).not.toContain('myapp-2025-05-20_12-00-00.manifest.json');
    expect(left).not.toContain('myapp-2025-05-29_12-00-00.tar.zst.sha256');
    expect(left).toHaveLength(3 * 3 + strangers.length);
  });

  it('retention on the remote destination too', async () => {
    const { src, env } = await setup();
    const dir = `ret-${sb.root.slice(-6)}`;
    await plant(join(server.root, dir), '2025-05-01_00-00-00');
    await plant(join(server.root, dir), '2025-05-31_00-00-00');
    const box = server.remote('box');
    const job = archiveJob({
      sources: [src],
      destinations: [{ kind: 'remote', remote: box, path: dir }],
      remotes: [box],
      retention: { keep: 0, maxAgeDays: 7 },
    });
    const r = await runJob(job, { ...env, BACKUPGEN_NOW: '2025-06-01 12:00:00' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await archivesIn(join(server.root, dir))).toEqual(['myapp-2025-05-31_00-00-00.tar.zst', 'myapp-2025-06-01_12-00-00.tar.zst']);
    expect((await readdir(join(server.root, dir))).length).toBe(6);
  });

  it('stops services before and starts them again (reverse order) as soon as the archive is written', async () => {
    const { src, log, env } = await setup();
    const job = archiveJob({ sources: [src], stopServices: ['db.service', 'app.service'], destinations: [{ kind: 'local', path: sb.path('d') }] });
    const r = await runJob(job, env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await calls(log)).toEqual(['stop -- db.service', 'stop -- app.service', 'start -- app.service', 'start -- db.service']);
  });

  it('starts stopped services again when the run fails', async () => {
    const { src, log, env } = await setup();
    const job = archiveJob({ sources: [src], stopServices: ['db.service', 'broken.service'], destinations: [{ kind: 'local', path: sb.path('d') }] });
    const r = await runJob(job, env);
    expect(r.exitCode).not.toBe(0);
    expect(r.lastLine).toMatch(/FAILED: could not stop broken\.service/);
    expect(await calls(log)).toEqual(['stop -- db.service', 'stop -- broken.service', 'start -- broken.service', 'start -- db.service']);
  });

  it('stops nothing when a source is missing (checked first)', async () => {
    const { log, env } = await setup();
    const job = archiveJob({ sources: [sb.path('absent')], stopServices: ['db.service'], destinations: [{ kind: 'local', path: sb.path('d') }] });
    const r = await runJob(job, env);
    expect(r.lastLine).toMatch(/FAILED: source .*absent does not exist/);
    expect(await calls(log)).toEqual([]);
  });

  it('starts stopped services again after SIGTERM', async () => {
    const { src, log, env } = await setup();
    const job = archiveJob({ sources: [src], stopServices: ['db.service', 'slow.service'], destinations: [{ kind: 'local', path: sb.path('d') }] });
    const child = sb.start(await sb.writeScript(job.name, renderJob(job).text), { env });
    for (let i = 0; i < 100 && !(await exists(sb.path('slow-stopped'))); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toMatch(/FAILED: interrupted by SIGTERM\s*$/);
    expect(await calls(log)).toEqual(['stop -- db.service', 'stop -- slow.service', 'start -- slow.service', 'start -- db.service']);
    expect(await archivesIn(sb.path('d'))).toEqual([]);
  });

  it('owner: local archives are chowned', async () => {
    const { src, env } = await setup();
    const me = (await execa('id', ['-un'])).stdout;
    const group = (await execa('id', ['-gn'])).stdout;
    const dest = sb.path('d');
    const job = archiveJob({ sources: [src], owner: { user: me, group }, destinations: [{ kind: 'local', path: dest }] });
    const r = await runJob(job, env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(renderJob(job).text).toContain(`owner='${me}:${group}'`);
    const [archive] = await archivesIn(dest);
    expect((await stat(join(dest, archive!))).uid).toBe(process.getuid!());
    const bad = await runJob(archiveJob({ sources: [src], owner: { user: 'no-such-user-x', group }, destinations: [{ kind: 'local', path: sb.path('e') }] }), env);
    expect(bad.lastLine).toMatch(/FAILED: could not chown .* to no-such-user-x:/);
    expect(await archivesIn(sb.path('e'))).toEqual([]);
  });
});

describe('archive engine scripts pass shellcheck', () => {
  const box = remote({ name: 'box', type: 'sftp', options: [['host', 'h']], secrets: [{ option: 'pass', secret: fileSecret('p', '/p'), obscure: true, refreshedByRclone: false }] });
  const variants: [string, Partial<ArchiveJob>][] = [
    ['local only, defaults', {}],
    ['every option, remote', {
      format: 'zip', stopServices: ['a.service'], exclude: ['*.tmp', 'cache/', "it's/$x"], owner: { user: 'u', group: 'g' },
      sources: ['~/data', "/srv/it's $here"], destinations: [{ kind: 'local', path: '~/b' }, { kind: 'remote', remote: box, path: '' }], remotes: [box],
    }],
    ['remote only, tar.gz', { format: 'tar.gz', destinations: [{ kind: 'remote', remote: box, path: 'x/' }], remotes: [box] }],
  ];
  it.each(variants)('%s', async (_name, overrides) => {
    expect(await shellcheck(renderJob(archiveJob(overrides)).text)).toEqual([]);
  });
});

describe('archive engine after an interrupted run', () => {
  it('removes this job\'s .tmp- leftovers (and nothing else) from local destinations', async () => {
    const { src, env } = await setup();
    const dest = sb.path('d');
    await mkdir(dest);
    const ours = ['.tmp-myapp-2025-01-01_00-00-00.tar.zst', '.tmp-myapp-2025-01-01_00-00-00.manifest.json'];
    const theirs = ['.tmp-myapp-db-2025-01-01_00-00-00.tar.zst', '.tmp-notes'];
    for (const f of [...ours, ...theirs]) await writeFile(join(dest, f), 'partial');
    const r = await runJob(archiveJob({ sources: [src], destinations: [{ kind: 'local', path: dest }] }), env);
    expect(r.exitCode, r.stderr).toBe(0);
    const left = await readdir(dest);
    for (const f of ours) expect(left).not.toContain(f);
    for (const f of theirs) expect(left).toContain(f);
  });
});
