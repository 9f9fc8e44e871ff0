/**
 * The one place that knows Nix's quoting rules. Everything here is checked by round trip
 * through the real `nix-instantiate` (test/print/nix-escape.test.ts).
 *
 * References: the Nix manual, "Language > Values > String" (escapes in "..." and ''...''),
 * Nix 2.8 src/libexpr/lexer.l (ID, PATH, STRING and IND_STRING rules) and parser.y
 * (stripIndentation), nixpkgs lib/strings.nix (escapeNixString, escapeNixIdentifier).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Nix strings are C strings inside the evaluator: a NUL byte cannot exist in them. */
function assertNixText(value: string, what: string): void {
  if (value.includes('\0')) throw new Error(`${what}: value contains a NUL byte`);
  // A lone UTF-16 surrogate has no UTF-8 encoding; writing it would silently become U+FFFD.
  if (LONE_SURROGATE.test(value)) throw new Error(`${what}: value contains a lone UTF-16 surrogate`);
}

/**
 * The body of a double-quoted Nix string (without the quotes).
 *
 * `\` and `"` are escaped; `${` becomes `\${` (a `$` not followed by `{` is literal, so `$HOME`
 * stays readable). Newline, CR and tab use `\n` `\r` `\t`: a raw CR would be normalised to LF
 * by the lexer (unescapeStr turns CR and CRLF into LF), so it must be escaped. Everything else,
 * including other control characters and all non-ASCII, passes through raw: Nix has no `\u`
 * or `\x` escape (which is why JSON.stringify is not a Nix escaper).
 *
 * `beforeInterpolation`: the text is followed by `${...}`. A trailing `$` is then escaped
 * too, since `$${` is lexed as a literal `$` `$` `{` and would swallow the interpolation.
 */
export function escapeNixStringBody(value: string, beforeInterpolation = false): string {
  assertNixText(value, 'escapeNixString');
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '$' && (value[i + 1] === '{' || (beforeInterpolation && i === value.length - 1))) out += '\\$';
    else out += c;
  }
  return out;
}

/** A complete double-quoted Nix string literal: `"..."`. */
export function escapeNixString(value: string): string {
  return `"${escapeNixStringBody(value)}"`;
}

/**
 * Escape a piece of literal text for an indented string (''...''): `''` -> `'''` and
 * `${` -> `''${` (Nix manual, "Indented strings"); `beforeInterpolation` as for
 * escapeNixStringBody. Say whether this is safe with
 * `nixIndentedStringFits` first: it is not for every text.
 */
export function escapeNixIndentedText(text: string, beforeInterpolation = false): string {
  assertNixText(text, 'escapeNixIndentedText');
  const escaped = text.replaceAll("''", "'''").replaceAll('${', "''${");
  // As in "...": a trailing `$` would turn the following `${` into literal text (`$${`).
  return beforeInterpolation && escaped.endsWith('$') ? `${escaped.slice(0, -1)}''$` : escaped;
}

/**
 * Placeholder standing for an interpolation `${...}` when judging an indented string's
 * literal text: to stripIndentation an interpolation is non-space content.
 */
export const INTERPOLATION_MARK = '\u{E000}';

/**
 * Whether `template` (literal text, with INTERPOLATION_MARK where an interpolation goes) can
 * be printed as an indented string whose lines are all prefixed with the same indentation,
 * and read back exactly. The conditions come from the lexer and parser.y's stripIndentation:
 *
 * - it spans lines (a single line reads better as "..."), and holds no CR (the lexer turns
 *   raw CR into LF, and an indented string has no `\r` short of `''\r`, which we avoid);
 * - some line with content starts without a space: stripIndentation removes the smallest
 *   indentation of the lines with content, which must then be exactly our prefix;
 *   whitespace-only lines do not count, so a text of blank lines alone cannot be printed;
 * - the last line is empty (the text ends with a newline) or has a non-space character and
 *   does not end in `'`: a last line of only spaces is dropped, and a trailing `'` would
 *   merge with the closing `''`;
 * - no `'` is directly before `${` or an interpolation: `'` + `''${` would lex as `'''`
 *   (an escaped `''`) followed by a live interpolation; likewise no `'$` directly before an
 *   interpolation, whose `$` is written `''$` (found by the property test: `'` + `''$` lexes
 *   as `'''` + `$`, and the `$` then swallows the interpolation).
 */
export function nixIndentedStringFits(template: string): boolean {
  if (!template.includes('\n') || template.includes('\r')) return false;
  const lines = template.split('\n');
  const hasFlushLine = lines.some((line) => line.trim() !== '' && !line.startsWith(' '));
  // `trim` also removes tabs and other blanks, which stripIndentation counts as content;
  // being stricter here only sends a few more texts to "...", never a wrong one to ''.
  if (!hasFlushLine) return false;
  const last = lines[lines.length - 1]!;
  if (last !== '' && (/^ *$/.test(last) || last.endsWith("'"))) return false;
  if (template.includes("'${") || template.includes(`'${INTERPOLATION_MARK}`) || template.includes(`'$${INTERPOLATION_MARK}`)) return false;
  return true;
}

const NIX_KEYWORDS: ReadonlySet<string> = new Set([
  'if',
  'then',
  'else',
  'assert',
  'with',
  'let',
  'in',
  'rec',
  'inherit',
  'or',
]);

/** lexer.l: `ID [a-zA-Z\_][a-zA-Z0-9\_\'\-]*` */
const NIX_ID = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Whether `name` can be written bare as an identifier or attribute name. */
export function isNixIdentifier(name: string): boolean {
  return NIX_ID.test(name) && !NIX_KEYWORDS.has(name);
}

/**
 * An attribute name as written in a binding, selection or inherit: bare when it is a valid
 * identifier and not a keyword (`backupgen-home`), quoted otherwise (`"rclone-mount:@gdrive"`).
 * Like nixpkgs' escapeNixIdentifier, plus the keyword check (`{ or = 1; }` does not parse
 * the same in every position, so it is quoted).
 */
export function nixIdentifier(name: string): string {
  return isNixIdentifier(name) ? name : escapeNixString(name);
}

/** lexer.l: `PATH_CHAR [a-zA-Z0-9\.\_\-\+]` */
const PATH_SEGMENT = /^[A-Za-z0-9._+-]+$/;

/**
 * Why `value` cannot be written as a Nix path literal, or undefined when it can.
 * Accepted: `./a/b`, `../a`, `/abs/path` (lexer.l `PATH {PATH_CHAR}*(\/{PATH_CHAR}+)+\/?`).
 * Rejected: a trailing slash (an error in Nix 2.8), empty segments, characters outside
 * PATH_CHAR (spaces, `$`, `"`, ...), `~` paths and search paths (impure), bare names.
 */
export function nixPathLiteralProblem(value: string): string | undefined {
  if (!(value.startsWith('./') || value.startsWith('../') || value.startsWith('/'))) {
    return 'must start with ./, ../ or /';
  }
  if (value.endsWith('/')) return 'must not end with /';
  const segments = value.split('/');
  // The first segment is `.`, `..` or empty (absolute); every other one must be non-empty.
  for (const segment of segments.slice(1)) {
    if (!PATH_SEGMENT.test(segment)) return `segment ${JSON.stringify(segment)} is not [A-Za-z0-9._+-]+`;
  }
  return undefined;
}

/** The path literal itself, or a thrown error telling the caller to use a string instead. */
export function nixPathLiteral(value: string): string {
  const problem = nixPathLiteralProblem(value);
  if (problem !== undefined) {
    throw new Error(`not a Nix path literal (${problem}): ${JSON.stringify(value)}; use a string`);
  }
  return value;
}
