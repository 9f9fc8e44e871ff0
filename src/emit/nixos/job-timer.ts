/**
 * A job's timer, written out rather than through `startAt` so that Persistent= and
 * RandomizedDelaySec= sit next to OnCalendar= (systemd.timer(5)) and a disabled job keeps
 * its timer, only not wanted by timers.target.
 */
import type { JobPlan, Schedule } from '../../plan/model.js';
import { attrs, bind, bool, list, str, type NixExpr } from '../../print/nix/ast.js';
import { systemdUnitValue } from '../../print/systemd/escape.js';

export function jobTimer(job: JobPlan): NixExpr {
  return attrs([
    bind('description', str(systemdUnitValue(`backupgen ${job.name} (${job.schedule.source})`))),
    ...(job.enable ? [bind('wantedBy', list([str('timers.target')]))] : []),
    bind(
      'timerConfig',
      attrs([
        // A list: one OnCalendar= line per expression (a cron line may need several).
        bind('OnCalendar', list(job.schedule.onCalendar.map(str))),
        bind('Persistent', bool(job.persistent)),
        ...(job.randomDelay === undefined ? [] : [bind('RandomizedDelaySec', str(job.randomDelay))]),
      ]),
    ),
  ]);
}

/** Jobs with `runAfter` are started by their predecessor's OnSuccess=, not by a timer. */
export function hasTimer(job: JobPlan): boolean {
  return job.runAfter === undefined;
}

/**
 * `systemd.timers.<unit>-verify`: the job's verifySchedule, wanted by timers.target when the
 * job is enabled, catching up a missed check (Persistent) with the job's random delay.
 */
export function verifyTimer(job: JobPlan, schedule: Schedule): NixExpr {
  return attrs([
    bind('description', str(systemdUnitValue(`backupgen verify ${job.name} (${schedule.source})`))),
    ...(job.enable ? [bind('wantedBy', list([str('timers.target')]))] : []),
    bind(
      'timerConfig',
      attrs([
        bind('OnCalendar', list(schedule.onCalendar.map(str))),
        bind('Persistent', bool(true)),
        ...(job.randomDelay === undefined ? [] : [bind('RandomizedDelaySec', str(job.randomDelay))]),
      ]),
    ),
  ]);
}
