/**
 * The cron form of the simple systemd calendars people write by hand: optional weekdays,
 * an optional every-day date, a time of day with zero seconds (`Mon..Fri 03:00`,
 * `Sat,Sun *-*-* 04:30:00`). Anything else (dates, steps, seconds, time zones) has no cron
 * form here: undefined, and validation refuses it on kubernetes hosts.
 */

/** systemd weekday names, short or in full, any case (systemd.time(7)) -> Monday-first index. */
const WEEKDAYS: ReadonlyMap<string, number> = new Map(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].flatMap((day, i) => [[day, i], [day.slice(0, 3), i]] as const),
);
const SIMPLE = /^(?:([A-Za-z.,]+) )?(?:\*-\*-\* )?(\d{1,2}):(\d{2})(?::00)?$/;

export function calendarToCron(calendar: string): string | undefined {
  const match = SIMPLE.exec(calendar);
  if (match === null) return undefined;
  const [, days, hourText, minuteText] = match;
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (hour > 23 || minute > 59) return undefined;
  const dayOfWeek = days === undefined ? '*' : cronWeekdays(days);
  return dayOfWeek === undefined ? undefined : `${minute} ${hour} * * ${dayOfWeek}`;
}

/** `Mon..Fri,Sun` -> `1-5,0` (cron: Sunday 0); undefined for what systemd would not read. */
function cronWeekdays(text: string): string | undefined {
  const parts: string[] = [];
  for (const item of text.split(',')) {
    const [from, to, ...rest] = item.split('..');
    const a = weekday(from);
    const b = to === undefined ? a : weekday(to);
    if (a === undefined || b === undefined || rest.length > 0 || b < a) return undefined;
    // Monday-first index i is cron day (i + 1) % 7; a range ending on Sunday splits.
    if (b === 6 && a < 6) parts.push(a === 5 ? '6' : `${a + 1}-6`, '0');
    else parts.push(a === b ? String((a + 1) % 7) : `${a + 1}-${b + 1}`);
  }
  return parts.join(',');
}

const weekday = (name: string | undefined): number | undefined => (name === undefined ? undefined : WEEKDAYS.get(name.toLowerCase()));
