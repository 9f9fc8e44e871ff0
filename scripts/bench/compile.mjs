// Compiler benchmark: `backupgen build` of generated fleets (hosts x jobs), end to end through
// the CLI a user runs (node start-up, load, validate, plan, emit, write). Reports the median
// of several runs of a fresh build (empty output folder) and of a no-change rebuild, and the
// ratio between fleet sizes (linear scaling means ~10x for 10x the hosts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { fmt, median, timeCommand } from './stats.mjs';

const ENGINES = ['snapshot', 'rclone', 'archive'];

/** A fleet config: every host gets `jobsPerHost` jobs cycling through the three engines. */
export function fleetConfig(hosts, jobsPerHost) {
  const config = {
    version: 1,
    secrets: { provider: 'sops', sopsFile: 'secrets.yaml' },
    remotes: {
      b2: { type: 'b2', secrets: { account: 'b2_account', key: 'b2_key' } },
    },
    defaults: { randomDelay: '30min', exclude: ['.cache', '*.tmp'] },
    hosts: {},
  };
  for (let h = 0; h < hosts; h++) {
    const jobs = {};
    for (let j = 0; j < jobsPerHost; j++) {
      const engine = ENGINES[j % ENGINES.length];
      const name = `job${j}`;
      if (engine === 'snapshot') {
        jobs[name] = {
          engine,
          schedule: `${j % 24}:15`.padStart(5, '0'),
          sources: ['/home', `/srv/data${j}`],
          // One destination per snapshot job: two in one would prune each other's snapshots (a config rule).
          destination: { path: `/mnt/backup/job${j}`, requireMountpoint: true, minFreeGB: 5 },
          retention: { daily: 7, weekly: 4, monthly: 6 },
        };
      } else if (engine === 'rclone') {
        jobs[name] = {
          engine,
          mode: 'sync',
          schedule: '0 3 * * 1-5',
          source: `/srv/data${j}`,
          target: { remote: 'b2', path: `fleet/host${h}/${name}` },
          verify: 'size',
          maxDelete: '10%',
        };
      } else {
        jobs[name] = {
          engine,
          schedule: 'weekly',
          sources: [`/var/lib/app${j}`],
          format: 'tar.zst',
          destinations: [{ path: `/var/backups/app${j}` }, { remote: 'b2', path: `archives/host${h}` }],
          retention: { keep: 10, maxAgeDays: 30 },
        };
      }
    }
    config.hosts[`host${h}`] = { jobs };
  }
  return config;
}

function writeFleet(dir, hosts, jobsPerHost) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'backupgen.yaml'), stringify(fleetConfig(hosts, jobsPerHost)));
  // sops-nix reads the file at evaluation time only; a dummy with sops metadata is enough.
  writeFileSync(join(dir, 'secrets.yaml'), 'b2_account: ENC[dummy]\nb2_key: ENC[dummy]\nsops:\n    version: 3.9.0\n');
}

/**
 * The floor a fresh build cannot beat on this file system: a bare `node` process writing the
 * same files (same folders, same bytes) with writeFileSync. Where file creation is slow (some
 * sandboxes watch their work folders), it shows how much of a fresh build is the disk.
 */
function writeFloor(out, floorDir) {
  // Reads the tree first, then times only the writes, and prints the seconds.
  const result = spawnSync('node', [
    '-e',
    `const fs = require('node:fs'), path = require('node:path');
     const [src, dst] = process.argv.slice(1);
     const files = [];
     (function walk(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); e.isDirectory() ? walk(p) : files.push([path.relative(src, p), fs.readFileSync(p)]); } })(src);
     const start = process.hrtime.bigint();
     for (const [rel, bytes] of files) { fs.mkdirSync(path.dirname(path.join(dst, rel)), { recursive: true }); fs.writeFileSync(path.join(dst, rel), bytes); }
     console.log(Number(process.hrtime.bigint() - start) / 1e9);`,
    out,
    floorDir,
  ]);
  if (result.status !== 0) throw new Error(`write floor failed: ${result.stderr}`);
  return Number(result.stdout.toString().trim());
}

export function runCompileBench({ benchDir, root, runs }) {
  const cli = join(root, 'bin', 'backupgen.js');
  const rows = [];
  for (const [hosts, jobs] of [
    [100, 10],
    [1000, 10],
  ]) {
    const dir = join(benchDir, `fleet-${hosts}x${jobs}`);
    writeFleet(dir, hosts, jobs);
    const out = join(dir, 'out');
    const floorDir = join(dir, 'floor');
    const build = () =>
      timeCommand('node', [cli, 'build', '--config', join(dir, 'backupgen.yaml'), '--out', out], { cwd: dir });
    const fresh = [];
    const rebuild = [];
    const floor = [];
    // sync(1) before each timed run: the removal of the previous tree (and the last run's
    // writes) must not be flushed to disk during the next measurement.
    const settle = () => spawnSync('sync');
    for (let i = 0; i < runs; i++) {
      rmSync(out, { recursive: true, force: true });
      settle();
      fresh.push(build());
      settle();
      rebuild.push(build());
      rmSync(floorDir, { recursive: true, force: true });
      settle();
      floor.push(writeFloor(out, floorDir));
    }
    rows.push({ fleet: `${hosts} hosts x ${jobs} jobs`, hosts, fresh: median(fresh), rebuild: median(rebuild), floor: median(floor) });
    rmSync(out, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
  }
  console.log(`\n## compile (median of ${runs} runs, wall time of the CLI, output in ${benchDir})`);
  console.log('| fleet | fresh build | no-change rebuild | bare node writing the same files |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.fleet} | ${fmt(row.fresh)} | ${fmt(row.rebuild)} | ${fmt(row.floor)} |`);
  const [small, large] = rows;
  console.log(
    `ratio 1000/100 hosts: fresh ${(large.fresh / small.fresh).toFixed(2)}x, rebuild ${(large.rebuild / small.rebuild).toFixed(2)}x`,
  );
  return rows;
}
