/**
 * zod issues -> plain-words `PathIssue`s.
 *
 * zod's default messages ("Invalid input: expected number, received string") are written for
 * developers. `plainMessage` is passed to `safeParse` as the error map; `flattenZodIssues`
 * then splits unknown keys into one issue per key with a hint, and opens unions so the
 * user sees the problem inside the alternative they evidently meant.
 */
import type * as z from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { IssuePath, PathIssue } from './errors.js';

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue;

/** Stashed on unrecognized_keys issues by `plainMessage`: the object's known keys. */
const KNOWN_KEYS = 'knownKeys';

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function describeExpected(expected: string, format: unknown): string {
  if (format === 'safeint' || format === 'int32' || expected === 'int') return 'a whole number';
  const names: Record<string, string> = {
    string: 'a string', number: 'a number', boolean: 'true or false', object: 'a mapping',
    record: 'a mapping', array: 'a list', literal: 'a fixed value',
  };
  return names[expected] ?? expected;
}

function isMissing(iss: RawIssue): boolean {
  return !('input' in iss) || iss.input === undefined;
}

/** The parse-time error map: plain words for every issue zod raises on our schema. */
export function plainMessage(iss: RawIssue): string {
  const def = (iss.inst as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  switch (iss.code) {
    case 'invalid_type':
      if (isMissing(iss)) return 'required, but missing';
      return `expected ${describeExpected(iss.expected, def?.format)}, got ${describeValue(iss.input)}`;
    case 'invalid_value': {
      const values = iss.values.map((v) => String(v));
      const got = isMissing(iss) ? 'nothing' : describeValue(iss.input);
      return values.length === 1 ? `expected ${values[0]}, got ${got}` : `expected one of ${values.join(', ')}, got ${got}`;
    }
    case 'too_small':
      if (iss.origin === 'string') return 'expected a non-empty string';
      if (iss.origin === 'array') return `expected at least ${iss.minimum} item${Number(iss.minimum) === 1 ? '' : 's'}`;
      return `expected at least ${iss.minimum}, got ${describeValue(iss.input)}`;
    case 'too_big':
      if (iss.origin === 'array') return `expected at most ${iss.maximum} items`;
      return `expected at most ${iss.maximum}, got ${describeValue(iss.input)}`;
    case 'unrecognized_keys': {
      const shape = def?.shape as Record<string, unknown> | undefined;
      (iss as Record<string, unknown>)[KNOWN_KEYS] = shape ? Object.keys(shape) : [];
      return `unknown key ${iss.keys.map((k) => `\`${k}\``).join(', ')}`;
    }
    case 'invalid_format':
      return `has the wrong format, got ${describeValue(iss.input)}`;
    case 'invalid_union':
      return 'expected one of the allowed forms';
    default:
      return iss.message ?? 'is not valid';
  }
}

/** Final zod issues -> one PathIssue per problem, paths absolute. */
export function flattenZodIssues(issues: readonly Issue[], prefix: IssuePath = []): PathIssue[] {
  return issues.flatMap((issue) => flattenOne(issue, [...prefix, ...(issue.path as (string | number)[])]));
}

function flattenOne(issue: Issue, path: IssuePath): PathIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const known = ((issue as unknown as Record<string, unknown>)[KNOWN_KEYS] as string[] | undefined) ?? [];
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key \`${key}\`${didYouMean(key, known)}` }));
  }
  if (issue.code === 'invalid_union') return flattenUnion(issue, path);
  // A record key that its key schema refused (a control character in a name): the key's
  // own problems, told as the key's.
  if (issue.code === 'invalid_key') return issue.issues.map((inner) => ({ path, message: `the name ${inner.message ?? 'is not valid'}` }));
  return [{ path, message: issue.message }];
}

function flattenUnion(issue: z.core.$ZodIssueInvalidUnion, path: IssuePath): PathIssue[] {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (discriminator !== undefined) {
    // zod puts the discriminator in the path already; the input is the object around it.
    const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
    const input = (issue as { input?: unknown }).input;
    const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[discriminator] : undefined;
    const message = value === undefined
      ? `required, but missing (one of ${options.join(', ')})`
      : `expected one of ${options.join(', ')}, got ${describeValue(value)}`;
    return [{ path, message }];
  }
  // The alternative the user meant is the one whose problems are not "wrong type here".
  const meant = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
  if (meant.length === 1) return flattenZodIssues(meant[0]!, path);
  return [{ path, message: issue.message }];
}
