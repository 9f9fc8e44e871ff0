/**
 * A user's job as `systemd --user` units: the home-manager module prints them
 * (src/emit/home-manager/job-units.ts), `kind: systemd` hosts write them as files.
 *
 * No network ordering: network-online.target is a unit of the system manager only
 * (systemd.special(7)); the user manager has no such target and cannot order against a
 * system unit. A job that needs the network simply fails when it is down (the script's
 * last line says why), and `Persistent=true` timers catch up on the next start. No
 * sandbox either: a user manager cannot set up most of it without user namespaces.
 */
import type { JobPlan, UserPlan } from '../../plan/model.js';
import { escapeSystemdSpecifiers } from '../../print/systemd/escape.js';
import { followersOf } from './job-service.js';
import { optional, secretPaths, type Directive, type ServiceUnit, type TimerUnit } from './unit.js';

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
 * `after`: units the job needs started first (home-manager's sops-nix.service /
 * agenix.service); Wants, not Requires: restarting them must not stop a running backup.
 * `only`: [Unit] settings every unit of the job starts with (a plain host's ConditionUser=).
 */
export interface UserJobInputs {
  readonly after?: readonly string[];
  readonly only?: readonly Directive[];
}

export function userJobService(user: UserPlan, job: JobPlan, inputs: UserJobInputs = {}): ServiceUnit {
  const after = inputs.after ?? [];
  // runAfter: the dependent job starts when this one succeeded (systemd.unit(5) OnSuccess=,
  // systemd >= 249), the same chaining as system jobs; the dependent job has no timer.
  const followers = followersOf(user.jobs, job).map((other) => `${other.unitName}.service`);
  return {
    unit: [
      ['Description', escapeSystemdSpecifiers(describe(job))],
      ...(inputs.only ?? []),
      ...optional(after.length > 0, 'Wants', after),
      ...optional(after.length > 0, 'After', after),
      ...optional(job.onlyOnAC, 'ConditionACPower', true),
      ...optional(followers.length > 0, 'OnSuccess', followers),
    ],
    secrets: job.secrets,
    user: user.name,
    service: [
      ['Type', 'oneshot'],
      ['ExecStart', { kind: 'script' }],
      ...secretPaths(job.secrets),
      // conventions.md: user jobs keep state in ~/.local/state/backupgen, where backup-status
      // reads it. Not StateDirectory=: in a user unit that is $XDG_CONFIG_HOME (~/.config)
      // before systemd 254 (Debian 12 has 252; seen under a real systemd, test/systemd-live),
      // so the script picks the folder itself (${XDG_STATE_HOME:-~/.local/state}/backupgen,
      // common.sh bg__setup_dirs). Scratch files go to a private runtime directory.
      ['RuntimeDirectory', job.unitName],
      ['RuntimeDirectoryMode', '0700'],
    ],
    install: [],
  };
}

export function userJobTimer(job: JobPlan, inputs: UserJobInputs = {}): TimerUnit {
  return {
    unit: [['Description', escapeSystemdSpecifiers(`backupgen ${job.name}: schedule (${job.schedule.source})`)], ...(inputs.only ?? [])],
    timer: [
      ['OnCalendar', [...job.schedule.onCalendar]],
      ['Persistent', job.persistent],
      ...optional(job.randomDelay !== undefined, 'RandomizedDelaySec', job.randomDelay ?? ''),
    ],
    // enable: false keeps the timer file but leaves it out of timers.target (config.md).
    install: optional(job.enable, 'WantedBy', ['timers.target']),
  };
}
