/**
 * Schedules as users write them -> systemd OnCalendar expressions.
 *
 * - `hourly`, `daily`, `weekly`, `monthly` are kept as systemd's own shorthand names
 *   (systemd.time(7) defines them; units read better with the name than its expansion).
 * - `HH:MM` -> `*-*-* HH:MM:00`.
 * - A 5-field cron line (or `@daily`-style names) -> one or more OnCalendar lines (cron.ts).
 * - Anything else must be a systemd calendar expression (calendar.ts); kept as written.
 *
 * Each also gets its cron form for Kubernetes CronJobs (`cron`): the user's cron line as
 * written, the line a shorthand or `HH:MM` stands for, that of a simple systemd calendar
 * (calendar-cron.ts), or none.
 */
import { isCalendarExpression } from './calendar.js';
import { calendarToCron } from './calendar-cron.js';
import { cronToOnCalendar, looksLikeCron, pad } from './cron.js';

/** Same shape as the plan's Schedule; declared here because config/ must not import plan/. */
export interface ParsedSchedule {
  readonly source: string;
  readonly onCalendar: readonly string[];
  /**
   * The same times as a 5-field cron line, for Kubernetes CronJobs; undefined when a
   * systemd calendar has no cron equivalent (rules/kubernetes.ts refuses those there).
   */
  readonly cron: string | undefined;
}

export type ScheduleResult = { ok: true; schedule: ParsedSchedule } | { ok: false; error: string };

/**
 * systemd's shorthands (systemd.time(7)) and the cron lines that fire at the same times:
 * `weekly` is Monday 00:00 in systemd (not cron's Sunday), `monthly` the 1st at 00:00.
 */
const SHORTHAND_CRON: Readonly<Record<string, string>> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
};

const CRON_NICKNAMES: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/**
 * A cron line as the user wrote it (whitespace normalized) is what a CronJob gets, unless
 * Kubernetes would read it differently: its parser (robfig/cron, ParseStandard) takes day
 * of week 0-6 only, so a line naming day 7 (crontab(5)'s second Sunday) has no CronJob form.
 */
function kubernetesCron(line: string): string | undefined {
  const dayOfWeek = line.split(' ')[4] ?? '';
  return /(^|[^0-9])7([^0-9]|$)/.test(dayOfWeek) ? undefined : line;
}

export function parseSchedule(text: string): ScheduleResult {
  const source = text.trim().replace(/\s+/g, ' ');
  const ok = (onCalendar: string[], cron: string | undefined): ScheduleResult => ({ ok: true, schedule: { source, onCalendar, cron } });
  // hasOwn: a schedule such as `constructor` must not find Object.prototype's members.
  if (Object.hasOwn(SHORTHAND_CRON, source)) return ok([source], SHORTHAND_CRON[source]);

  const clock = /^(\d{1,2}):(\d{2})$/.exec(source);
  if (clock) {
    const hour = Number(clock[1]);
    const minute = Number(clock[2]);
    if (hour > 23 || minute > 59) return { ok: false, error: `expected a time of day HH:MM, got ${JSON.stringify(text)}` };
    return ok([`*-*-* ${pad(hour)}:${pad(minute)}:00`], `${minute} ${hour} * * *`);
  }

  const cronLine = Object.hasOwn(CRON_NICKNAMES, source) ? CRON_NICKNAMES[source] : looksLikeCron(source) ? source : undefined;
  if (cronLine !== undefined) {
    const cron = cronToOnCalendar(cronLine);
    if (!cron.ok) return { ok: false, error: `${cron.error} in cron schedule ${JSON.stringify(text)}` };
    return ok(cron.onCalendar, kubernetesCron(cronLine));
  }

  if (isCalendarExpression(source)) return ok([source], calendarToCron(source));
  return {
    ok: false,
    error: `expected hourly, daily, weekly, monthly, "HH:MM", a systemd calendar or a 5-field cron line, got ${JSON.stringify(text)}`,
  };
}
