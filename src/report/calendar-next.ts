/**
 * When a systemd OnCalendar expression elapses next (systemd.time(7), "CALENDAR EVENTS"),
 * without systemd: `backupgen plan` runs where the config lives (a laptop, macOS, CI), not on
 * the host. It covers what the planner can emit and config/calendar.ts accepts: the named
 * shorthands, `[weekdays] [[year-]month-day] [hour:minute[:second]] [timezone]` with `*`,
 * lists, `a..b` ranges, `/step` repetitions and `~` (days counted from the end of the
 * month); whole seconds only. Every shape is checked against `systemd-analyze calendar
 * --iterations` (test/report/calendar-next.test.ts).
 */

const NAMED: Readonly<Record<string, string>> = {
  minutely: '*-*-* *:*:00',
  hourly: '*-*-* *:00:00',
  daily: '*-*-* 00:00:00',
  monthly: '*-*-01 00:00:00',
  weekly: 'Mon *-*-* 00:00:00',
  yearly: '*-01-01 00:00:00',
  annually: '*-01-01 00:00:00',
  quarterly: '*-01,04,07,10-01 00:00:00',
  semiannually: '*-01,07-01 00:00:00',
};

const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A set of allowed values per field; undefined = any. */
interface CalendarSpec {
  readonly weekdays: ReadonlySet<number> | undefined; // 0 = Sunday
  readonly years: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number> | undefined;
  /** Days of the month, or with `fromEnd` days counted back from its last (1 = last). */
  readonly days: ReadonlySet<number> | undefined;
  readonly fromEnd: boolean;
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
  readonly seconds: readonly number[];
  readonly timezone: string | undefined;
}

/** Parses an expression; undefined when it is outside the supported forms. */
export function parseCalendar(expression: string): CalendarSpec | undefined {
  const tokens = (NAMED[expression.trim()] ?? expression.trim()).split(/\s+/);
  let timezone: string | undefined;
  const last = tokens[tokens.length - 1]!;
  if (tokens.length > 1 && /^(?:UTC|[A-Z][A-Za-z_]+(?:\/[A-Za-z_+-]+)+)$/.test(last)) timezone = tokens.pop();
  let weekdays: Set<number> | undefined;
  let date = '*-*-*';
  let time = '00:00:00';
  let index = 0;
  if (tokens[index] !== undefined && /^[a-z.,]+$/i.test(tokens[index]!)) {
    weekdays = parseWeekdays(tokens[index]!);
    if (weekdays === undefined) return undefined;
    index++;
  }
  if (tokens[index]?.includes('-') || tokens[index]?.includes('~')) date = tokens[index++]!;
  if (tokens[index]?.includes(':')) time = tokens[index++]!;
  if (index !== tokens.length || index === 0) return undefined;

  const fromEnd = date.includes('~');
  const dateParts = date.split(/[-~]/);
  if (dateParts.length < 2 || dateParts.length > 3) return undefined;
  const [yearText, monthText, dayText] = dateParts.length === 3 ? dateParts : ['*', ...dateParts];
  const years = parseField(yearText!, 1970, 2199);
  const months = parseField(monthText!, 1, 12);
  const days = parseField(dayText!, 1, 31);
  const [hourText, minuteText, secondText = '00'] = time.split(':');
  const hours = parseField(hourText!, 0, 23);
  const minutes = parseField(minuteText!, 0, 59);
  const seconds = parseField(secondText, 0, 59);
  if ([years, months, days, hours, minutes, seconds].includes(null)) return undefined;
  return {
    weekdays,
    years: years ?? undefined,
    months: months ?? undefined,
    days: days ?? undefined,
    fromEnd,
    hours: all(hours ?? undefined, 0, 23),
    minutes: all(minutes ?? undefined, 0, 59),
    seconds: all(seconds ?? undefined, 0, 59),
    timezone,
  };
}

function all(set: ReadonlySet<number> | undefined, min: number, max: number): number[] {
  const values = set === undefined ? Array.from({ length: max - min + 1 }, (_, i) => min + i) : [...set];
  return values.sort((a, b) => a - b);
}

/** `*` -> undefined (any), a set of values, or null when unreadable. */
function parseField(text: string, min: number, max: number): Set<number> | undefined | null {
  if (text === '*') return undefined;
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|\d+)(?:\.\.(\d+))?(?:\/(\d+))?$/.exec(item);
    if (!match) return null;
    const [, startText, endText, stepText] = match;
    const start = startText === '*' ? min : Number(startText);
    const step = stepText === undefined ? 1 : Number(stepText);
    // `a/s` repeats to the field's end; `a..b/s` within the range (systemd.time(7)).
    const end = endText !== undefined ? Number(endText) : startText === '*' || stepText !== undefined ? max : start;
    if (step < 1 || start < min || end > max || start > end) return null;
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

function parseWeekdays(text: string): Set<number> | undefined {
  const days = new Set<number>();
  const day = (name: string): number => WEEKDAY_NAMES.indexOf(name.slice(0, 3).toLowerCase());
  for (const item of text.split(',')) {
    const [from, to] = item.split('..');
    const a = day(from!);
    const b = to === undefined ? a : day(to);
    if (a < 0 || b < 0) return undefined;
    // Monday-first ranges may wrap past Sunday (`Fri..Mon` is not valid in systemd; `Sat..Sun` is).
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return days;
}

/**
 * Wall-clock fields of an instant in a zone, and the instant of wall-clock fields: undefined
 * for a time that does not exist there (skipped by a daylight-saving change), which systemd
 * skips too.
 */
interface Zone {
  fields(epochMs: number): { year: number; month: number; day: number };
  instant(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined;
}

const LOCAL: Zone = {
  fields: (t) => {
    const d = new Date(t);
    return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
  },
  instant: (y, mo, d, h, mi, s) => {
    const date = new Date(y, mo - 1, d, h, mi, s);
    return date.getHours() === h && date.getMinutes() === mi ? date.getTime() : undefined;
  },
};

function zoneOf(name: string | undefined): Zone {
  if (name === undefined) return LOCAL;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts = (t: number) => {
    const p = Object.fromEntries(format.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return { year: p['year']!, month: p['month']!, day: p['day']!, hour: p['hour']!, minute: p['minute']!, second: p['second']! };
  };
  const offset = (t: number): number => {
    const p = parts(t);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
  };
  return {
    fields: parts,
    instant: (y, mo, d, h, mi, s) => {
      // The zone's offsets half a day either side; a wall time in the hour repeated when
      // clocks go back matches both, and systemd takes the first.
      const guess = Date.UTC(y, mo - 1, d, h, mi, s);
      const matches = [offset(guess - 43_200_000), offset(guess + 43_200_000)]
        .map((o) => guess - o)
        .filter((t) => {
          const p = parts(t);
          return p.day === d && p.hour === h && p.minute === mi;
        });
      return matches.length === 0 ? undefined : Math.min(...matches);
    },
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(spec: CalendarSpec, year: number, month: number, day: number): boolean {
  if (spec.years && !spec.years.has(year)) return false;
  if (spec.months && !spec.months.has(month)) return false;
  if (spec.days) {
    const number = spec.fromEnd ? daysInMonth(year, month) - day + 1 : day;
    if (!spec.days.has(number)) return false;
  }
  return !spec.weekdays || spec.weekdays.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
}

/** The first elapse strictly after `afterMs`, or undefined within ~8 years (e.g. Feb 30). */
export function nextElapse(spec: CalendarSpec, afterMs: number): number | undefined {
  const zone = zoneOf(spec.timezone);
  const start = zone.fields(afterMs);
  const cursor = new Date(Date.UTC(start.year, start.month - 1, start.day));
  for (let i = 0; i < 366 * 8; i++, cursor.setUTCDate(cursor.getUTCDate() + 1)) {
    const [y, mo, d] = [cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, cursor.getUTCDate()];
    if (!dayMatches(spec, y, mo, d)) continue;
    for (const h of spec.hours) {
      // Skip whole hours already past (a minute-by-minute walk of today would be slow).
      const endOfHour = zone.instant(y, mo, d, h, 59, 59);
      if (endOfHour !== undefined && endOfHour <= afterMs) continue;
      for (const mi of spec.minutes) {
        for (const s of spec.seconds) {
          const t = zone.instant(y, mo, d, h, mi, s);
          if (t !== undefined && t > afterMs) return t;
        }
      }
    }
  }
  return undefined;
}

/**
 * The next `count` elapses of a timer with these OnCalendar lines (a timer elapses at the
 * earliest of them), after `nowMs`. undefined when an expression is not understood.
 */
export function nextRuns(onCalendar: readonly string[], nowMs: number, count: number): number[] | undefined {
  const specs = onCalendar.map(parseCalendar);
  if (specs.some((s) => s === undefined)) return undefined;
  const runs: number[] = [];
  let after = nowMs;
  while (runs.length < count) {
    const candidates = specs.map((s) => nextElapse(s!, after)).filter((t): t is number => t !== undefined);
    if (candidates.length === 0) break;
    after = Math.min(...candidates);
    runs.push(after);
  }
  return runs;
}
