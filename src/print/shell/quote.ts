/**
 * The one shell-quoting helper: every value that reaches a generated script goes through it.
 * Single quotes make every byte literal in POSIX sh and bash, except the single quote itself,
 * which is written as '\'' (close, escaped quote, reopen). No other escaping is needed, so
 * `$`, backticks, backslashes, newlines and leading dashes all survive as data.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) {
    // A NUL byte cannot exist in a shell word or a C string; it can only be a bug upstream.
    throw new Error('shellQuote: value contains a NUL byte');
  }
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A bash array literal body: each element quoted, separated by spaces (`'a' 'b c'`). */
export function shellArray(values: readonly string[]): string {
  return values.map(shellQuote).join(' ');
}
