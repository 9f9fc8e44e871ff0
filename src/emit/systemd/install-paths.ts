/**
 * Where `install.sh` puts a `kind: systemd` host's files: fixed paths, so the units can name
 * their scripts. One machine is one host, so the prefix carries no host name.
 * - /usr/local/lib/backupgen/{lib,scripts,tools,mounts}/: the scripts as generated (a job
 *   script sources ../lib/runtime.sh from its real location, conventions.md "Names");
 * - /usr/local/bin/<tool>: a symlink to the host tool (a user's tools, tools/<user>/, get none);
 * - /etc/systemd/system/: the system units (the administrator's unit directory,
 *   systemd.unit(5) "Unit File Load Path"); /etc/systemd/user/: the users' units;
 * - /usr/local/lib/backupgen/installed-files: what was installed, for uninstall.sh and the
 *   next install (which removes what it no longer installs).
 */
import type { HostPlan } from '../../plan/model.js';

export const INSTALL_PREFIX = '/usr/local/lib/backupgen';
export const BIN_DIR = '/usr/local/bin';
export const SYSTEM_UNIT_DIR = '/etc/systemd/system';
export const USER_UNIT_DIR = '/etc/systemd/user';
export const INSTALLED_LIST = `${INSTALL_PREFIX}/installed-files`;

/** The output folder of a host's plain units, relative to the output root. */
export const systemdDir = (host: HostPlan): string => `hosts/${host.name}/systemd`;

/** `hosts/<host>/scripts/home.sh` -> `/usr/local/lib/backupgen/scripts/home.sh`. */
export function installedPath(host: HostPlan, outputPath: string): string {
  const hostDir = `hosts/${host.name}/`;
  if (!outputPath.startsWith(hostDir)) throw new Error(`installedPath: ${outputPath} is not a file of host ${host.name}`);
  return `${INSTALL_PREFIX}/${outputPath.slice(hostDir.length)}`;
}
