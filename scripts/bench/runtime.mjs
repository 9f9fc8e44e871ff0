// Job-runtime benchmark: the generated job scripts against the bare commands they wrap, on a
// generated tree (~20k files, ~1 GiB, mixed sizes), measured side by side in one run.
// The scripts come from a real `backupgen build` of a small config, so what is measured is
// exactly what a host runs (lock, status file, checks, stats parsing included).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { fmt, median, sideBySide, timeCommand } from './stats.mjs';

/**
 * Deterministic pseudo-random tree: 19,000 small files (1-8 KiB), 900 medium (~0.5 MiB) and
 * 100 large (~5 MiB) in nested folders; half the bytes are incompressible, half text-like,
 * so compressors do real work on both kinds.
 */
function generateTree(dir) {
  if (existsSync(join(dir, '.complete'))) return;
  rmSync(dir, { recursive: true, force: true });
  let seed = createHash('sha256').update('backupgen-bench').digest();
  const bytes = (n) => {
    const chunks = [];
    let total = 0;
    while (total < n) {
      seed = createHash('sha256').update(seed).digest();
      chunks.push(seed);
      total += seed.length;
    }
    return Buffer.concat(chunks).subarray(0, n);
  };
  const text = (n) => Buffer.from('backupgen benchmark line of text, fairly compressible 0123456789\n'.repeat(Math.ceil(n / 66))).subarray(0, n);
  const randomBlock = bytes(8 << 20);
  const sizes = [
    ...Array.from({ length: 19000 }, (_, i) => 1024 + ((i * 7919) % 7168)),
    ...Array.from({ length: 900 }, (_, i) => (512 << 10) + ((i * 104729) % (64 << 10))),
    ...Array.from({ length: 100 }, (_, i) => (5 << 20) + ((i * 15485863) % (1 << 20))),
  ];
  sizes.forEach((size, i) => {
    const folder = join(dir, `d${i % 40}`, `e${(i >> 6) % 25}`);
    mkdirSync(folder, { recursive: true });
    const offset = (i * 4099) % ((8 << 20) - size > 0 ? (8 << 20) - size : 1);
    const body = i % 2 === 0 ? randomBlock.subarray(offset, offset + size) : text(size);
    writeFileSync(join(folder, `f${i}.bin`), body);
  });
  writeFileSync(join(dir, '.complete'), '');
}

function buildJobs(root, work, tree) {
  const config = {
    version: 1,
    remotes: { benchdst: { type: 'local' } },
    hosts: {
      bench: {
        jobs: {
          snap: {
            engine: 'snapshot',
            sources: [tree],
            destination: { path: join(work, 'snap') },
            retention: { daily: 3, weekly: 0, monthly: 0 },
          },
          arch: {
            engine: 'archive',
            sources: [tree],
            format: 'tar.zst',
            destinations: [{ path: join(work, 'arch') }],
            retention: { keep: 1, maxAgeDays: 0 },
          },
          sync: {
            engine: 'rclone',
            mode: 'sync',
            source: tree,
            target: { remote: 'benchdst', path: join(work, 'rclone-job') },
          },
        },
      },
    },
  };
  writeFileSync(join(work, 'backupgen.yaml'), stringify(config));
  timeCommand('node', [join(root, 'bin', 'backupgen.js'), 'build', '--config', join(work, 'backupgen.yaml'), '--out', join(work, 'out')]);
  return (job) => join(work, 'out', 'hosts', 'bench', 'scripts', `${job}.sh`);
}

export function runRuntimeBench({ benchDir, root, runs }) {
  const tree = join(benchDir, 'tree');
  console.log('\n## job runtime (generating the ~1 GiB tree on first use)');
  generateTree(tree);
  const work = join(benchDir, 'runtime');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const script = buildJobs(root, work, tree);
  const env = (job) => ({
    ...process.env,
    STATE_DIRECTORY: join(work, 'state'),
    RUNTIME_DIRECTORY: join(work, `run-${job}`),
  });
  const runScript = (job) => () => {
    mkdirSync(join(work, `run-${job}`), { recursive: true });
    return timeCommand('bash', [script(job)], { env: env(job) });
  };
  const reset = (...dirs) => () => dirs.forEach((d) => rmSync(join(work, d), { recursive: true, force: true }));
  const bareRsync = (dest, linkDest) => () => {
    mkdirSync(dirname(dest), { recursive: true });
    return timeCommand('rsync', ['-a', ...(linkDest ? [`--link-dest=${linkDest}`] : []), `${tree}/`, dest]);
  };

  const results = [];
  const compare = (title, jobVariant, bareVariant) => {
    const times = sideBySide([jobVariant, bareVariant], runs);
    const job = median(times[jobVariant.name]);
    const bare = median(times[bareVariant.name]);
    results.push({ title, job, bare, ratio: job / bare });
  };

  // Snapshot, first run: empty destination on both sides.
  compare(
    'snapshot, first run vs rsync -a',
    { name: 'job', prepare: reset('snap', 'state'), run: runScript('snap') },
    { name: 'bare', prepare: reset('bare-snap'), run: bareRsync(join(work, 'bare-snap', 'a')) },
  );
  // Snapshot, no change: both link against the job's latest snapshot of the same tree, as a
  // hand-written snapshot script would (linking against a freshly written copy is faster than
  // against a snapshot generation, which would not compare like with like).
  runScript('snap')();
  const snapshots = () => readdirSync(join(work, 'snap', 'bench', 'daily')).sort();
  const latestTree = () => join(work, 'snap', 'bench', 'daily', snapshots().at(-1), tree);
  compare(
    'snapshot, no-change run vs rsync -a --link-dest',
    {
      name: 'job',
      // Keep only the newest snapshot so every round links against one predecessor.
      prepare: () => snapshots().slice(0, -1).forEach((s) => rmSync(join(work, 'snap', 'bench', 'daily', s), { recursive: true })),
      run: runScript('snap'),
    },
    {
      name: 'bare',
      prepare: reset('bare-snap/next'),
      run: () => bareRsync(join(work, 'bare-snap', 'next'), latestTree())(),
    },
  );
  // Archive: the job (tar.zst + .sha256 + .manifest.json, atomic rename) against the bare
  // pipeline doing the same three things.
  const bareArchive = join(work, 'bare-arch');
  compare(
    'archive tar.zst vs tar | zstd -T0 + sha256sum + find manifest',
    { name: 'job', prepare: reset('arch'), run: runScript('arch') },
    {
      name: 'bare',
      prepare: () => {
        rmSync(bareArchive, { recursive: true, force: true });
        mkdirSync(bareArchive, { recursive: true });
      },
      run: () =>
        timeCommand('bash', [
          '-c',
          'set -euo pipefail; tar -C "$1" -cf - . | zstd -q -T0 -o "$2/a.tar.zst"; (cd "$2" && sha256sum a.tar.zst > a.tar.zst.sha256); find "$1" -printf "%P\\t%s\\t%m\\t%T@\\n" > "$2/a.manifest.tsv"',
          'bench',
          tree,
          bareArchive,
        ]),
    },
  );
  // rclone sync into an empty local target on both sides.
  compare(
    'rclone sync job vs bare rclone sync',
    { name: 'job', prepare: reset('rclone-job'), run: runScript('sync') },
    {
      name: 'bare',
      prepare: reset('rclone-bare'),
      run: () => timeCommand('rclone', ['sync', tree, join(work, 'rclone-bare')], { env: { ...process.env, RCLONE_CONFIG: '/dev/null' } }),
    },
  );

  console.log(`| comparison (median of ${runs} side-by-side runs) | job | bare | job/bare |`);
  console.log('| --- | --- | --- | --- |');
  for (const r of results) console.log(`| ${r.title} | ${fmt(r.job)} | ${fmt(r.bare)} | ${r.ratio.toFixed(3)} |`);
  return results;
}
