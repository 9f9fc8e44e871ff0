/**
 * install.sh and uninstall.sh of a `kind: systemd` host, run for real into a temporary root
 * (`--root`): what lands where with which mode, which units are enabled (the symlinks
 * `systemctl --root enable` makes offline), a reinstall that drops what it no longer
 * installs, an uninstall that removes exactly what was installed, the refusal when a command
 * the jobs need is missing, and an installed job script that runs from its installed place.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCase } from '../../golden/fixture-cases.js';
import { hostTools, userTools } from '../../../src/emit/tools/index.js';
import { HOST, runScript, treeOf, writePlainHost, execa, type PlainHost } from './plain-host.js';

const PREFIX = 'usr/local/lib/backupgen';
let host: PlainHost;

beforeAll(async () => {
  host = await writePlainHost();
});
afterAll(async () => host.cleanup());

async function newRoot(name: string): Promise<string> {
  const root = join(host.dir, name);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  return root;
}

/** A folder with every command of /usr/bin except `left`, for a PATH without it. */
async function binWithout(left: string): Promise<string> {
  const bin = await mkdtemp(join(host.dir, 'bin-'));
  for (const name of await readdir('/usr/bin')) {
    if (name !== left) await symlink(join('/usr/bin', name), join(bin, name));
  }
  return bin;
}

async function modeOf(path: string): Promise<string> {
  return ((await lstat(path)).mode & 0o777).toString(8).padStart(4, '0');
}

describe('install.sh --root', () => {
  let root: string;
  beforeAll(async () => {
    root = await newRoot('root-install');
    const run = await runScript(host, 'install.sh', root);
    expect(run.stderr + run.stdout).toContain(`installed 33 files for host ${HOST}`);
    expect(run.exitCode).toBe(0);
  });

  it('copies every script, the runtime library, every host tool and every user\'s tools to the prefix, as generated', async () => {
    const compiled = await compileCase('plain-systemd');
    if (!compiled.ok) throw compiled.error;
    const hostDir = `hosts/${HOST}/`;
    const hostFiles = compiled.files.filter((f) => f.path.startsWith(hostDir) && !f.path.startsWith(`${hostDir}systemd/`));
    expect(hostFiles.length).toBe(15);
    for (const file of hostFiles) {
      const installed = join(root, PREFIX, file.path.slice(hostDir.length));
      expect(await readFile(installed, 'utf8')).toBe(file.contents);
      expect(await modeOf(installed)).toBe(file.executable === true ? '0755' : '0644');
    }
  });

  it('puts each host tool on PATH in /usr/local/bin, whatever tools the host has', async () => {
    const compiled = await compileCase('plain-systemd');
    if (!compiled.ok) throw compiled.error;
    const tools = hostTools(compiled.plan.hosts.find((h) => h.name === HOST)!);
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools) {
      expect(await readlink(join(root, 'usr/local/bin', tool.name))).toBe(`/${PREFIX}/tools/${tool.name}.sh`);
    }
  });

  it('leaves a user\'s tools off PATH; one runs from its installed place (it finds ../../lib/runtime.sh)', async () => {
    const compiled = await compileCase('plain-systemd');
    if (!compiled.ok) throw compiled.error;
    const host0 = compiled.plan.hosts.find((h) => h.name === HOST)!;
    const tools = userTools(host0, host0.users[0]!);
    expect(tools.map((t) => t.path)).toContain(`hosts/${HOST}/tools/dana/backup-status.sh`);
    const linked = await readdir(join(root, 'usr/local/bin'));
    expect(linked.sort()).toEqual(hostTools(host0).map((t) => t.name).sort());
    const home = await mkdtemp(join(host.dir, 'home-'));
    const run = await execa(join(root, PREFIX, 'tools/dana/backup-status.sh'), ['--json'], { reject: false, env: { HOME: home, BACKUPGEN_SYSTEMD: '0' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject([{ job: 'documents', user: 'dana', result: 'never' }]);
  });

  it('installs the system and user units beside their generated files', async () => {
    for (const scope of ['system', 'user'] as const) {
      const generated = (await readdir(join(host.systemdDir, scope))).sort();
      const installed = (await readdir(join(root, 'etc/systemd', scope))).filter((n) => n.startsWith('backupgen-')).sort();
      expect(installed).toEqual(generated);
      for (const name of generated) {
        expect(await readFile(join(root, 'etc/systemd', scope, name), 'utf8')).toBe(await readFile(join(host.systemdDir, scope, name), 'utf8'));
        expect(await modeOf(join(root, 'etc/systemd', scope, name))).toBe('0644');
      }
    }
  });

  it('enables the timers of enabled jobs, their verify timers, the mount and the user timers; not a disabled job nor a runAfter job', async () => {
    const links = (await treeOf(root, 'etc/systemd')).filter((p) => p.includes('.wants/'));
    expect(links).toEqual([
      'etc/systemd/system/multi-user.target.wants/backupgen-mount-nas.service',
      'etc/systemd/system/timers.target.wants/backupgen-app.timer',
      'etc/systemd/system/timers.target.wants/backupgen-srv-verify.timer',
      'etc/systemd/system/timers.target.wants/backupgen-srv.timer',
      'etc/systemd/user/timers.target.wants/backupgen-documents-verify.timer',
      'etc/systemd/user/timers.target.wants/backupgen-documents.timer',
    ]);
    expect(await readlink(join(root, 'etc/systemd/user/timers.target.wants/backupgen-documents.timer'))).toBe(
      '/etc/systemd/user/backupgen-documents.timer',
    );
  });

  it('runs an installed job script from its installed place (it finds ../lib/runtime.sh there)', async () => {
    const state = join(host.dir, 'state');
    await mkdir(state, { recursive: true });
    const run = await execa(join(root, PREFIX, 'scripts/srv.sh'), [], {
      reject: false,
      env: { STATE_DIRECTORY: state, BACKUPGEN_SECRET_NTFY_URL: join(host.dir, 'no-such-url-file') },
    });
    const last = run.stderr.trim().split('\n').at(-1);
    // /mnt/backup is no mount point here: the run refuses before writing anything.
    expect(last).toBe('backupgen-srv: FAILED: destination /mnt/backup is not a mountpoint (requireMountpoint); nothing written');
    expect(run.exitCode).toBe(1);
    expect(await readFile(join(state, 'srv.status.json'), 'utf8')).toContain('"lastResult": "failure"');
  });

  it('a second install changes nothing; it disables and removes what it no longer installs and turns off a disabled job', async () => {
    const before = await treeOf(root);
    const list = join(root, PREFIX, 'installed-files');
    // What an earlier install with one more job left behind: its units (the timer enabled)
    // and its script.
    const oldTimer = 'etc/systemd/system/backupgen-old.timer';
    await writeFile(join(root, oldTimer), '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n');
    await writeFile(join(root, 'etc/systemd/system/backupgen-old.service'), '[Service]\nExecStart=/bin/true\n');
    await writeFile(join(root, PREFIX, 'scripts/old.sh'), '#!/bin/sh\n');
    await symlink(`/${oldTimer}`, join(root, 'etc/systemd/system/timers.target.wants/backupgen-old.timer'));
    // The disabled job's timer, enabled by an install from before it was disabled.
    const appExport = 'etc/systemd/system/timers.target.wants/backupgen-app-export.timer';
    await symlink('/etc/systemd/system/backupgen-app-export.timer', join(root, appExport));
    const extra = [`/${oldTimer}`, '/etc/systemd/system/backupgen-old.service', `/${PREFIX}/scripts/old.sh`];
    await writeFile(list, (await readFile(list, 'utf8')) + extra.join('\n') + '\n');

    const run = await runScript(host, 'install.sh', root);
    expect(run.exitCode).toBe(0);
    expect(await treeOf(root)).toEqual(before);
  });
});

describe('uninstall.sh --root', () => {
  it('removes exactly what install.sh installed and leaves everything else', async () => {
    const root = await newRoot('root-uninstall');
    // Files that are not backupgen's, in the same folders.
    for (const [path, text] of [
      ['etc/systemd/system/other.service', '[Service]\nExecStart=/bin/true\n'],
      ['usr/local/bin/other-tool', '#!/bin/sh\n'],
      ['usr/local/lib/other/lib.sh', '\n'],
    ] as const) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), text);
    }
    const before = await treeOf(root);
    expect((await runScript(host, 'install.sh', root)).exitCode).toBe(0);
    expect((await treeOf(root)).length).toBeGreaterThan(before.length + 20);

    const run = await runScript(host, 'uninstall.sh', root);
    expect(run.exitCode).toBe(0);
    expect(await treeOf(root)).toEqual(before);
    await expect(lstat(join(root, PREFIX))).rejects.toThrow(/ENOENT/);

    const again = await runScript(host, 'uninstall.sh', root);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('nothing to remove');
  });

  it('does not remove a path outside what backupgen installs, even when the list names it', async () => {
    const root = await newRoot('root-foreign');
    expect((await runScript(host, 'install.sh', root)).exitCode).toBe(0);
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    const list = join(root, PREFIX, 'installed-files');
    await writeFile(list, (await readFile(list, 'utf8')) + '/etc/passwd\n/usr/local/lib/backupgen/../../../etc/passwd\n');
    const run = await runScript(host, 'uninstall.sh', root);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('not removing /etc/passwd');
    expect(await readFile(join(root, 'etc/passwd'), 'utf8')).toContain('root:x:0:0');
  });
});

describe('install.sh refuses', () => {
  it('when a command the jobs need is not on PATH, naming it and its Debian package, and installs nothing', async () => {
    const root = join(host.dir, 'root-missing');
    const run = await runScript(host, 'install.sh', root, { PATH: await binWithout('rclone') });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('install.sh: the backup jobs need rclone, which is not on PATH (Debian: apt-get install rclone)');
    expect(run.stderr.trim().split('\n').at(-1)).toBe('install.sh: FAILED: 1 command(s) missing; nothing was installed');
    await expect(lstat(root)).rejects.toThrow(/ENOENT/);
  });

  it('when a command is on PATH but not on the PATH the units run with', async () => {
    const root = join(host.dir, 'root-unit-path');
    const unitBin = await binWithout('zstd');
    const run = await runScript(host, 'install.sh', root, { BACKUPGEN_UNIT_PATH: unitBin });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('install.sh: the backup jobs need zstd, found at /');
    expect(run.stderr).toContain(`/zstd, but the units run with PATH=${unitBin}; link it into /usr/local/bin`);
    await expect(lstat(root)).rejects.toThrow(/ENOENT/);
  });

  it('when systemd is older than the units need (OnSuccess= for runAfter: 249)', async () => {
    const root = join(host.dir, 'root-old-systemd');
    // Debian 11's systemd, as `systemctl --version` reports it (the only thing asked of it).
    const bin = await binWithout('systemctl');
    await writeFile(join(bin, 'systemctl'), '#!/bin/sh\necho "systemd 247 (247.3-7+deb11u4)"\necho "+PAM +AUDIT"\n', { mode: 0o755 });
    const run = await runScript(host, 'install.sh', root, { PATH: bin });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim()).toBe(
      'install.sh: FAILED: these units need systemd 249 or newer (OnSuccess= starts the jobs with runAfter); this one is 247; nothing was installed',
    );
    await expect(lstat(root)).rejects.toThrow(/ENOENT/);
  });

  it('an unknown argument, with its usage', async () => {
    const run = await execa(join(host.systemdDir, 'install.sh'), ['--prefix', '/opt'], { reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown argument --prefix');
  });
});
