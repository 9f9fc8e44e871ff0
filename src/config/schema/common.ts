/**
 * Building blocks shared by every section of the config schema.
 *
 * Every object is strict (`z.strictObject`): an unknown key is almost always a typo, and
 * silently ignoring it would mean a backup that quietly does less than the user wrote.
 */
import * as z from 'zod';
import { parseSchedule } from '../schedule.js';
import { parseTimespan } from '../timespan.js';
import { describeValue } from '../zod-issues.js';

/** A union's own message, naming what was found (zod's union message cannot). */
export function expectedForms(forms: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? `required, but missing (${forms})` : `expected ${forms}, got ${describeValue(issue.input)}`);
}

/** A name that is used as a Nix attribute, an env var suffix and a file name. */
export const secretName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'expected a secret name (letters, digits, `_`, `.`, `-`)')
  .describe('Name of a secret, resolved through the `secrets` section.');

export const secretRef = z
  .strictObject({ secret: secretName })
  .describe('A value read at run time from the named secret.');

/** A value given literally, or `{ secret: NAME }` to keep it out of generated files. */
export const secretOrValue = z
  .union([z.string().min(1), secretRef], { error: expectedForms('a string or `{ secret: NAME }`') })
  .describe('A literal value, or `{ secret: NAME }` to read it from a secret at run time.');

export const wholeNumber = z.int().min(0);

/** systemd time span (`1h`, `30min`, `1h 30m`); checked here so its error sits with the others. */
export const timespan = z.string().superRefine((value, ctx) => {
  const parsed = parseTimespan(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
});

export const schedule = z.string().superRefine((value, ctx) => {
  const parsed = parseSchedule(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
});

/** Paths are validated for absoluteness by rules/paths.ts, which knows the job's scope. */
export const pathString = z.string().min(1, 'expected a non-empty path');
