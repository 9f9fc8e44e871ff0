/**
 * A system job's oneshot service. Shaped like nixpkgs' backup modules (restic.nix: one
 * service per job named after it, RuntimeDirectory per job) with the timer written out
 * separately (job-timer.ts).
 */
import type { HostPlan, JobPlan } from '../../plan/model.js';
import { escapeSystemdExecArg, systemdUnitValue } from '../../print/systemd/escape.js';
import { destinationsToCreate, sandbox } from './job-sandbox.js';
import { optional, secretPaths, type ServiceUnit } from './unit.js';

export interface JobServiceInputs {
  /** Jobs that `runAfter` this one and are enabled: started by OnSuccess=. */
  readonly followers: readonly JobPlan[];
  /**
   * A group to add (SupplementaryGroups=): NixOS's group of secrets that jobs of several
   * users share (src/emit/nixos/system-secrets.ts).
   */
  readonly secretsGroup?: string | undefined;
  /** `monitoring.prometheus.textfileDir`: the job writes its metrics file there. */
  readonly metricsDir?: string | undefined;
}

/** Enabled jobs of the same scope that start when `job` succeeded. */
export function followersOf(jobs: readonly JobPlan[], job: JobPlan): JobPlan[] {
  return jobs.filter((other) => other.enable && other.runAfter?.job === job.name);
}

export function systemJobFollowers(host: HostPlan, job: JobPlan): JobPlan[] {
  return followersOf(host.jobs, job);
}

/** systemd.special(7) "network-online.target": the one a job that uses the network waits for. */
export const NETWORK_ONLINE = 'network-online.target';

export function jobService(job: JobPlan, inputs: JobServiceInputs): ServiceUnit {
  const asRoot = job.runAs.user === 'root';
  const create = destinationsToCreate(job).filter((path) => path.startsWith('/'));
  return {
    unit: [
      ['Description', systemdUnitValue(`backupgen ${job.engine} job ${job.name}`)],
      // Wants + After: ordering alone does not pull the target in (systemd.special(7)).
      ...optional(job.needsNetwork, 'Wants', [NETWORK_ONLINE]),
      ...optional(job.needsNetwork, 'After', [NETWORK_ONLINE]),
      // OnSuccess= (systemd.unit(5), systemd >= 249): a follower starts only when this run
      // succeeded, never after a failed one (config.md `runAfter`).
      ...optional(inputs.followers.length > 0, 'OnSuccess', inputs.followers.map((f) => `${f.unitName}.service`)),
      ...optional(job.onlyOnAC, 'ConditionACPower', true),
    ],
    secrets: job.secrets,
    user: job.runAs.user,
    service: [
      ['Type', 'oneshot'],
      // A missing destination would be read-only in the sandbox (destinationsToCreate).
      ...optional(create.length > 0, 'ExecStartPre', {
        kind: 'tool',
        package: 'coreutils',
        executable: 'bin/mkdir',
        args: `-p -- ${create.map(escapeSystemdExecArg).join(' ')}`,
        privileged: true,
      }),
      ['ExecStart', { kind: 'script' }],
      ...secretPaths(job.secrets),
      ...optional(!asRoot, 'User', job.runAs.user),
      ...optional(inputs.secretsGroup !== undefined, 'SupplementaryGroups', [inputs.secretsGroup ?? '']),
      // conventions.md "Directories": status and locks under $STATE_DIRECTORY. systemd chowns a
      // StateDirectory to the unit's User= (recursively when the owner differs,
      // systemd.exec(5)), so a job of another user gets its own `backupgen/<user>` below the
      // shared root-owned directory instead of fighting root's jobs over `backupgen`.
      ['StateDirectory', asRoot ? 'backupgen' : `backupgen/${job.runAs.user}`],
      ['RuntimeDirectory', job.unitName],
      ['RuntimeDirectoryMode', '0700'],
      ...sandbox(job, inputs.metricsDir),
    ],
    install: [],
  };
}
