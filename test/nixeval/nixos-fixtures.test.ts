/**
 * The nixeval lane over the real pipeline: every fixtures/<case>/ config is loaded, planned
 * and emitted into a temporary output tree, and the NixOS module of each `kind: nixos` host
 * is evaluated against the real module system (nixeval-runner.ts). The fixtures' dummy sops
 * files are real files, as sops-nix checks them at evaluation time.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig } from '../../src/config/load.js';
import { planConfig } from '../../src/plan/plan.js';
import { evalNixosOutput, nixevalMissing, nixosOutput, writeTree } from './nixeval-runner.js';

const fixturesDir = new URL('../../fixtures/', import.meta.url).pathname;
const missing = nixevalMissing();

const hostsOf = async (name: string) => {
  const configPath = findConfig(join(fixturesDir, name));
  if (configPath === undefined) return [];
  const { config, file } = await loadConfig(configPath);
  const root = mkdtempSync(join(tmpdir(), `backupgen-fixture-${name}-`));
  const plan = planConfig(config, { configPath: file, outDir: join(root, 'out') });
  writeTree(join(root, 'out'), nixosOutput(plan));
  return plan.hosts.filter((h) => h.kind === 'nixos').map((host) => ({ fixture: name, root, host, plan }));
};

const cases = missing === undefined ? (await Promise.all(readdirSync(fixturesDir).sort().map(hostsOf))).flat() : [];

describe('nixeval: fixtures through the whole pipeline', () => {
  if (missing !== undefined) {
    console.log(`nixeval lane SKIPPED: ${missing}`);
    it.skip(`nixeval lane SKIPPED: ${missing}`, () => {});
    return;
  }
  it('finds fixtures with NixOS hosts', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases.map((c) => ({ ...c, title: `${c.fixture}/${c.host.name}` })))('$title', async ({ root, host }) => {
    const run = await evalNixosOutput(root, host);
    const { result } = run;
    for (const [unit, score] of Object.entries(run.exposure)) console.log(`exposure ${host.name} ${unit}: ${score}`);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(result.assertions).toEqual([]);
    expect(result.problems).toEqual([]);
    for (const job of host.jobs) {
      const service = result.services[job.unitName];
      expect(service, job.unitName).toBeDefined();
      expect(service!.unitText).toContain('Type=oneshot');
      if (job.runAfter === undefined) {
        const timer = result.timers[job.unitName]!;
        for (const cal of job.schedule.onCalendar) expect(timer.unitText).toContain(`OnCalendar=${cal}`);
      } else {
        expect(result.timers[job.unitName]).toBeUndefined();
        const first = result.services[job.runAfter.unitName]!;
        if (job.enable) expect(first.unitText).toMatch(new RegExp(`OnSuccess=.*${job.unitName}\\.service`));
      }
      for (const secret of job.secrets) {
        // The value as systemd reads it: `%%` in the unit is a literal `%`.
        const value = service!.environment[secret.envVar]?.replaceAll('%%', '%');
        const home = job.runAs.user === 'root' ? '/root' : `/home/${job.runAs.user}`;
        const expected = secret.provider === 'file' ? secret.path.replace(/^~\//, `${home}/`) : secret.defaultPath;
        expect(value, `${job.name} ${secret.envVar}`).toBe(expected);
      }
      // Jobs are sandboxed: below systemd-analyze's MEDIUM band.
      expect(run.exposure[`${job.unitName}.service`], job.unitName).toBeLessThan(5);
    }
    const sopsNames = (result.sops.manifest?.secrets ?? []).map((s) => s.name).sort();
    expect(sopsNames).toEqual(host.secrets.filter((s) => s.provider === 'sops').map((s) => s.name).sort());
    const ageNames = Object.keys(result.age.secrets ?? {}).sort();
    expect(ageNames).toEqual(host.secrets.filter((s) => s.provider === 'agenix').map((s) => s.name).sort());
    // Secrets reach units as paths only: no unit or generated file holds the (dummy) sops
    // ciphertext, which stands in for a value here.
    expect(JSON.stringify([result.units, result.services, result.scripts])).not.toContain('ENC[AES256_GCM');
    if (host.fuse !== undefined) expect(result.fuse.userAllowOther).toBe(host.fuse.userAllowOther);
    for (const mount of host.mounts) expect(result.services[`backupgen-mount-${mount.name}`]?.unitText).toContain('Type=notify');
  }, 60_000);
});
