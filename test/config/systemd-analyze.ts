/** Runs the real `systemd-analyze` so translations are checked by their consumer. */
import { execa } from 'execa';

/** Normalized forms of calendar expressions; throws when systemd rejects any of them. */
export async function systemdNormalizeCalendars(expressions: readonly string[]): Promise<string[]> {
  const { stdout } = await execa('systemd-analyze', ['calendar', ...expressions], { env: { TZ: 'UTC' } });
  return [...stdout.matchAll(/Normalized form: (.*)/g)].map((m) => m[1]!);
}

export async function systemdAcceptsCalendar(expression: string): Promise<boolean> {
  const { exitCode } = await execa('systemd-analyze', ['calendar', expression], { reject: false });
  return exitCode === 0;
}

/** The "Human:" line systemd prints for each span. */
export async function systemdHumanTimespans(spans: readonly string[]): Promise<string[]> {
  const { stdout } = await execa('systemd-analyze', ['timespan', ...spans]);
  return [...stdout.matchAll(/Human: (.*)/g)].map((m) => m[1]!);
}

export async function systemdAcceptsTimespan(span: string): Promise<boolean> {
  const { exitCode } = await execa('systemd-analyze', ['timespan', span], { reject: false });
  return exitCode === 0;
}
