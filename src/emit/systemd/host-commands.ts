/**
 * The commands a `kind: systemd` host must have on PATH, from the same nixpkgs attribute
 * names that are the NixOS scripts' runtimeInputs: `install.sh` refuses to install when
 * one is missing, naming it and the Debian package that has it.
 */

/** nixpkgs attribute -> [command the scripts run, Debian package]; empty: optional. */
const COMMANDS: Readonly<Record<string, readonly (readonly [command: string, debianPackage: string])[]>> = {
  bzip2: [['bzip2', 'bzip2']],
  coreutils: [['date', 'coreutils'], ['mktemp', 'coreutils'], ['sha256sum', 'coreutils'], ['stat', 'coreutils'], ['timeout', 'coreutils']],
  curl: [['curl', 'curl']],
  // The host tools (backup-verify: cmp; backup-restore / backup-verify: unzip for zip
  // archives; backup-now / backup-status: systemctl, journalctl).
  diffutils: [['cmp', 'diffutils']],
  findutils: [['find', 'findutils'], ['xargs', 'findutils']],
  fuse3: [['fusermount3', 'fuse3']],
  gawk: [['gawk', 'gawk']],
  getent: [['getent', 'libc-bin']],
  gnugrep: [['grep', 'grep']],
  gnused: [['sed', 'sed']],
  gnutar: [['tar', 'tar']],
  gzip: [['gzip', 'gzip']],
  // Preferred when present; the archive script falls back to gzip / bzip2 (archive-script.ts).
  pbzip2: [],
  pigz: [],
  rclone: [['rclone', 'rclone']],
  rsync: [['rsync', 'rsync']],
  systemd: [['journalctl', 'systemd'], ['systemctl', 'systemd']],
  unzip: [['unzip', 'unzip']],
  'util-linux': [['flock', 'util-linux'], ['mountpoint', 'util-linux']],
  xz: [['xz', 'xz-utils']],
  zip: [['zip', 'zip']],
  zstd: [['zstd', 'zstd']],
};

export interface HostCommand {
  readonly command: string;
  readonly debianPackage: string;
}

/** The commands of these packages, sorted by command, unique. A package unknown here is a bug. */
export function hostCommands(packages: Iterable<string>): HostCommand[] {
  const byCommand = new Map<string, string>();
  for (const name of packages) {
    const commands = COMMANDS[name];
    if (commands === undefined) throw new Error(`host-commands: no commands known for nixpkgs package ${name}`);
    for (const [command, debianPackage] of commands) byCommand.set(command, debianPackage);
  }
  return [...byCommand.keys()].sort().map((command) => ({ command, debianPackage: byCommand.get(command)! }));
}
