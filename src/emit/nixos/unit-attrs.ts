/**
 * Units (src/emit/units/) as NixOS `systemd.services.<name>` / `systemd.timers.<name>`
 * values: the [Unit] and [Install] settings nixpkgs has options for (`description`, `wants`,
 * `after`, `onSuccess`, `wantedBy`) through those options, any other [Unit] setting through
 * `unitConfig`, [Service] as `serviceConfig`, [Timer] as `timerConfig`, and the secrets'
 * paths as `environment`. nixpkgs writes them back as the same unit file lines
 * (nixos/lib/systemd-lib.nix).
 */
import { attrs, bind, bool, int, interp, list, sel, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { scriptExe } from '../nix-common/script-package.js';
import { toolExec } from '../nix-common/tool-package.js';
import type { Directive, DirectiveValue, ServiceUnit, TimerUnit } from '../units/unit.js';
import { unitSecretEnvironment } from './unit-secret-environment.js';

/** Unit file keys nixpkgs' `systemd.services.<name>` has an option for. */
const OPTION_OF: Readonly<Record<string, string>> = {
  Description: 'description',
  Wants: 'wants',
  After: 'after',
  OnSuccess: 'onSuccess',
  WantedBy: 'wantedBy',
};

/** `script`: the package whose executable a `{ kind: 'script' }` command runs. */
function nixValue(value: DirectiveValue, script: NixExpr | undefined): NixExpr {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return int(value);
  if (typeof value === 'boolean') return bool(value);
  if (Array.isArray(value)) return list((value as readonly string[]).map(str));
  const command = value as Exclude<DirectiveValue, string | number | boolean | readonly string[]>;
  if (command.kind === 'secret-paths') throw new Error('unit-attrs: secret paths are the `environment` option');
  if (command.kind === 'tool') {
    return interp(command.privileged === true ? '+' : '', sel(v('pkgs'), command.package), `/${command.executable} ${command.args}`);
  }
  if (command.kind === 'host-tool') return toolExec(command.tool, command.args);
  if (script === undefined) throw new Error('unit-attrs: a unit runs its script but has no script package');
  return scriptExe(script);
}

function optionEntries(directives: readonly Directive[]): AttrEntry[] {
  return directives.filter(([key]) => key in OPTION_OF).map(([key, value]) => bind(OPTION_OF[key]!, nixValue(value, undefined)));
}

function unitConfigEntries(directives: readonly Directive[]): AttrEntry[] {
  return directives.filter(([key]) => !(key in OPTION_OF)).map(([key, value]) => bind(['unitConfig', key], nixValue(value, undefined)));
}

/**
 * `extra`: NixOS-only settings placed before `environment` (a job's `restartIfChanged`).
 * `script`: the package of the unit's script (none for a unit that runs a host tool).
 */
export function serviceAttrs(unit: ServiceUnit, script: NixExpr | undefined, extra: readonly AttrEntry[] = []): NixExpr {
  return attrs([
    ...optionEntries(unit.unit),
    ...optionEntries(unit.install),
    ...extra,
    ...(unit.secrets.length > 0 ? [bind('environment', attrs(unitSecretEnvironment(unit.secrets, unit.user)))] : []),
    ...unitConfigEntries(unit.unit),
    bind(
      'serviceConfig',
      attrs(unit.service.filter(([key]) => key !== 'Environment').map(([key, value]) => bind(key, nixValue(value, script)))),
    ),
  ]);
}

export function timerAttrs(timer: TimerUnit): NixExpr {
  return attrs([
    ...optionEntries(timer.unit),
    ...optionEntries(timer.install),
    ...unitConfigEntries(timer.unit),
    bind('timerConfig', attrs(timer.timer.map(([key, value]) => bind(key, nixValue(value, undefined))))),
  ]);
}
