/**
 * A system job's oneshot service, `systemd.services.backupgen-<job>`. Shaped like nixpkgs'
 * backup modules (restic.nix: one service per job named after it, RuntimeDirectory per job,
 * `restartIfChanged = false`) with the timer written out separately (job-timer.ts).
 */
import type { JobPlan } from '../../plan/model.js';
import { attrs, bind, bool, interp, list, str, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { unitSecretEnvironment } from './unit-secret-environment.js';
import { scriptExe } from '../nix-common/script-package.js';
import { escapeSystemdExecArg, systemdUnitValue } from '../../print/systemd/escape.js';
import { sandbox } from './job-sandbox.js';
import { SHARED_SECRETS_GROUP } from './system-secrets.js';

export interface JobServiceInputs {
  /** The job's script package (`scripts.<job>` from the module's `let`). */
  readonly script: NixExpr;
  /** Jobs that `runAfter` this one and are enabled: started by OnSuccess=. */
  readonly followers: readonly JobPlan[];
  /** Whether the job reads a secret that jobs of several users share (system-secrets.ts). */
  readonly needsSharedSecretsGroup: boolean;
  /** `monitoring.prometheus.textfileDir`: the job writes its metrics file there. */
  readonly metricsDir?: string | undefined;
}

export function jobService(job: JobPlan, inputs: JobServiceInputs): NixExpr {
  const network = job.needsNetwork ? [str('network-online.target')] : [];
  const entries: AttrEntry[] = [
    bind('description', str(systemdUnitValue(`backupgen ${job.engine} job ${job.name}`))),
    // wants + after: systemd.special(7) "network-online.target" — ordering alone does not
    // pull the target in; nixpkgs warns about `after` without `wants`.
    ...(network.length > 0 ? [bind('wants', list(network)), bind('after', list(network))] : []),
    // OnSuccess= (systemd.unit(5), systemd >= 249): a follower starts only when this run
    // succeeded, never after a failed one (config.md `runAfter`).
    ...(inputs.followers.length > 0
      ? [bind('onSuccess', list(inputs.followers.map((f) => str(`${f.unitName}.service`))))]
      : []),
    // A rebuild must not restart a backup that is running (nixpkgs restic.nix does the same).
    bind('restartIfChanged', bool(false)),
    ...(job.secrets.length > 0 ? [bind('environment', attrs(unitSecretEnvironment(job.secrets, job.runAs.user)))] : []),
    ...(job.onlyOnAC ? [bind(['unitConfig', 'ConditionACPower'], bool(true))] : []),
    bind('serviceConfig', attrs(serviceConfig(job, inputs, scriptExe(inputs.script), job.unitName))),
  ];
  return attrs(entries);
}

/**
 * `systemd.services.<unit>-verify` (verifySchedule): `backup-verify --job <job>` as a oneshot
 * with the job's own user, secrets, state directory and sandbox, so the check reads what the
 * job wrote with the job's rights and nothing more.
 */
export function verifyService(job: JobPlan, inputs: Omit<JobServiceInputs, 'script' | 'followers'> & { readonly verifyTool: NixExpr }): NixExpr {
  const network = job.needsNetwork ? [str('network-online.target')] : [];
  const execStart = interp(scriptExe(inputs.verifyTool), ` --job ${escapeSystemdExecArg(job.name)}`);
  return attrs([
    bind('description', str(systemdUnitValue(`backupgen verify ${job.name}`))),
    ...(network.length > 0 ? [bind('wants', list(network)), bind('after', list(network))] : []),
    bind('restartIfChanged', bool(false)),
    ...(job.secrets.length > 0 ? [bind('environment', attrs(unitSecretEnvironment(job.secrets, job.runAs.user)))] : []),
    bind('serviceConfig', attrs(serviceConfig(job, { ...inputs, script: inputs.verifyTool, followers: [] }, execStart, `${job.unitName}-verify`))),
  ]);
}

function serviceConfig(job: JobPlan, inputs: JobServiceInputs, execStart: NixExpr, runtimeDirectory: string): AttrEntry[] {
  const asRoot = job.runAs.user === 'root';
  return [
    bind('Type', str('oneshot')),
    bind('ExecStart', execStart),
    ...(asRoot ? [] : [bind('User', str(job.runAs.user))]),
    ...(inputs.needsSharedSecretsGroup ? [bind('SupplementaryGroups', list([str(SHARED_SECRETS_GROUP)]))] : []),
    // conventions.md "Directories": status and locks under $STATE_DIRECTORY. systemd chowns a
    // StateDirectory to the unit's User= (recursively when the owner differs,
    // systemd.exec(5)), so a job of another user gets its own `backupgen/<user>` below the
    // shared root-owned directory instead of fighting root's jobs over `backupgen`.
    bind('StateDirectory', str(asRoot ? 'backupgen' : `backupgen/${job.runAs.user}`)),
    bind('RuntimeDirectory', str(runtimeDirectory)),
    bind('RuntimeDirectoryMode', str('0700')),
    ...sandbox(job, inputs.metricsDir),
  ];
}

