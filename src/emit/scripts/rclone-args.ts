/** `remote:path`, rclone's spelling of a path on a configured remote (rclone docs, "Usage"). */
export function remoteSpec(remote: string, path: string): string {
  return `${remote}:${path}`;
}

/**
 * What the job's source and target consist of, for every rclone call that reads or compares
 * them (size check, maxDelete dry run, transfer, verify): they must all see the same objects.
 * - `--links`: a symlink is kept as a link, stored on a non-local remote as a small
 *   `<name>.rclonelink` object holding its target and made a symlink again when it comes
 *   back to a local path (rclone docs, "Symlinks"). Without it rclone skips symlinks with a
 *   NOTICE and the backup silently lacks them; a backup keeps what the tree holds, as
 *   `rsync -a` does for snapshots. Only the local backend reads the flag.
 * - the `exclude` patterns, one `--exclude PATTERN` pair each (rclone docs, "Filtering":
 *   rsync-like glob patterns), so a pattern is never word-split.
 */
export function rcloneSelectionArgs(exclude: readonly string[]): string[] {
  return ['--links', ...exclude.flatMap((pattern) => ['--exclude', pattern])];
}

