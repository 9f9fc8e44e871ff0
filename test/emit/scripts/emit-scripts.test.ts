import { describe, expect, it } from 'vitest';
import { emitScripts } from '../../../src/emit/scripts/index.js';
import { archiveJob, host, plan, rcloneJob, snapshotJob, user } from '../../support/plan-builders.js';

describe('emitScripts', () => {
  const laptop = host({
    name: 'laptop',
    jobs: [snapshotJob({ name: 'home' })],
    users: [user({ name: 'mads', jobs: [rcloneJob({ name: 'docs', runAs: { scope: 'user', user: 'mads' }, scriptPath: 'hosts/laptop/scripts/mads/docs.sh' })] })],
  });
  const server = host({ name: 'server', jobs: [archiveJob({ name: 'db' }, 'server')] });
  const idle = host({ name: 'idle' });
  const cluster = host({ name: 'k8s', kind: 'kubernetes', jobs: [snapshotJob({ name: 'k' }, 'k8s')] });
  const files = emitScripts(plan([laptop, server, idle, cluster]));
  const byPath = new Map(files.map((f) => [f.path, f]));

  it("writes one runtime library per host that runs jobs, next to the host's scripts", () => {
    expect(files.map((f) => f.path)).toEqual([
      'hosts/laptop/lib/runtime.sh',
      'hosts/laptop/scripts/home.sh',
      'hosts/laptop/scripts/mads/docs.sh',
      'hosts/server/lib/runtime.sh',
      'hosts/server/scripts/db.sh',
    ]);
  });

  it('the library is sourced, not run, and holds no job or host data', () => {
    const laptopLib = byPath.get('hosts/laptop/lib/runtime.sh')!;
    expect(laptopLib.executable).toBe(false);
    expect(byPath.get('hosts/server/lib/runtime.sh')!.contents).toBe(laptopLib.contents);
    for (const name of ['laptop', 'server', 'home', 'docs', 'db']) expect(laptopLib.contents).not.toContain(`'${name}'`);
  });

  it("each job script is executable and sources the library relative to its own folder", () => {
    expect(byPath.get('hosts/laptop/scripts/home.sh')!.executable).toBe(true);
    expect(byPath.get('hosts/laptop/scripts/home.sh')!.contents).toContain(`bg_runtime="\${bg_runtime%/*}/"'../lib/runtime.sh'`);
    expect(byPath.get('hosts/laptop/scripts/mads/docs.sh')!.contents).toContain(`bg_runtime="\${bg_runtime%/*}/"'../../lib/runtime.sh'`);
  });
});
