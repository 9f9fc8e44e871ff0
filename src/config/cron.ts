/**
 * 5-field cron (crontab(5)) -> systemd OnCalendar.
 *
 * Each field is expanded to the set of values it matches, then printed compactly in
 * systemd's syntax (`*`, `a..b`, `start/step`, lists). crontab(5): when both day-of-month
 * and day-of-week are restricted (neither starts with `*`), a day matching EITHER fires;
 * OnCalendar ANDs its fields, so that case becomes two OnCalendar lines.
 */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SYSTEMD_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is Sunday too (crontab(5)).
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

const CRON_FIELD = /^[0-9A-Za-z*/,-]+$/;

/** Five whitespace-separated fields made of cron characters (no `:` or `..`, unlike systemd). */
export function looksLikeCron(text: string): boolean {
  const fields = text.split(' ');
  return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}

export type CronResult = { ok: true; onCalendar: string[] } | { ok: false; error: string };

export function cronToOnCalendar(line: string): CronResult {
  const texts = line.trim().split(/\s+/);
  if (texts.length !== 5) return { ok: false, error: `expected 5 fields, got ${texts.length}` };
  const sets: number[][] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const expanded = expandField(texts[index]!, spec);
    if (typeof expanded === 'string') return { ok: false, error: expanded };
    sets.push(expanded);
  }
  const [minutes, hours, days, months, weekdaysRaw] = sets as [number[], number[], number[], number[], number[]];
  const weekdays = [...new Set(weekdaysRaw.map((d) => d % 7))];

  const time = `${renderNumbers(hours, 0, 23)}:${renderNumbers(minutes, 0, 59)}:00`;
  const month = renderNumbers(months, 1, 12);
  const dayOfMonth = renderNumbers(days, 1, 31);
  const dayOfWeek = renderWeekdays(weekdays);
  const withWeekdays = (date: string): string => (dayOfWeek === '' ? `${date} ${time}` : `${dayOfWeek} ${date} ${time}`);

  const domRestricted = !texts[2]!.startsWith('*');
  const dowRestricted = !texts[4]!.startsWith('*');
  if (domRestricted && dowRestricted) {
    return { ok: true, onCalendar: [withWeekdays(`*-${month}-*`), `*-${month}-${dayOfMonth} ${time}`] };
  }
  return { ok: true, onCalendar: [withWeekdays(`*-${month}-${dayOfMonth}`)] };
}

/** The sorted values a field matches, or an error message. */
function expandField(text: string, spec: FieldSpec): number[] | string {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|[0-9a-z]+)(?:-([0-9a-z]+))?(?:\/(\d+))?$/i.exec(item);
    if (!match) return `cannot read ${spec.name} "${item}"`;
    const [, startText, endText, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return `${spec.name} step must be at least 1`;
    const start = startText === '*' ? spec.min : fieldValue(startText!, spec);
    const end = startText === '*' ? spec.max : endText !== undefined ? fieldValue(endText, spec) : stepText !== undefined ? spec.max : start;
    if (startText === '*' && endText !== undefined) return `cannot read ${spec.name} "${item}"`;
    for (const value of [start, end]) {
      if (value === undefined) return `cannot read ${spec.name} "${item}"`;
      if (value < spec.min || value > spec.max) {
        return `${spec.name} "${item}" is outside ${spec.min}-${spec.max}`;
      }
    }
    if (start! > end!) return `${spec.name} range "${item}" runs backwards`;
    for (let value = start!; value <= end!; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function fieldValue(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index < 0) return undefined;
  return spec.min === 1 ? index + 1 : index;
}

/** `*`, `start/step` when the values step evenly to the end of the range, else runs and values. */
function renderNumbers(values: readonly number[], min: number, max: number): string {
  if (values.length === max - min + 1) return '*';
  const [first, second] = values;
  if (values.length >= 2 && first !== undefined && second !== undefined) {
    const step = second - first;
    const even = values.every((v, i) => v === first + i * step);
    if (step > 1 && even && values[values.length - 1]! + step > max) return `${pad(first)}/${step}`;
  }
  return runs(values).map(([a, b]) => (b - a >= 2 ? `${pad(a)}..${pad(b)}` : a === b ? pad(a) : `${pad(a)},${pad(b)}`)).join(',');
}

/** Weekdays Monday first (systemd's order), so `Fri..Sun` stays one range. */
function renderWeekdays(days: readonly number[]): string {
  if (days.length === 7) return '';
  const mondayFirst = days.map((d) => (d + 6) % 7).sort((a, b) => a - b);
  const name = (i: number): string => SYSTEMD_DAYS[(i + 1) % 7]!;
  return runs(mondayFirst).map(([a, b]) => (b - a >= 2 ? `${name(a)}..${name(b)}` : a === b ? name(a) : `${name(a)},${name(b)}`)).join(',');
}

function runs(sorted: readonly number[]): [number, number][] {
  const result: [number, number][] = [];
  for (const value of sorted) {
    const last = result[result.length - 1];
    if (last && last[1] === value - 1) last[1] = value;
    else result.push([value, value]);
  }
  return result;
}

/** Two-digit component, as systemd prints it. */
export function pad(value: number): string {
  return String(value).padStart(2, '0');
}
