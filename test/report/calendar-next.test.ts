/**
 * Next elapses of every OnCalendar shape the planner emits or validation accepts, compared
 * with what the real `systemd-analyze calendar --iterations --base-time` prints, in UTC and
 * in a zone with daylight saving time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parseSchedule } from '../../src/config/schedule.js';
import { nextRuns, parseCalendar } from '../../src/report/calendar-next.js';

const ITERATIONS = 6;

const SCHEDULES = [
  'hourly', 'daily', 'weekly', 'monthly', 'minutely', 'yearly', 'quarterly', 'semiannually',
  '02:00', '23:59', '0:05',
  '0 2 * * *', '0 3 * * 1-5', '*/15 * * * *', '30 4 1,15 * *', '0 0 1 1 *', '0 22 * * 0', '0 9 * * 5-7',
  '0 3 13 * 5', '5,35 */6 * * *', '0 12 * 2 *', '@weekly', '@monthly',
  'Mon,Wed,Fri 03:00', 'Sat..Sun 10:30', '*-*-* *:0/20', '*-*~01 00:00:00', '*-*~3 12:00', '*-*-1/2 4:00',
  '*-02-29 06:00', '2027-*-* 01:00', '*-*-* 02:00 UTC', '*-*-* 02:30 Europe/Berlin', 'Thu *-*-1..7 18:00',
  '*-*-* 08..18/2:00:00', 'Mon *-*-* 00:00:30',
];

/** The OnCalendar lines the planner makes of each schedule. */
const CALENDARS = SCHEDULES.map((s) => {
  const parsed = parseSchedule(s);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.schedule.onCalendar;
});

async function systemdRuns(expression: string, base: number, tz: string): Promise<number[]> {
  const { stdout } = await execa('systemd-analyze', ['calendar', `--iterations=${ITERATIONS}`, `--base-time=@${base / 1000}`, expression], { env: { TZ: tz } });
  return [...stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) (\S+)/g)].map((m) => {
    const { stdout: epoch } = { stdout: m[1]! + ' ' + m[2]! };
    return Date.parse(toIso(epoch));
  });
}

/** `2025-01-16 03:00:00 UTC` or `... CET` -> parsed through date(1)'s rules would need a
 * process per line; systemd prints the zone abbreviation, so compare in UTC via --base-time
 * and TZ instead: the abbreviation is resolved with the known offset of the test zone. */
function toIso(text: string): string {
  const [date, time, zone] = text.split(' ');
  const offset = zone === 'UTC' ? 'Z' : zone === 'CET' ? '+01:00' : zone === 'CEST' ? '+02:00' : undefined;
  if (offset === undefined) throw new Error(`unexpected zone ${zone}`);
  return `${date}T${time}${offset}`;
}

/** Several OnCalendar lines: the timer elapses at the earliest; merge systemd's lists. */
async function expected(lines: readonly string[], base: number, tz: string): Promise<number[]> {
  const all = (await Promise.all(lines.map((l) => systemdRuns(l, base, tz)))).flat();
  return [...new Set(all)].sort((a, b) => a - b).slice(0, ITERATIONS);
}

const BASES = [Date.parse('2025-01-15T10:17:00Z'), Date.parse('2025-10-26T00:10:00Z'), Date.parse('2026-03-29T00:30:00Z'), Date.parse('2024-12-31T23:59:59Z')];
const savedTz = process.env['TZ'];
afterEach(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

describe('next runs agree with systemd-analyze calendar', () => {
  for (const tz of ['UTC', 'Europe/Berlin']) {
    it.each(CALENDARS.map((lines, i) => [SCHEDULES[i]!, lines] as const))(`${tz}: %s`, async (_schedule, lines) => {
      process.env['TZ'] = tz;
      for (const base of BASES) {
        const ours = nextRuns(lines, base, ITERATIONS);
        expect(ours, `not understood: ${lines.join(' | ')}`).toBeDefined();
        expect(ours!.map((t) => new Date(t).toISOString())).toEqual((await expected(lines, base, tz)).map((t) => new Date(t).toISOString()));
      }
    });
  }
});

describe('parseCalendar', () => {
  it('refuses what it cannot evaluate rather than guessing', () => {
    expect(parseCalendar('*-*-* 00:00:00.5')).toBeUndefined();
    expect(parseCalendar('Funday 02:00')).toBeUndefined();
    expect(nextRuns(['*-*-* 00:00:00.5'], 0, 3)).toBeUndefined();
  });
});
