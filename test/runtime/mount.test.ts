/**
 * A system rclone mount for real: the script `hosts/<host>/mounts/<name>.sh` rendered from a
 * plan whose remote is `rclone serve sftp` on 127.0.0.1 (password from a 0600 secret file,
 * obscured by the script), run the way its NixOS unit runs it (RUNTIME_DIRECTORY,
 * STATE_DIRECTORY, BACKUPGEN_SECRET_*, no NOTIFY_SOCKET, no HOME), mounted with a real FUSE
 * `rclone mount`, and stopped the two ways `systemctl stop` does: the unit's ExecStop, then
 * SIGTERM to what is left.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSandbox, toResult, type Sandbox } from './support/sandbox.js';
import { shellcheck } from './support/shellcheck.js';
import { startRcloneServer, type RcloneServer } from './support/rclone-server.js';
import { listFiles, writeHostileTree } from './support/rclone-trees.js';
import { fileSecret, remote, sopsSecret } from '../support/plan-builders.js';
import {
  execStopArgv,
  isMountPoint,
  mountModule,
  mountPlan,
  mountsUnder,
  renderMount,
  startMount,
  stopAndUnmount,
  type RunningMount,
} from './support/mount-world.js';

const digest = (base64: string) => createHash('sha256').update(base64).digest('hex');
async function digestTree(root: string) {
  return Object.fromEntries(Object.entries(await listFiles(root)).map(([k, v]) => [k, digest(v)]));
}
const processGone = (pid: number) => access(`/proc/${pid}`).then(() => false, () => true);

let server: RcloneServer;
beforeAll(async () => {
  // Fail loudly rather than skip: these tests are the proof that the mounts work.
  await access('/dev/fuse').catch(() => {
    throw new Error('/dev/fuse is missing: the mount tests need FUSE (and fusermount3 from fuse3)');
  });
  server = await startRcloneServer('sftp');
});
afterAll(async () => server?.stop());

let sb: Sandbox | undefined;
const running: RunningMount[] = [];
afterEach(async () => {
  const s = sb;
  sb = undefined;
  if (s === undefined) return;
  await stopAndUnmount(s, running.splice(0));
  // Never rm -rf through a live mount: that would delete the server's files.
  if ((await mountsUnder(s.root)).length === 0) await s.cleanup();
});

/** A fresh directory on the server for this test, and the plan, script and unit env of its mount. */
async function setup(mountPointName = 'mnt', options: readonly string[] = ['--vfs-cache-mode writes']) {
  sb = await createSandbox();
  const dir = `mnt-${sb.root.slice(-6)}`;
  const served = join(server.root, dir);
  await mkdir(served);
  const box = server.remote('box');
  const mount = mountPlan({ name: 'media', remote: box, path: dir, mountPoint: sb.path(mountPointName), options });
  const script = renderMount(mount);
  const file = await sb.writeScript('media', script.text);
  const secret = box.secrets[0]!.secret;
  return { sb, served, mount, script, file, secret, env: { [secret.envVar]: server.passwordFile } as Record<string, string> };
}
type World = Awaited<ReturnType<typeof setup>>;

function start(t: World, env: Record<string, string | undefined> = {}): RunningMount {
  const m = startMount(t.sb, t.file, t.mount.mountPoint, { ...t.env, ...env });
  running.push(m);
  return m;
}

describe('system rclone mount script, run as its unit runs it', () => {
  it('shows the remote (hostile names), writes reach the server, no secret leaks, SIGTERM unmounts', async () => {
    const t = await setup();
    await writeHostileTree(t.served);
    const m = start(t);
    await m.mounted();

    // Started without NOTIFY_SOCKET (and without HOME) and still mounted.
    const environ = (await readFile(`/proc/${m.pid}/environ`, 'utf8')).split('\0');
    expect(environ.some((e) => e.startsWith('NOTIFY_SOCKET='))).toBe(false);
    expect(environ.some((e) => e.startsWith('HOME='))).toBe(false);

    // rclone's sftp backend shows a control character as its Unicode picture (rclone docs,
    // "Encoding": Ctl), so `new\nline` reads as `new␊line`; the rest byte for byte.
    const expected = Object.fromEntries(
      Object.entries(await listFiles(t.served)).map(([k, v]) => [k.replaceAll('\n', '\u240a'), digest(v)]),
    );
    expect(Object.keys(expected)).toContain('new\u240aline');
    expect(await digestTree(t.mount.mountPoint)).toEqual(expected);

    const name = `written 'through' "the" mount ü $x`;
    await writeFile(join(t.mount.mountPoint, name), 'via mount\n');
    // Uploaded after close and --vfs-write-back (5 s by default).
    await expect.poll(() => readFile(join(t.served, name), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe('via mount\n');

    // The assembled config: 0600 in a 0700 runtime dir, the password only in obscured form.
    const conf = t.sb.path('run', 'rclone.conf');
    expect((await stat(conf)).mode & 0o777).toBe(0o600);
    expect((await stat(t.sb.path('run'))).mode & 0o777).toBe(0o700);
    const confText = await readFile(conf, 'utf8');
    expect(confText).toMatch(/^pass = \S+$/m);
    expect(confText).not.toContain(server.password);
    const revealed = await execa('rclone', ['reveal', '--', /^pass = (\S+)$/m.exec(confText)![1]!], { env: { RCLONE_CONFIG: '' } });
    expect(revealed.stdout).toBe(server.password);
    // Not in the argv of the running rclone (the script exec'd it: same pid), nor the script.
    const cmdline = (await readFile(`/proc/${m.pid}/cmdline`, 'utf8')).split('\0');
    expect(cmdline[0]).toMatch(/rclone$/);
    expect(cmdline).toContain('mount');
    expect(cmdline.join(' ')).not.toContain(server.password);
    expect(t.script.text).not.toContain(server.password);
    expect(await shellcheck(t.script.text)).toEqual([]);

    // `systemctl stop` ends with SIGTERM (KillSignal=) to what ExecStop left running.
    m.child.kill('SIGTERM');
    const r = toResult(await m.child);
    expect(r.stderr).toContain('Unmounted rclone mount');
    expect(await isMountPoint(t.mount.mountPoint)).toBe(false);
    expect(await mountsUnder(t.sb.root)).toEqual([]);
    expect(await processGone(m.pid)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(server.password);
  });

  it("the unit's ExecStop unmounts a mount point with spaces, quotes, % $ and unicode; rclone exits 0", async () => {
    const t = await setup(`mnt 'single' "double" 100% $HOME ü€`);
    await writeFile(join(t.served, 'hello'), 'hi\n');
    const m = start(t);
    await m.mounted();
    expect(await readFile(join(t.mount.mountPoint, 'hello'), 'utf8')).toBe('hi\n');

    const argv = execStopArgv(mountModule(t.mount));
    expect(argv).toEqual(['fusermount3', '-uz', t.mount.mountPoint]);
    const stop = await execa(argv[0]!, argv.slice(1), { reject: false });
    expect(stop.exitCode, stop.stderr).toBe(0);
    const r = toResult(await m.child);
    // rclone sees the unmount and exits on its own, successfully: the unit ends inactive,
    // not failed, and Restart=on-failure does not fire.
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await isMountPoint(t.mount.mountPoint)).toBe(false);
    expect(await mountsUnder(t.sb.root)).toEqual([]);
    // Restart after stop: mounts again at the same hostile path.
    const again = start(t);
    await again.mounted();
    expect(await readFile(join(t.mount.mountPoint, 'hello'), 'utf8')).toBe('hi\n');
  });

  it('a missing secret file fails before mounting, the last line naming the file', async () => {
    const t = await setup();
    const missing = t.sb.path('secrets', 'no such pass');
    const m = start(t, { [t.secret.envVar]: missing });
    const r = toResult(await m.child);
    expect(r.exitCode).toBe(1);
    expect(r.lastLine).toBe(`backupgen-mount-media: FAILED: secret box_pass: file ${missing} is not a readable file`);
    expect(r.stderr).not.toContain('mounting');
    expect(await isMountPoint(t.mount.mountPoint)).toBe(false);
    await expect(access(t.sb.path('run', 'rclone.conf'))).rejects.toThrow();
  });

  it('a write the unit had no time to upload before stopping is uploaded by the next start, even with a fresh /tmp', async () => {
    // A long write-back delay for the first run, so the upload is surely still pending when
    // it stops, however slow the machine; the next start uses the default (5s).
    const t = await setup('mnt', ['--vfs-cache-mode writes', '--vfs-write-back 10m']);
    const m = start(t);
    await m.mounted();
    await writeFile(join(t.mount.mountPoint, 'last words'), 'just before shutdown\n');
    m.child.kill('SIGTERM');
    await m.child;
    expect(await isMountPoint(t.mount.mountPoint)).toBe(false);
    // Still pending: stopping does not wait for uploads (rclone docs, "VFS File Caching":
    // they are uploaded the next time rclone runs with the same cache).
    await expect(access(join(t.served, 'last words'))).rejects.toThrow();

    // A reboot: /tmp may be a fresh tmpfs; the unit's state directory is kept.
    await mkdir(t.sb.path('tmp-after-reboot'));
    const rebooted = await t.sb.writeScript('media-rebooted', renderMount({ ...t.mount, options: ['--vfs-cache-mode writes'] }).text);
    const next = start({ ...t, file: rebooted }, { TMPDIR: t.sb.path('tmp-after-reboot') });
    await next.mounted();
    await expect
      .poll(() => readFile(join(t.served, 'last words'), 'utf8').catch(() => ''), { timeout: 30_000 })
      .toBe('just before shutdown\n');
  });
});

describe('NixOS unit of a system mount', () => {
  /** The `systemd.services.backupgen-mount-<name> = { ... };` block of the module. */
  function serviceBlock(text: string, name: string): string {
    const start = text.indexOf(`  systemd.services.backupgen-mount-${name} = {\n`);
    expect(start).toBeGreaterThan(-1);
    return text.slice(start, text.indexOf('\n  };\n', start) + 5);
  }

  it('waits for the network, gets its secret paths, is Type=notify, unmounts on stop, retries', () => {
    const nasPass = sopsSecret('nas_pass');
    const tokenFile = fileSecret('box token', '/etc/backup/box 100%');
    const nas = remote({
      name: 'nas',
      type: 'sftp',
      options: [['host', 'nas.lan']],
      secrets: [{ option: 'pass', secret: nasPass, obscure: true, refreshedByRclone: false }],
    });
    const box = remote({
      name: 'box',
      type: 'webdav',
      options: [['url', 'https://box.example']],
      secrets: [{ option: 'bearer_token', secret: tokenFile, obscure: false, refreshedByRclone: false }],
    });
    const vault = remote({ name: 'vault', type: 'union', options: [['upstreams', 'nas:a box:b']] });
    const mountPoint = `/mnt/media "x" 100% $HOME ü`;
    const mount = mountPlan({ name: 'media', remote: vault, mountPoint, options: ['--vfs-cache-mode writes'] });
    const unit = serviceBlock(mountModule(mount, [box, nas, vault]), 'media');

    // Ordered after and pulling in network-online.target (a mount of a network remote).
    expect(unit).toContain('    wants = [ "network-online.target" ];\n');
    expect(unit).toContain('    after = [ "network-online.target" ];\n');
    expect(unit).toContain('    wantedBy = [ "multi-user.target" ];\n');
    // Every secret of the remotes it wraps, by the provider's real path (% doubled for systemd).
    expect(unit).toContain('      BACKUPGEN_SECRET_NAS_PASS = config.sops.secrets.nas_pass.path;\n');
    expect(unit).toContain('      BACKUPGEN_SECRET_BOX_TOKEN = "/etc/backup/box 100%%";\n');
    // READY=1 from rclone once mounted; a start whose secret is not there yet fails and retries.
    expect(unit).toContain('      Type = "notify";\n');
    expect(unit).toContain('      Restart = "on-failure";\n');
    expect(unit).toContain('      RuntimeDirectory = "backupgen-mount-media";\n');
    expect(unit).toContain('      RuntimeDirectoryMode = "0700";\n');
    // Pending uploads of the VFS cache live in the state directory (see the reboot test above).
    expect(unit).toContain('      StateDirectory = "backupgen";\n');
    // Stop: ExecStop unmounts the exact (hostile) mount point; then systemd's default
    // KillMode=control-group sends SIGTERM, which the tests above show unmounts too.
    expect(execStopArgv(unit)).toEqual(['fusermount3', '-uz', mountPoint]);
    expect(unit).not.toMatch(/KillMode|KillSignal|SendSIGKILL/);
  });
});
