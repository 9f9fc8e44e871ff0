/**
 * A user job as `systemd.user.services.<unit>` + `systemd.user.timers.<unit>` in
 * home-manager's unit format (modules/systemd.nix: free-form `Unit`/`Service`/`Timer`/
 * `Install` sections, lists written as repeated keys).
 */
import type { JobPlan, Schedule, UserPlan } from '../../plan/model.js';
import { attrs, bind, bool, interp, list, str, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { scriptExe, scriptPackage } from '../nix-common/script-package.js';
import { providerUnits, secretEnvironmentLine } from './home-secrets.js';
import { escapeSystemdExecArg, escapeSystemdSpecifiers } from '../../print/systemd/escape.js';

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

/** One value as a single key, several as repeated keys (home-manager's listsAsDuplicateKeys). */
const oneOrList = (items: readonly string[]): NixExpr => (items.length === 1 ? str(items[0]!) : strList(items));

function describe(job: JobPlan): string {
  switch (job.engine) {
    case 'snapshot':
      return `backupgen ${job.name}: snapshot`;
    case 'rclone':
      return `backupgen ${job.name}: rclone ${job.mode}`;
    case 'archive':
      return `backupgen ${job.name}: archive`;
  }
}

/**
 * `systemd.user.services.<unit> = { Unit = ...; Service = ...; };`
 *
 * No network ordering: network-online.target is a unit of the system manager only
 * (systemd.special(7)); the user manager has no such target and cannot order against a
 * system unit. A job that needs the network simply fails when it is down (the script's
 * last line says why), and `Persistent=true` timers catch up on the next start.
 *
 * No dependency on programs.rclone's rclone-config.service either: rclone jobs assemble
 * their own config in the state directory (templates/scripts/partials/rclone-config.sh.hbs),
 * so the token rclone refreshes during a job survives (see token-relay.ts for mounts).
 */
export function jobService(user: UserPlan, job: JobPlan, script: JobScriptRef): AttrEntry {
  const providers = providerUnits(job.secrets);
  const followers = user.jobs.filter((other) => other.runAfter?.job === job.name).map((other) => `${other.unitName}.service`);
  const unit: AttrEntry[] = [bind('Description', str(escapeSystemdSpecifiers(describe(job))))];
  if (providers.length > 0) {
    // Wants, not Requires: restarting sops-nix/agenix on activation must not stop a running backup.
    unit.push(bind('Wants', strList(providers)), bind('After', strList(providers)));
  }
  if (job.onlyOnAC) unit.push(bind('ConditionACPower', bool(true)));
  // runAfter: the dependent job starts when this one succeeded (systemd.unit(5) OnSuccess=,
  // systemd >= 249), the same chaining as the NixOS module; the dependent job has no timer.
  if (followers.length > 0) unit.push(bind('OnSuccess', strList(followers)));

  const service: AttrEntry[] = [
    bind('Type', str('oneshot')),
    bind('ExecStart', scriptExe(scriptPackage(job, script.textFilesFromModule, script.runtimeInputs))),
  ];
  if (job.secrets.length > 0) service.push(bind('Environment', list(job.secrets.map(secretEnvironmentLine))));
  // conventions.md: user jobs keep state in %S/backupgen (~/.local/state/backupgen) and
  // scratch files in a private runtime directory; systemd exports both paths to the script.
  service.push(
    bind('StateDirectory', str('backupgen')),
    bind('RuntimeDirectory', str(job.unitName)),
    bind('RuntimeDirectoryMode', str('0700')),
  );
  return bind(['systemd', 'user', 'services', job.unitName], attrs([bind('Unit', attrs(unit)), bind('Service', attrs(service))]));
}

/** `systemd.user.timers.<unit>`, or nothing for a job started by another one (runAfter). */
export function jobTimer(job: JobPlan): AttrEntry | undefined {
  if (job.runAfter !== undefined) return undefined;
  const timer: AttrEntry[] = [
    bind('OnCalendar', oneOrList(job.schedule.onCalendar)),
    bind('Persistent', bool(job.persistent)),
  ];
  if (job.randomDelay !== undefined) timer.push(bind('RandomizedDelaySec', str(job.randomDelay)));
  const entries: AttrEntry[] = [
    bind('Unit', attrs([bind('Description', str(escapeSystemdSpecifiers(`backupgen ${job.name}: schedule (${job.schedule.source})`)))])),
    bind('Timer', attrs(timer)),
  ];
  // enable: false keeps the timer file but leaves it out of timers.target (config.md).
  if (job.enable) entries.push(bind('Install', attrs([bind('WantedBy', strList(['timers.target']))])));
  return bind(['systemd', 'user', 'timers', job.unitName], attrs(entries));
}

/**
 * `systemd.user.services.<unit>-verify` (verifySchedule): `backup-verify --job <job>` from the
 * user's own tools, with the job's secrets and state directory.
 */
export function verifyService(job: JobPlan, verifyTool: NixExpr): AttrEntry {
  const providers = providerUnits(job.secrets);
  const unit: AttrEntry[] = [bind('Description', str(escapeSystemdSpecifiers(`backupgen verify ${job.name}`)))];
  if (providers.length > 0) unit.push(bind('Wants', strList(providers)), bind('After', strList(providers)));
  const service: AttrEntry[] = [
    bind('Type', str('oneshot')),
    bind('ExecStart', interp(scriptExe(verifyTool), ` --job ${escapeSystemdExecArg(job.name)}`)),
  ];
  if (job.secrets.length > 0) service.push(bind('Environment', list(job.secrets.map(secretEnvironmentLine))));
  service.push(
    bind('StateDirectory', str('backupgen')),
    bind('RuntimeDirectory', str(`${job.unitName}-verify`)),
    bind('RuntimeDirectoryMode', str('0700')),
  );
  return bind(['systemd', 'user', 'services', `${job.unitName}-verify`], attrs([bind('Unit', attrs(unit)), bind('Service', attrs(service))]));
}

/** `systemd.user.timers.<unit>-verify`: the job's verifySchedule. */
export function verifyTimer(job: JobPlan, schedule: Schedule): AttrEntry {
  const timer: AttrEntry[] = [bind('OnCalendar', oneOrList(schedule.onCalendar)), bind('Persistent', bool(true))];
  if (job.randomDelay !== undefined) timer.push(bind('RandomizedDelaySec', str(job.randomDelay)));
  const entries: AttrEntry[] = [
    bind('Unit', attrs([bind('Description', str(escapeSystemdSpecifiers(`backupgen verify ${job.name}: schedule (${schedule.source})`)))])),
    bind('Timer', attrs(timer)),
  ];
  if (job.enable) entries.push(bind('Install', attrs([bind('WantedBy', strList(['timers.target']))])));
  return bind(['systemd', 'user', 'timers', `${job.unitName}-verify`], attrs(entries));
}
