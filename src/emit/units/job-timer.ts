/**
 * A job's timer, written out rather than through NixOS's `startAt` so that Persistent= and
 * RandomizedDelaySec= sit next to OnCalendar= (systemd.timer(5)) and a disabled job keeps
 * its timer, only not wanted by timers.target.
 */
import type { JobPlan } from '../../plan/model.js';
import { systemdUnitValue } from '../../print/systemd/escape.js';
import { optional, type TimerUnit } from './unit.js';

export function jobTimer(job: JobPlan): TimerUnit {
  return {
    unit: [['Description', systemdUnitValue(`backupgen ${job.name} (${job.schedule.source})`)]],
    timer: [
      // One OnCalendar= line per expression (a cron line may need several).
      ['OnCalendar', [...job.schedule.onCalendar]],
      ['Persistent', job.persistent],
      ...optional(job.randomDelay !== undefined, 'RandomizedDelaySec', job.randomDelay ?? ''),
    ],
    // enable: false keeps the timer but leaves it out of timers.target (config.md).
    install: optional(job.enable, 'WantedBy', ['timers.target']),
  };
}

/** Jobs with `runAfter` are started by their predecessor's OnSuccess=, not by a timer. */
export function hasTimer(job: JobPlan): boolean {
  return job.runAfter === undefined;
}
