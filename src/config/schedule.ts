/**
 * Schedules as users write them -> systemd OnCalendar expressions.
 *
 * - `hourly`, `daily`, `weekly`, `monthly` are kept as systemd's own shorthand names
 *   (systemd.time(7) defines them; units read better with the name than its expansion).
 * - `HH:MM` -> `*-*-* HH:MM:00`.
 * - A 5-field cron line (or `@daily`-style names) -> one or more OnCalendar lines (cron.ts).
 * - Anything else must be a systemd calendar expression (calendar.ts); kept as written.
 */
import { isCalendarExpression } from './calendar.js';
import { cronToOnCalendar, looksLikeCron, pad } from './cron.js';

/** Same shape as the plan's Schedule; declared here because config/ must not import plan/. */
export interface ParsedSchedule {
  readonly source: string;
  readonly onCalendar: readonly string[];
}

export type ScheduleResult = { ok: true; schedule: ParsedSchedule } | { ok: false; error: string };

const SHORTHANDS = new Set(['hourly', 'daily', 'weekly', 'monthly']);

const CRON_NICKNAMES: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

export function parseSchedule(text: string): ScheduleResult {
  const source = text.trim().replace(/\s+/g, ' ');
  const ok = (onCalendar: string[]): ScheduleResult => ({ ok: true, schedule: { source, onCalendar } });
  if (SHORTHANDS.has(source)) return ok([source]);

  const clock = /^(\d{1,2}):(\d{2})$/.exec(source);
  if (clock) {
    const hour = Number(clock[1]);
    const minute = Number(clock[2]);
    if (hour > 23 || minute > 59) return { ok: false, error: `expected a time of day HH:MM, got ${JSON.stringify(text)}` };
    return ok([`*-*-* ${pad(hour)}:${pad(minute)}:00`]);
  }

  const cronLine = CRON_NICKNAMES[source] ?? (looksLikeCron(source) ? source : undefined);
  if (cronLine !== undefined) {
    const cron = cronToOnCalendar(cronLine);
    return cron.ok ? ok(cron.onCalendar) : { ok: false, error: `${cron.error} in cron schedule ${JSON.stringify(text)}` };
  }

  if (isCalendarExpression(source)) return ok([source]);
  return {
    ok: false,
    error: `expected hourly, daily, weekly, monthly, "HH:MM", a systemd calendar or a 5-field cron line, got ${JSON.stringify(text)}`,
  };
}
