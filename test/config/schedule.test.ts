import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronToOnCalendar } from '../../src/config/cron.js';
import { parseSchedule } from '../../src/config/schedule.js';
import { systemdAcceptsCalendar, systemdNormalizeCalendars } from './systemd-analyze.js';

function onCalendar(text: string): readonly string[] {
  const result = parseSchedule(text);
  if (!result.ok) throw new Error(result.error);
  return result.schedule.onCalendar;
}

// [written, our OnCalendar lines, systemd's normalized forms of them]
const TRANSLATIONS: readonly [string, string[], string[]][] = [
  ['daily', ['daily'], ['*-*-* 00:00:00']],
  ['hourly', ['hourly'], ['*-*-* *:00:00']],
  ['weekly', ['weekly'], ['Mon *-*-* 00:00:00']],
  ['monthly', ['monthly'], ['*-*-01 00:00:00']],
  ['02:00', ['*-*-* 02:00:00'], ['*-*-* 02:00:00']],
  ['7:30', ['*-*-* 07:30:00'], ['*-*-* 07:30:00']],
  ['Mon,Wed,Fri 03:00', ['Mon,Wed,Fri 03:00'], ['Mon,Wed,Fri *-*-* 03:00:00']],
  ['*-*-* 04:00:00 UTC', ['*-*-* 04:00:00 UTC'], ['*-*-* 04:00:00 UTC']],
  ['0 2 * * *', ['*-*-* 02:00:00'], ['*-*-* 02:00:00']],
  ['0 3 * * 1-5', ['Mon..Fri *-*-* 03:00:00'], ['Mon..Fri *-*-* 03:00:00']],
  ['*/15 * * * *', ['*-*-* *:00/15:00'], ['*-*-* *:00/15:00']],
  ['5,35 */6 * * *', ['*-*-* 00/6:05/30:00'], ['*-*-* 00/6:05/30:00']],
  ['0 4 * jan-mar sat,sun', ['Sat,Sun *-01..03-* 04:00:00'], ['Sat,Sun *-01..03-* 04:00:00']],
  ['30 1 * * 5-7', ['Fri..Sun *-*-* 01:30:00'], ['Fri..Sun *-*-* 01:30:00']],
  ['0 0 1 * *', ['*-*-01 00:00:00'], ['*-*-01 00:00:00']],
  ['0 0 */2 * *', ['*-*-01/2 00:00:00'], ['*-*-01/2 00:00:00']],
  ['0 12 1-7 * *', ['*-*-01..07 12:00:00'], ['*-*-01..07 12:00:00']],
  // Both day fields restricted: crontab(5) fires on either, so two lines.
  ['0 2 1,15 * mon', ['Mon *-*-* 02:00:00', '*-*-01,15 02:00:00'], ['Mon *-*-* 02:00:00', '*-*-01,15 02:00:00']],
  // Starts with `*`: vixie cron treats day-of-month as unrestricted, so the fields AND.
  ['0 2 */2 * mon', ['Mon *-*-01/2 02:00:00'], ['Mon *-*-01/2 02:00:00']],
  ['0 0 * * 0', ['Sun *-*-* 00:00:00'], ['Sun *-*-* 00:00:00']],
  ['@weekly', ['Sun *-*-* 00:00:00'], ['Sun *-*-* 00:00:00']],
  ['0 22 * * 1-5/2', ['Mon,Wed,Fri *-*-* 22:00:00'], ['Mon,Wed,Fri *-*-* 22:00:00']],
  ['Mon..Fri 22:15', ['Mon..Fri 22:15'], ['Mon..Fri *-*-* 22:15:00']],
  ['Fri..Sun *-*-* 01:30:00', ['Fri..Sun *-*-* 01:30:00'], ['Fri..Sun *-*-* 01:30:00']],
  ['Sun 23:59', ['Sun 23:59'], ['Sun *-*-* 23:59:00']],
  ['sat,Sunday 6:00', ['sat,Sunday 6:00'], ['Sat,Sun *-*-* 06:00:00']],
  ['*-*-* 05:07', ['*-*-* 05:07'], ['*-*-* 05:07:00']],
  ['*-*-01 02:00', ['*-*-01 02:00'], ['*-*-01 02:00:00']],
  ['Mon *-*-* 03:00:30', ['Mon *-*-* 03:00:30'], ['Mon *-*-* 03:00:30']],
];

// The cron line a Kubernetes CronJob gets: the user's own, a shorthand's, or none.
const CRON_FORMS: Readonly<Record<string, string | undefined>> = {
  daily: '0 0 * * *',
  hourly: '0 * * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
  '02:00': '0 2 * * *',
  '7:30': '30 7 * * *',
  'Mon,Wed,Fri 03:00': '0 3 * * 1,3,5',
  '*-*-* 04:00:00 UTC': undefined,
  'Mon..Fri 22:15': '15 22 * * 1-5',
  'Fri..Sun *-*-* 01:30:00': '30 1 * * 5-6,0',
  'Sun 23:59': '59 23 * * 0',
  'sat,Sunday 6:00': '0 6 * * 6,0',
  '*-*-* 05:07': '7 5 * * *',
  '*-*-01 02:00': undefined,
  'Mon *-*-* 03:00:30': undefined,
  // Kubernetes reads day of week 0-6 only.
  '30 1 * * 5-7': undefined,
  '@weekly': '0 0 * * 0',
};

describe('cron forms for Kubernetes', () => {
  it.each(TRANSLATIONS)('%s fires when its OnCalendar does', async (written, _expected, normalized) => {
    const result = parseSchedule(written);
    if (!result.ok) throw new Error(result.error);
    const cron = result.schedule.cron;
    expect(cron).toBe(Object.hasOwn(CRON_FORMS, written) ? CRON_FORMS[written] : written);
    if (cron === undefined) return;
    // The cron line, read back as crontab(5) reads it, is the same calendar to systemd.
    const back = cronToOnCalendar(cron);
    if (!back.ok) throw new Error(back.error);
    expect(await systemdNormalizeCalendars(back.onCalendar)).toEqual(normalized);
  });
});

describe('parseSchedule', () => {
  it.each(TRANSLATIONS)('%s', async (written, expected, normalized) => {
    expect(onCalendar(written)).toEqual(expected);
    expect(await systemdNormalizeCalendars(expected)).toEqual(normalized);
  });

  it.each([
    ['bogus', 'a systemd calendar or a 5-field cron line'],
    ['61 * * * *', 'minute "61" is outside 0-59'],
    ['0 25 * * *', 'hour "25" is outside 0-23'],
    ['0 0 * * 8', 'day of week "8" is outside 0-7'],
    ['0 0 5-1 * *', 'runs backwards'],
    ['0 0 * foo *', 'cannot read month "foo"'],
    ['24:00', 'expected a time of day HH:MM'],
    ['Mon 25:00', 'a systemd calendar'],
    ['', 'a systemd calendar'],
  ])('rejects %j', (written, message) => {
    const result = parseSchedule(written);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('accepts only calendar expressions systemd accepts', async () => {
    const candidates = ['Mon..Fri 03:00', 'Sat *-*-1..7 18:00', '*-02~01 00:00', '2026-01-01', 'Mon 25:00', 'Foo 03:00', '*-13-01', '12:00:30.5', 'quarterly'];
    for (const candidate of candidates) {
      expect(parseSchedule(candidate).ok, candidate).toBe(await systemdAcceptsCalendar(candidate));
    }
  });

  it('turns generated cron lines into expressions systemd accepts', async () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
        fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(',')),
      );
    const line = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7)).map((fs) => fs.join(' '));
    const lines = fc.sample(line, { numRuns: 200, seed: 42 });
    const translated = lines.flatMap((l) => onCalendar(l));
    const normalized = await systemdNormalizeCalendars(translated);
    expect(normalized).toHaveLength(translated.length);
  });
});
