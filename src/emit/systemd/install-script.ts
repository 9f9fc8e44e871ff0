/**
 * `install.sh` and `uninstall.sh` of a `kind: systemd` host (templates/scripts/systemd/):
 * the list of what goes where comes from here, the steps are in the templates.
 */
import type { HostPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { renderTemplate } from '../scripts/handlebars.js';
import type { GeneratedFile } from '../types.js';
import type { HostCommand } from './host-commands.js';
import { BIN_DIR, INSTALL_PREFIX, INSTALLED_LIST, installedPath, SYSTEM_UNIT_DIR, systemdDir, USER_UNIT_DIR } from './install-paths.js';

/** One generated file install.sh copies (`from` relative to the output root). */
export type Installed =
  | { readonly from: string; readonly kind: 'script' | 'library' }
  /** `link`: the name of its symlink in /usr/local/bin; a user's tools have none. */
  | { readonly from: string; readonly kind: 'tool'; readonly link?: string }
  | { readonly from: string; readonly kind: 'system-unit' | 'user-unit'; readonly unit: string; readonly enable: boolean };

function destination(host: HostPlan, item: Installed): string {
  switch (item.kind) {
    case 'system-unit':
      return `${SYSTEM_UNIT_DIR}/${item.unit}`;
    case 'user-unit':
      return `${USER_UNIT_DIR}/${item.unit}`;
    default:
      return installedPath(host, item.from);
  }
}

/** Units and the runtime library are read, not run: 0644; scripts and tools 0755. */
function mode(item: Installed): string {
  return item.kind === 'script' || item.kind === 'tool' ? '0755' : '0644';
}

/**
 * The oldest systemd that reads every setting of the host's units (systemd.exec(5),
 * systemd.unit(5) "Added in version"): ProtectProc= 247; OnSuccess=, which starts a
 * `runAfter` job, 249. An older one ignores them with a warning only.
 */
function systemdMinimum(host: HostPlan): { systemdMinimum: string; systemdWhy: string } {
  const chained = [...host.jobs, ...host.users.flatMap((u) => u.jobs)].some((job) => job.runAfter !== undefined);
  return chained
    ? { systemdMinimum: '249', systemdWhy: 'OnSuccess= starts the jobs with runAfter' }
    : { systemdMinimum: '247', systemdWhy: 'ProtectProc= in the sandbox' };
}

export function renderInstallScripts(plan: Plan, host: HostPlan, installed: readonly Installed[], commands: readonly HostCommand[]): GeneratedFile[] {
  const hostDir = `hosts/${host.name}/`;
  const tools = installed.flatMap((item) => (item.kind === 'tool' && item.link !== undefined ? [{ link: item.link, item }] : []));
  const data = {
    header: generatedHeader('#', plan.sourceFile),
    host: host.name,
    prefix: INSTALL_PREFIX,
    binDir: BIN_DIR,
    systemUnitDir: SYSTEM_UNIT_DIR,
    userUnitDir: USER_UNIT_DIR,
    installedList: INSTALLED_LIST,
    files: {
      from: installed.map((item) => item.from.slice(hostDir.length)),
      to: installed.map((item) => destination(host, item)),
      modes: installed.map(mode),
    },
    links: { paths: tools.map((t) => `${BIN_DIR}/${t.link}`), targets: tools.map((t) => destination(host, t.item)) },
    enable: installed.filter((item) => 'enable' in item && item.enable).map((item) => destination(host, item)),
    commands: { names: commands.map((c) => c.command), packages: commands.map((c) => c.debianPackage) },
    hasUserUnits: installed.some((item) => item.kind === 'user-unit'),
    ...systemdMinimum(host),
  };
  const dir = systemdDir(host);
  return [
    { path: `${dir}/install.sh`, contents: renderTemplate('systemd/install', data), executable: true },
    { path: `${dir}/uninstall.sh`, contents: renderTemplate('systemd/uninstall', data), executable: true },
  ];
}
