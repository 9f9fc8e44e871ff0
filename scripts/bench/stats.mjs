// Small timing helpers shared by the benchmarks: run commands side by side, report medians.
import { spawnSync } from 'node:child_process';

/** Run a command, fail loudly on a non-zero exit, return wall seconds. */
export function timeCommand(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${result.status ?? result.signal}\n${result.stderr?.toString() ?? ''}`,
    );
  }
  return seconds;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measure several variants side by side: each round runs every variant once (in rotating
 * order, so neither always benefits from a warm cache), `prepare` runs untimed before each.
 * Returns { name: [seconds...] }.
 */
export function sideBySide(variants, rounds) {
  const times = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const variant of order) {
      variant.prepare?.();
      // Flush what the previous variant left dirty, so it is not written during this one.
      spawnSync('sync');
      times[variant.name].push(variant.run());
    }
  }
  return times;
}

export function fmt(seconds) {
  return seconds < 1 ? `${(seconds * 1000).toFixed(0)} ms` : `${seconds.toFixed(2)} s`;
}
