/**
 * The plain units checked by systemd itself: installed by install.sh into a temporary root
 * (with systemd's own units, fuse3's fusermount3 and coreutils' mkdir beside them), then
 * `systemd-analyze verify --root` (which also checks that every ExecStart= executable exists
 * and is executable there) and `systemd-analyze security --offline=true --root`: every system
 * job's service scores an exposure of at most 3.0, as on NixOS. systemd is not PID 1 in the
 * test sandbox; both verbs work offline.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDebianBase, execa, installedUnits, runScript, writePlainHost, type PlainHost } from './plain-host.js';

let host: PlainHost;
let root: string;

beforeAll(async () => {
  host = await writePlainHost();
  root = join(host.dir, 'root');
  await mkdir(root);
  const install = await runScript(host, 'install.sh', root);
  if (install.exitCode !== 0) throw new Error(`install.sh failed: ${install.stderr}`);
  await addDebianBase(root);
});
afterAll(async () => host.cleanup());

async function analyze(args: readonly string[], user = false) {
  const env: Record<string, string> = {};
  if (user) env['XDG_RUNTIME_DIR'] = await mkdtemp(join(host.dir, 'xdg-'));
  return execa('systemd-analyze', [...(user ? ['--user'] : []), ...args], { reject: false, cwd: root, env });
}

describe('systemd-analyze verify --root', () => {
  it('accepts every system unit, with its script installed and executable', async () => {
    const units = await installedUnits(root, 'system');
    expect(units.length).toBe(10);
    const run = await analyze(['verify', '--man=no', `--root=${root}`, ...units.map((u) => relative(root, u))]);
    expect(run.stderr + run.stdout).toBe('');
    expect(run.exitCode).toBe(0);
  });

  it('accepts every user unit (systemd --user)', async () => {
    const units = await installedUnits(root, 'user');
    expect(units.map((u) => basename(u)).sort()).toEqual([
      'backupgen-documents-verify.service',
      'backupgen-documents-verify.timer',
      'backupgen-documents.service',
      'backupgen-documents.timer',
    ]);
    // systemd 252 has no --root for --user: the units are verified from a copy whose
    // ExecStart= names the script installed in the temporary root.
    const copies = await mkdtemp(join(host.dir, 'user-units-'));
    for (const unit of units) {
      const text = await readFile(unit, 'utf8');
      await writeFile(join(copies, basename(unit)), text.replaceAll('ExecStart="/usr/local/', `ExecStart="${root}/usr/local/`));
    }
    const run = await analyze(['verify', '--man=no', ...units.map((u) => join(copies, basename(u)))], true);
    expect(run.stderr + run.stdout).toBe('');
    expect(run.exitCode).toBe(0);
  });

  it('rejects a unit whose script is not where the unit says (the check has teeth)', async () => {
    const units = await installedUnits(root, 'system');
    const srv = units.find((u) => basename(u) === 'backupgen-srv.service')!;
    await execa('chmod', ['-x', join(root, 'usr/local/lib/backupgen/scripts/srv.sh')]);
    try {
      const run = await analyze(['verify', '--man=no', `--root=${root}`, relative(root, srv)]);
      expect(run.stderr).toContain('Command /usr/local/lib/backupgen/scripts/srv.sh is not executable');
      expect(run.exitCode).not.toBe(0);
    } finally {
      await execa('chmod', ['+x', join(root, 'usr/local/lib/backupgen/scripts/srv.sh')]);
    }
  });
});

describe('systemd-analyze security --offline=true', () => {
  const scores = new Map<string, number>();
  beforeAll(async () => {
    for (const unit of await installedUnits(root, 'system')) {
      if (!unit.endsWith('.service')) continue;
      const run = await analyze(['security', '--offline=true', '--no-pager', `--root=${root}`, relative(root, unit)]);
      const match = /Overall exposure level for (\S+): ([0-9.]+)/.exec(run.stdout + run.stderr);
      if (match === null) throw new Error(`no exposure for ${unit}: ${run.stdout}${run.stderr}`);
      scores.set(match[1]!, Number(match[2]));
    }
  });

  it('scores every system job service, and the verify service (the job\'s sandbox), at 3.0 or less', () => {
    const jobs = [...scores].filter(([unit]) => !unit.startsWith('backupgen-mount-'));
    expect(jobs.map(([unit]) => unit).sort()).toEqual([
      'backupgen-app-export.service',
      'backupgen-app.service',
      'backupgen-offsite.service',
      'backupgen-srv-verify.service',
      'backupgen-srv.service',
    ]);
    for (const [unit, exposure] of jobs) expect({ unit, exposure }).toEqual({ unit, exposure: expect.toSatisfy((n: number) => n <= 3.0) });
  });

  it('scores the FUSE mount as on NixOS (no mount namespace possible): 4.5', () => {
    expect(scores.get('backupgen-mount-nas.service')).toBe(4.5);
  });
});
