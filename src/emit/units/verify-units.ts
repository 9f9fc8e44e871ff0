/**
 * A job's verify units (`verifySchedule`): `backupgen-<job>-verify.{service,timer}` running
 * `backup-verify --job <job>`. The service is the job's own service (units/job-service.ts or
 * units/user-job.ts) with another command: the same user, secrets, state directory and
 * sandbox, so the check reads what the job wrote with the job's rights and nothing more.
 * It keeps no OnSuccess= (the job's followers start after the job, not after a check) and
 * no ConditionACPower= (a check only reads), and scratch files go to its own
 * RuntimeDirectory, so a check never shares one with a running job.
 */
import type { JobPlan, Schedule } from '../../plan/model.js';
import { escapeSystemdExecArg } from '../../print/systemd/escape.js';
import { optional, type Directive, type ServiceUnit, type TimerUnit } from './unit.js';

/** `backupgen-<job>-verify`. */
export const verifyUnitName = (job: JobPlan): string => `${job.unitName}-verify`;

/** [Unit] settings of the job's service that the check does not take over. */
const JOB_ONLY = new Set(['Description', 'OnSuccess', 'ConditionACPower']);

/** `description`: the unit's Description=, escaped by the caller as the job's own is. */
export function verifyService(job: JobPlan, jobService: ServiceUnit, description: string): ServiceUnit {
  const command: Directive = ['ExecStart', { kind: 'host-tool', tool: 'backup-verify', args: `--job ${escapeSystemdExecArg(job.name)}` }];
  return {
    ...jobService,
    unit: [['Description', description], ...jobService.unit.filter(([key]) => !JOB_ONLY.has(key))],
    service: jobService.service.map(([key, value]): Directive => {
      if (key === 'ExecStart') return command;
      if (key === 'RuntimeDirectory') return [key, verifyUnitName(job)];
      return [key, value];
    }),
  };
}

/**
 * The verifySchedule's timer: wanted by timers.target when the job is enabled, catching up a
 * missed check (Persistent=) with the job's random delay. `only`: [Unit] settings every unit
 * of the job starts with (a plain host's ConditionUser=).
 */
export function verifyTimer(job: JobPlan, schedule: Schedule, description: string, only: readonly Directive[] = []): TimerUnit {
  return {
    unit: [['Description', description], ...only],
    timer: [
      ['OnCalendar', [...schedule.onCalendar]],
      ['Persistent', true],
      ...optional(job.randomDelay !== undefined, 'RandomizedDelaySec', job.randomDelay ?? ''),
    ],
    install: optional(job.enable, 'WantedBy', ['timers.target']),
  };
}
