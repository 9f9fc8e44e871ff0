/**
 * A user job's units (src/emit/units/user-job.ts) as `systemd.user.services.<unit>` +
 * `systemd.user.timers.<unit>` in home-manager's unit format (modules/systemd.nix: free-form
 * `Unit`/`Service`/`Timer`/`Install` sections, lists written as repeated keys).
 */
import type { JobPlan, Schedule, SecretRef, UserPlan } from '../../plan/model.js';
import { attrs, bind, bool, int, list, str, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { scriptExe, scriptPackage } from '../nix-common/script-package.js';
import { hasTimer } from '../units/job-timer.js';
import type { Directive, DirectiveValue } from '../units/unit.js';
import { userJobService, userJobTimer } from '../units/user-job.js';
import { providerUnits, secretEnvironmentLine } from './home-secrets.js';
import { escapeSystemdSpecifiers } from '../../print/systemd/escape.js';
import { toolExec } from '../nix-common/tool-package.js';
import { verifyService as verifyServiceUnit, verifyTimer as verifyTimerUnit, verifyUnitName } from '../units/verify-units.js';

/** What the module needs to know about a job's script (its path and jobRuntimeInputs). */
export interface JobScriptRef {
  /**
   * The files of the script's text relative to the module, runtime library first
   * (`../lib/runtime.sh`, `../scripts/<user>/<job>.sh`; script-package.ts jobTextFiles).
   */
  readonly textFilesFromModule: readonly string[];
  readonly runtimeInputs: readonly string[];
}

const strList = (items: readonly string[]): NixExpr => list(items.map(str));

/**
 * A directive's value in home-manager's free-form sections. OnCalendar= with one
 * expression is a single key (home-manager's listsAsDuplicateKeys writes a list as repeated
 * keys, a string as one), as it always was here; every other list stays a list.
 */
function hmValue(key: string, value: DirectiveValue, exec: () => NixExpr): NixExpr {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return int(value);
  if (typeof value === 'boolean') return bool(value);
  if (Array.isArray(value)) {
    const items = value as readonly string[];
    return key === 'OnCalendar' && items.length === 1 ? str(items[0]!) : strList(items);
  }
  const command = value as Exclude<DirectiveValue, string | number | boolean | readonly string[]>;
  if (command.kind === 'script') return exec();
  if (command.kind === 'host-tool') return toolExec(command.tool, command.args);
  throw new Error(`home-manager job units: ${key} cannot be ${command.kind}`);
}

function section(directives: readonly Directive[], secrets: readonly SecretRef[], exec: () => NixExpr): NixExpr {
  return attrs(
    directives.map(([key, value]) =>
      typeof value === 'object' && !Array.isArray(value) && (value as { kind: string }).kind === 'secret-paths'
        ? bind(key, list(secrets.map(secretEnvironmentLine)))
        : bind(key, hmValue(key, value, exec)),
    ),
  );
}

function noExec(): NixExpr {
  throw new Error('home-manager job units: only [Service] runs the script');
}

/**
 * `systemd.user.services.<unit> = { Unit = ...; Service = ...; };` (units/user-job.ts),
 * ordered after the sops-nix / agenix user services its secrets come from.
 *
 * No dependency on programs.rclone's rclone-config.service: rclone jobs assemble their own
 * config in the state directory (templates/scripts/partials/rclone-config.sh.hbs), so the
 * token rclone refreshes during a job survives (see token-relay.ts for mounts).
 */
export function jobService(user: UserPlan, job: JobPlan, script: JobScriptRef): AttrEntry {
  const unit = userJobService(user, job, { after: providerUnits(job.secrets) });
  const exec = (): NixExpr => scriptExe(scriptPackage(job, script.textFilesFromModule, script.runtimeInputs));
  const sections = [bind('Unit', section(unit.unit, [], noExec)), bind('Service', section(unit.service, unit.secrets, exec))];
  return bind(['systemd', 'user', 'services', job.unitName], attrs(sections));
}

/** `systemd.user.timers.<unit>`, or nothing for a job started by another one (runAfter). */
export function jobTimer(job: JobPlan): AttrEntry | undefined {
  if (!hasTimer(job)) return undefined;
  const timer = userJobTimer(job);
  const entries: AttrEntry[] = [bind('Unit', section(timer.unit, [], noExec)), bind('Timer', section(timer.timer, [], noExec))];
  if (timer.install.length > 0) entries.push(bind('Install', section(timer.install, [], noExec)));
  return bind(['systemd', 'user', 'timers', job.unitName], attrs(entries));
}

/**
 * `systemd.user.services.<unit>-verify` (verifySchedule, units/verify-units.ts):
 * `backup-verify --job <job>` from the user's own tools (the module's `tools`), with the
 * job's secrets and state directory.
 */
export function verifyService(user: UserPlan, job: JobPlan): AttrEntry {
  const jobUnit = userJobService(user, job, { after: providerUnits(job.secrets) });
  const unit = verifyServiceUnit(job, jobUnit, escapeSystemdSpecifiers(`backupgen verify ${job.name}`));
  const sections = [bind('Unit', section(unit.unit, [], noExec)), bind('Service', section(unit.service, unit.secrets, noExec))];
  return bind(['systemd', 'user', 'services', verifyUnitName(job)], attrs(sections));
}

/** `systemd.user.timers.<unit>-verify`: the job's verifySchedule. */
export function verifyTimer(job: JobPlan, schedule: Schedule): AttrEntry {
  const timer = verifyTimerUnit(job, schedule, escapeSystemdSpecifiers(`backupgen verify ${job.name}: schedule (${schedule.source})`));
  const entries: AttrEntry[] = [bind('Unit', section(timer.unit, [], noExec)), bind('Timer', section(timer.timer, [], noExec))];
  if (timer.install.length > 0) entries.push(bind('Install', section(timer.install, [], noExec)));
  return bind(['systemd', 'user', 'timers', verifyUnitName(job)], attrs(entries));
}
