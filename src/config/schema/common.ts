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

/** Names for the control characters users are likely to meet, for messages. */
const CONTROL_NAMES: Readonly<Record<string, string>> = { '\n': 'a line break', '\r': 'a carriage return', '\t': 'a tab', '\0': 'a NUL byte', '\x1b': 'an escape character', '\x7f': 'a DEL character' };

/**
 * Every string of the config ends up in a script, a unit line, a Nix string, an rclone config
 * line or a file name, and none of those can carry every control character: a line break
 * ends an rclone option or a unit setting, a NUL cannot be in a Nix string or a shell word.
 * So the schema, which knows every field, refuses C0 control characters and DEL in all of
 * them, with the position; `allowed` names the few a field may hold (a hook's line breaks).
 */
function refuseControlCharacters(allowed: string, expected: string): (value: string, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      const code = c.charCodeAt(0);
      if ((code < 0x20 || code === 0x7f) && !allowed.includes(c)) {
        const hex = code.toString(16).toUpperCase().padStart(4, '0');
        const name = CONTROL_NAMES[c] ?? 'a control character';
        ctx.addIssue({ code: 'custom', message: `contains ${name} (U+${hex}) at character ${i + 1}; expected ${expected}`, input: value });
        return;
      }
    }
  };
}

/** Any string of the config but a hook: one line, no control characters. */
export const text = (): z.ZodString => z.string().superRefine(refuseControlCharacters('', 'one line of text without control characters'));

/** A `before`/`after` hook: shell, so line breaks and tabs, but no other control character. */
export const shellText = (): z.ZodString =>
  z.string().superRefine(refuseControlCharacters('\n\t', 'shell commands (line breaks and tabs, no other control characters)'));

/** A name that is used as a Nix attribute, an env var suffix and a file name. */
export const secretName = text()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'expected a secret name (letters, digits, `_`, `.`, `-`)')
  .describe('Name of a secret, resolved through the `secrets` section.');

export const secretRef = z
  .strictObject({ secret: secretName })
  .describe('A value read at run time from the named secret.');

/** A value given literally, or `{ secret: NAME }` to keep it out of generated files. */
export const secretOrValue = z
  .union([text().min(1), secretRef], { error: expectedForms('a string or `{ secret: NAME }`') })
  .describe('A literal value, or `{ secret: NAME }` to read it from a secret at run time.');

export const wholeNumber = z.int().min(0);

/** systemd time span (`1h`, `30min`, `1h 30m`); checked here so its error sits with the others. */
export const timespan = text().superRefine((value, ctx) => {
  const parsed = parseTimespan(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
});

export const schedule = text().superRefine((value, ctx) => {
  const parsed = parseSchedule(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
});

/** Paths are validated for absoluteness by rules/paths.ts, which knows the job's scope. */
export const pathString = text().min(1, 'expected a non-empty path');
