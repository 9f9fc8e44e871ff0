import type { MaxDelete } from '../../plan/model.js';

/** `remote:path`, rclone's spelling of a path on a configured remote (rclone docs, "Usage"). */
export function remoteSpec(remote: string, path: string): string {
  return `${remote}:${path}`;
}

/**
 * The job's `exclude` patterns as rclone filter flags, one `--exclude PATTERN` pair each
 * (rclone docs, "Filtering": rsync-like glob patterns), so a pattern is never word-split.
 */
export function rcloneFilterArgs(exclude: readonly string[]): string[] {
  return exclude.flatMap((pattern) => ['--exclude', pattern]);
}

/**
 * maxDelete for the `rclone-max-delete` partial. bash has integer arithmetic only, so a
 * percentage travels in hundredths of a percent (10.5% -> 1050); `label` is for messages.
 */
export function rcloneMaxDeleteData(max: MaxDelete): { kind: string; value: string; label: string } {
  if (max.kind === 'count') return { kind: 'count', value: String(Math.floor(max.value)), label: String(max.value) };
  return { kind: 'percent', value: String(Math.round(max.value * 100)), label: `${max.value}%` };
}
