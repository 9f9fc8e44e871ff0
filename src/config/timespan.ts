/**
 * systemd time spans (systemd.time(7)): `1h`, `30min`, `1h 30m`, `90s`, a bare number of
 * seconds. Parsed to microseconds and printed back the way systemd prints them
 * (`systemd-analyze timespan` "Human:" line), so units read the same as systemd's own output.
 */

export type TimespanResult = { ok: true; usec: bigint; normalized: string } | { ok: false; error: string };

const USEC = 1n;
const MSEC = 1000n;
const SEC = 1_000_000n;
const MINUTE = 60n * SEC;
const HOUR = 60n * MINUTE;
const DAY = 24n * HOUR;
const WEEK = 7n * DAY;
// systemd's month and year are averages: 30.44 days and 365.25 days (time-util.h).
const MONTH = 2_629_800n * SEC;
const YEAR = 31_557_600n * SEC;

/** Suffixes systemd's parse_time() accepts (time-util.c), case-sensitive: `m` is minutes, `M` months. */
const UNIT_BY_SUFFIX: ReadonlyMap<string, bigint> = new Map([
  ...['seconds', 'second', 'sec', 's', ''].map((s) => [s, SEC] as const),
  ...['minutes', 'minute', 'min', 'm'].map((s) => [s, MINUTE] as const),
  ...['months', 'month', 'M'].map((s) => [s, MONTH] as const),
  ...['msec', 'ms'].map((s) => [s, MSEC] as const),
  ...['hours', 'hour', 'hr', 'h'].map((s) => [s, HOUR] as const),
  ...['days', 'day', 'd'].map((s) => [s, DAY] as const),
  ...['weeks', 'week', 'w'].map((s) => [s, WEEK] as const),
  ...['years', 'year', 'y'].map((s) => [s, YEAR] as const),
  ...['usec', 'us', 'µs', 'μs'].map((s) => [s, USEC] as const),
]);

/** Units systemd's format_timespan() prints, largest first. */
const FORMAT_UNITS: readonly (readonly [suffix: string, usec: bigint])[] = [
  ['y', YEAR], ['month', MONTH], ['w', WEEK], ['d', DAY], ['h', HOUR], ['min', MINUTE], ['s', SEC], ['ms', MSEC], ['us', USEC],
];

const TERM = /^\s*(\d+)(?:\.(\d+))?\s*([A-Za-zµμ]*)/;

export function parseTimespan(text: string): TimespanResult {
  let rest = text.trim();
  if (rest === '') return { ok: false, error: 'expected a time span like "30min" or "1h 30m", got ""' };
  let total = 0n;
  while (rest.length > 0) {
    const match = TERM.exec(rest);
    const unit = match ? UNIT_BY_SUFFIX.get(match[3] ?? '') : undefined;
    if (!match || unit === undefined) {
      return { ok: false, error: `expected a time span like "30min" or "1h 30m", got ${JSON.stringify(text)}` };
    }
    const [whole, integer, fraction = ''] = match;
    total += BigInt(integer!) * unit;
    if (fraction !== '') total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    rest = rest.slice(whole.length).trimStart();
  }
  return { ok: true, usec: total, normalized: formatTimespan(total) };
}

/** Mirrors systemd's format_timespan(…, accuracy = 1us): "1d 2h", "1min 30s", "1.500000s". */
export function formatTimespan(usec: bigint): string {
  if (usec === 0n) return '0';
  const parts: string[] = [];
  let left = usec;
  for (const [suffix, size] of FORMAT_UNITS) {
    if (left <= 0n) break;
    if (left < size) continue;
    const count = left / size;
    const remainder = left % size;
    // Below a minute systemd prints one decimal number instead of "1s 500ms".
    if (left < MINUTE && remainder > 0n) {
      const digits = size.toString().length - 1;
      parts.push(`${count}.${remainder.toString().padStart(digits, '0')}${suffix}`);
      left = 0n;
      break;
    }
    parts.push(`${count}${suffix}`);
    left = remainder;
  }
  return parts.join(' ');
}
