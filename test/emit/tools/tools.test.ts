import { describe, expect, it } from 'vitest';
import { emitNixos } from '../../../src/emit/nixos/index.js';
import { emitTools, hostTools } from '../../../src/emit/tools/index.js';
import { archiveJob, host, plan, snapshotJob, user } from '../../support/plan-builders.js';

describe('host tools', () => {
  const laptop = host({ name: 'laptop', users: [user({ name: 'mads', jobs: [snapshotJob({ name: 'docs', runAs: { scope: 'user', user: 'mads' } })] })] });
  const idle = host({ name: 'idle' });
  const cluster = host({ name: 'k8s', kind: 'kubernetes', jobs: [snapshotJob({ name: 'k' }, 'k8s')] });

  it('backup-status for every host that runs jobs (user jobs count), backup-restore with snapshot jobs', () => {
    expect(hostTools(laptop).map((t) => t.name)).toEqual(['backup-status', 'backup-restore']);
    const archiveOnly = host({ name: 'a', jobs: [archiveJob({ name: 'db' }, 'a')] });
    expect(hostTools(archiveOnly).map((t) => t.name)).toEqual(['backup-status']);
    expect(hostTools(idle)).toEqual([]);
    expect(hostTools(cluster)).toEqual([]);
    const files = emitTools(plan([laptop, idle, cluster]));
    expect(files.map((f) => [f.path, f.executable])).toEqual([
      ['hosts/laptop/tools/backup-status.sh', true],
      ['hosts/laptop/tools/backup-restore.sh', true],
    ]);
    expect(files[1]!.contents).toContain("readonly -a JOB_DESTINATIONS=('/mnt/backup')");
    expect(files[0]!.contents).toContain("readonly -a JOBS=('docs')");
    expect(files[0]!.contents).toContain("readonly -a JOB_SCOPES=('user')");
  });

  it('the NixOS module installs it system-wide', () => {
    const module = emitNixos(plan([laptop])).find((f) => f.path === 'hosts/laptop/nixos.nix')!.contents;
    expect(module).toContain('  environment.systemPackages = [\n    (pkgs.writeShellApplication {\n      name = "backup-status";');
    expect(module).toContain('text = builtins.readFile ./tools/backup-status.sh;');
    expect(emitNixos(plan([idle]))[0]!.contents).not.toContain('systemPackages');
  });
});
