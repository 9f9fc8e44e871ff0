/**
 * The rclone engine against real network remotes: `rclone serve sftp` / `rclone serve
 * webdav` on 127.0.0.1, password from a secret file (so the `rclone obscure` path runs).
 * Round trips go out with one job and come back with a `{ remote, path }` source job.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { lstat, mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RcloneJob, RemotePlan } from '../../src/plan/model.js';
import { fileSecret, rcloneJob, remote } from '../support/plan-builders.js';
import { renderJob } from './support/render.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { listFiles, writeHostileTree } from './support/rclone-trees.js';
import { startRcloneServer, type RcloneServer } from './support/rclone-server.js';

const servers: Partial<Record<'sftp' | 'webdav', RcloneServer>> = {};
beforeAll(async () => {
  servers.sftp = await startRcloneServer('sftp');
  servers.webdav = await startRcloneServer('webdav');
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

let sb: Sandbox;
afterEach(async () => sb.cleanup());

const local = remote({ name: 'here', type: 'local' });

async function run(job: RcloneJob) {
  const text = renderJob(job).text;
  const r = await sb.run(await sb.writeScript(job.name, text));
  for (const server of Object.values(servers)) {
    // The password (and so the obscured form's input) never reaches the script or a log.
    expect(text).not.toContain(server.password);
    expect(r.stderr + r.stdout).not.toContain(server.password);
  }
  return r;
}

/** Push `src` to `remote:path`, pull it back into `back`, both with the engine. */
async function roundTrip(target: RemotePlan, path: string, src: string, back: string, extra: Partial<RcloneJob> = {}) {
  const remotes = [local, target, ...(extra.remotes ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const push = await run(
    rcloneJob({ name: 'push', source: { kind: 'path', path: src }, target: { remote: target, path }, ...extra, remotes }),
  );
  expect(push.exitCode, push.stderr).toBe(0);
  const pull = await run(
    rcloneJob({ name: 'pull', source: { kind: 'remote', remote: target, path }, target: { remote: local, path: back }, remotes }),
  );
  expect(pull.exitCode, pull.stderr).toBe(0);
  return push;
}

describe.each(['sftp', 'webdav'] as const)('rclone engine over %s', (kind) => {
  it('sync round trip of a hostile tree comes back byte for byte', async () => {
    sb = await createSandbox();
    const server = servers[kind]!;
    const src = sb.path('src');
    await writeHostileTree(src);
    const push = await roundTrip(server.remote('box'), `rt-${sb.root.slice(-6)}`, src, sb.path('back'), { verify: 'checksum' });
    expect(push.stderr).toContain('verify (checksum): target matches source');
    expect(await listFiles(sb.path('back'))).toEqual(await listFiles(src));
  });
});

/** A tree with every kind of symlink a home folder holds: relative, absolute, to a folder, dangling. */
async function writeLinkTree(src: string): Promise<Record<string, string>> {
  await mkdir(join(src, 'd'), { recursive: true });
  await writeFile(join(src, 'd', 'f.txt'), 'f\n');
  const links = { 'rel-link': 'd/f.txt', 'abs-link': '/etc/hostname', 'dir-link': 'd', 'd/dangling': '../missing' };
  for (const [name, to] of Object.entries(links)) await symlink(to, join(src, name));
  return links;
}

async function linksIn(dir: string, names: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if ((await lstat(join(dir, name))).isSymbolicLink()) out[name] = await readlink(join(dir, name));
  }
  return out;
}

describe.each(['sftp', 'webdav'] as const)('rclone engine keeps symlinks over %s', (kind) => {
  it('a round trip brings every symlink back as the same link, and verify sees them match', async () => {
    sb = await createSandbox();
    const src = sb.path('src');
    const links = await writeLinkTree(src);
    const push = await roundTrip(servers[kind]!.remote('box'), `links-${sb.root.slice(-6)}`, src, sb.path('back'), { verify: 'checksum' });
    // Counted as files (rclone size with --links) and never skipped with a NOTICE.
    expect(push.stderr).not.toContain("Can't follow symlink");
    expect(push.lastLine).toMatch(/ok: 5 files/);
    expect(await linksIn(sb.path('back'), Object.keys(links))).toEqual(links);
    expect(await listFiles(sb.path('back'))).toEqual(await listFiles(src));
  });
});

describe('rclone engine over sftp', () => {
  it('crypt over the sftp remote: encrypted names on the server, plaintext round trip, cryptcheck', async () => {
    sb = await createSandbox();
    const server = servers.sftp!;
    const src = sb.path('src');
    await writeHostileTree(src);
    await mkdir(sb.path('secrets'));
    await writeFile(sb.path('secrets', 'crypt'), "crypt 'pass' $word\n");
    await writeFile(sb.path('secrets', 'salt'), 'salt\n');
    const dir = `crypted-${sb.root.slice(-6)}`;
    const base = server.remote('box');
    const vault = remote({
      name: 'vault',
      type: 'crypt',
      options: [['filename_encryption', 'standard'], ['remote', `box:${dir}`]],
      secrets: [
        { option: 'password', secret: fileSecret('crypt_pw', sb.path('secrets', 'crypt')), obscure: true, refreshedByRclone: false },
        { option: 'password2', secret: fileSecret('crypt_salt', sb.path('secrets', 'salt')), obscure: true, refreshedByRclone: false },
      ],
    });
    const push = await roundTrip(vault, 'data', src, sb.path('back'), { remotes: [base], verify: 'checksum' });
    expect(push.stderr).toContain('verify (checksum): target matches source');
    expect(await listFiles(sb.path('back'))).toEqual(await listFiles(src));
    const stored = await readdir(join(server.root, dir), { recursive: true });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.join('\n')).not.toMatch(/plain|with space|ünïcødé|data/);
  });

  it('verify checksum catches a file tampered on the server that the sync skips', async () => {
    sb = await createSandbox();
    const server = servers.sftp!;
    const src = sb.path('src');
    await mkdir(src);
    for (const n of ['a', 'b', 'c']) await writeFile(join(src, n), `${n}${n}\n`);
    const path = `tamper-${sb.root.slice(-6)}`;
    const job = rcloneJob({ source: { kind: 'path', path: src }, target: { remote: server.remote('box'), path }, verify: 'checksum', remotes: [server.remote('box')] });
    expect((await run(job)).exitCode).toBe(0);
    const victim = join(server.root, path, 'b');
    await execa('touch', ['-r', victim, sb.path('stamp')]);
    await writeFile(victim, 'XX\n');
    await execa('touch', ['-r', sb.path('stamp'), victim]);
    const bad = await run(job);
    expect(bad.exitCode, bad.stderr).not.toBe(0);
    expect(bad.lastLine).toMatch(/FAILED: verify \(checksum\) found differences between .* and box:tamper-/);
  });
});
