import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimespan } from '../../src/config/timespan.js';
import { systemdAcceptsTimespan, systemdHumanTimespans } from './systemd-analyze.js';

const SPANS = ['1h', '30min', '1h 30m', '90s', '26h', '5', '0', '2M', '1y', '100ms', '1.5s', '1.5h', '2 weeks', '1d2h', '45 seconds', '3hr', '10us'];

describe('parseTimespan', () => {
  it('normalizes every span exactly as systemd-analyze does', async () => {
    const ours = SPANS.map((span) => {
      const parsed = parseTimespan(span);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.normalized;
    });
    expect(ours).toEqual(await systemdHumanTimespans(SPANS));
    expect(ours.slice(0, 5)).toEqual(['1h', '30min', '1h 30min', '1min 30s', '1d 2h']);
  });

  it.each(['', 'soon', '1 fortnight', '-5min', '1h and 2m', 'infinity'])('rejects %j like systemd', async (span) => {
    expect(parseTimespan(span).ok).toBe(false);
    if (span !== '' && span !== 'infinity') expect(await systemdAcceptsTimespan(span)).toBe(false);
  });

  it('agrees with systemd on generated spans', async () => {
    const unit = fc.constantFrom('s', 'sec', 'min', 'm', 'h', 'hours', 'd', 'w', 'ms', 'M', 'y');
    const term = fc.tuple(fc.integer({ min: 0, max: 500 }), unit).map(([n, u]) => `${n}${u}`);
    const spans = fc.sample(fc.array(term, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(' ')), { numRuns: 100, seed: 7 });
    const ours = spans.map((s) => {
      const parsed = parseTimespan(s);
      return parsed.ok ? parsed.normalized : `error: ${s}`;
    });
    expect(ours).toEqual(await systemdHumanTimespans(spans));
  });
});
