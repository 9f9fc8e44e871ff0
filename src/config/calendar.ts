/**
 * A validator for systemd calendar expressions (systemd.time(7), "CALENDAR EVENTS"):
 * `[weekdays] [[year-]month-day] [hour:minute[:second]] [timezone]`, or a shorthand name.
 * It accepts a practical subset and is checked against `systemd-analyze calendar` in tests;
 * whatever it accepts, systemd must accept too.
 */

const NAMED = new Set([
  'minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'quarterly', 'semiannually',
]);

const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const WEEKDAYS = new RegExp(`^${DAY}(?:\\.\\.${DAY})?(?:,${DAY}(?:\\.\\.${DAY})?)*$`, 'i');

/** One component: `*`, or a list of values / ranges, each optionally with `/step`. */
function componentPattern(value: string): string {
  const item = `(?:\\*|${value}(?:\\.\\.${value})?)(?:/\\d+)?`;
  return `${item}(?:,${item})*`;
}
const INT = componentPattern('\\d+');
const SECONDS = componentPattern('\\d+(?:\\.\\d+)?');
const DATE = new RegExp(`^(?:${INT}-)?${INT}[-~]${INT}$`);
const TIME = new RegExp(`^${INT}:${INT}(?::${SECONDS})?$`);
const TIMEZONE = /^(?:UTC|[A-Z][A-Za-z_]+(?:\/[A-Za-z_+-]+)+)$/;

export function isCalendarExpression(text: string): boolean {
  if (NAMED.has(text)) return true;
  const tokens = text.split(' ');
  if (tokens.length > 0 && TIMEZONE.test(tokens[tokens.length - 1]!) && tokens.length > 1) tokens.pop();
  let index = 0;
  if (tokens[index] !== undefined && WEEKDAYS.test(tokens[index]!)) index++;
  if (tokens[index] !== undefined && DATE.test(tokens[index]!) && datesInRange(tokens[index]!)) index++;
  if (tokens[index] !== undefined && TIME.test(tokens[index]!) && timesInRange(tokens[index]!)) index++;
  return index > 0 && index === tokens.length;
}

function numbersIn(component: string | undefined): number[] {
  // Steps (`/15`) are repetition counts, not values; drop them before range checks.
  return (component ?? '').split(',').flatMap((item) => item.split('/')[0]!.split('..')).filter((v) => v !== '*').map(Number);
}

function allAtMost(component: string | undefined, max: number): boolean {
  return numbersIn(component).every((n) => n <= max);
}

function datesInRange(date: string): boolean {
  const parts = date.split(/[-~]/);
  const [month, day] = parts.slice(-2);
  return allAtMost(month, 12) && allAtMost(day, 31) && numbersIn(month).every((n) => n >= 1) && numbersIn(day).every((n) => n >= 1);
}

function timesInRange(time: string): boolean {
  const [hour, minute, second] = time.split(':');
  return allAtMost(hour, 23) && allAtMost(minute, 59) && allAtMost(second, 59);
}
