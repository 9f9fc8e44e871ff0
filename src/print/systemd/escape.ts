/**
 * Quoting for systemd unit files. Checked by the real parser: `systemd-analyze verify` and
 * `systemd-analyze condition` (test/print/systemd-escape.test.ts).
 *
 * References: systemd.service(5) "Command lines", systemd.unit(5) "Specifiers",
 * systemd.syntax(7) (line continuation, whitespace), nixpkgs lib/utils.nix
 * escapeSystemdExecArg (the behaviour NixOS users already rely on).
 */

/**
 * systemd ignores a whole assignment ("String is not UTF-8 clean, ignoring assignment") when
 * it holds a code point its unichar_is_valid() refuses: surrogates and the Unicode
 * noncharacters U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF. A silently dropped ExecStart= is worse
 * than an error now.
 */
function isUtf8Clean(value: string): boolean {
  for (const c of value) {
    const cp = c.codePointAt(0)!;
    if ((cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false;
  }
  return true;
}

function assertUnitText(value: string, what: string): void {
  // Unit files are C strings when parsed: a NUL would cut the line.
  if (value.includes('\0')) throw new Error(`${what}: value contains a NUL byte`);
  if (!isUtf8Clean(value)) throw new Error(`${what}: value holds a code point systemd refuses (noncharacter)`);
}

/** `%` starts a specifier everywhere in a unit file (systemd.unit(5)); `%%` is a literal `%`. */
/** For plain unit settings (Description=): only `%` specifiers are expanded there (systemd.unit(5)). */
export function escapeSystemdSpecifiers(text: string): string {
  return text.replaceAll('%', '%%');
}

/**
 * One argument of an Exec*= command line, always double-quoted so whitespace, quotes and a
 * lone `;` (a command separator when unquoted) are data. Inside the quotes systemd applies
 * C-style unescaping, so `\` and `"` are backslash-escaped and control characters use
 * `\n` `\t` `\r` `\xNN` (a raw newline would end the line). `%` is doubled (specifiers are
 * resolved when the unit is loaded) and `$` is doubled (`$VAR` / `${VAR}` are substituted
 * from the environment when the command runs; `$$` is a literal `$`).
 *
 * Not for the executable itself: systemd does not substitute `$` in it, and reads prefixes
 * such as `-` and `@` even when quoted. Use systemdExecLine for whole commands.
 */
export function escapeSystemdExecArg(arg: string): string {
  assertUnitText(arg, 'escapeSystemdExecArg');
  let out = '';
  for (const c of arg) {
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c < ' ' || c === '\x7f') out += `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else if (c === '%') out += '%%';
    else if (c === '$') out += '$$';
    else out += c;
  }
  return `"${out}"`;
}

/**
 * The executable of an Exec*= line. systemd.service(5): it must be an absolute path (a
 * leading `-`, `@`, `:`, `+` or `!` would be read as a prefix even inside quotes), and
 * systemd refuses "special characters" in it (quotes, backslashes, control characters:
 * "Executable name contains special characters"). `$` is not substituted there, so only
 * `%` is doubled; the path is quoted so spaces survive.
 */
export function escapeSystemdExecutable(executable: string): string {
  assertUnitText(executable, 'escapeSystemdExecutable');
  if (!executable.startsWith('/')) {
    throw new Error(`systemd executable must be an absolute path: ${JSON.stringify(executable)}`);
  }
  if (/["'\\\x00-\x1f\x7f]/.test(executable)) {
    throw new Error(`systemd executable contains characters systemd refuses: ${JSON.stringify(executable)}`);
  }
  return `"${escapeSystemdSpecifiers(executable)}"`;
}

/** A whole command line: `"/nix/store/...-x/bin/x" "arg 1" "arg $$2"`. */
export function systemdExecLine(executable: string, args: readonly string[] = []): string {
  return [escapeSystemdExecutable(executable), ...args.map(escapeSystemdExecArg)].join(' ');
}

/**
 * The value of a plain `Key=value` setting (Description=, WorkingDirectory=, Condition*=),
 * where the value is literal text: `%` is doubled. Refused, because systemd.syntax(7) would
 * not read them back: newlines and CR (they end the line), a trailing backslash (it joins
 * the next line), and leading or trailing whitespace (stripped from every value).
 */
export function systemdUnitValue(value: string): string {
  assertUnitText(value, 'systemdUnitValue');
  if (/[\r\n]/.test(value)) throw new Error(`systemd unit value contains a newline: ${JSON.stringify(value)}`);
  if (value.endsWith('\\')) throw new Error(`systemd unit value ends with a backslash: ${JSON.stringify(value)}`);
  // systemd strips ASCII blanks only (WHITESPACE in basic/string-util.h); NBSP is content.
  if (/^[ \t]|[ \t]$/.test(value)) {
    throw new Error(`systemd unit value has leading or trailing whitespace: ${JSON.stringify(value)}`);
  }
  return escapeSystemdSpecifiers(value);
}

// Literal text that home-manager writes into user units verbatim: its systemd.nix renders
// values with `toString`, and programs.rclone puts mount points and options into ExecStart=
// through `lib.escapeShellArg`, which protects them from a shell but not from systemd.

/**
 * For words of an ExecStart= that is already shell-quoted: `%` -> `%%` (specifiers) and
 * `$` -> `$$` (systemd.service(5) "Command lines" expands `$VAR` / `${VAR}`).
 */
export function escapeSystemdExecText(text: string): string {
  if (/[\n\r]/.test(text)) throw new Error(`a unit's command line cannot hold a newline: ${JSON.stringify(text)}`);
  return escapeSystemdSpecifiers(text).replaceAll('$', '$$$$');
}

/**
 * For the value inside a double-quoted `Environment="K=V"` assignment: `\` and `"` are
 * C-style escaped (systemd.syntax(7) "Quoting"), `%` doubled. Environment= does no `$`
 * expansion (systemd.exec(5) "Environment="), so `$` stays.
 */
export function escapeSystemdQuotedValue(text: string): string {
  if (/[\n\r]/.test(text)) throw new Error(`an Environment= value cannot hold a newline: ${JSON.stringify(text)}`);
  return escapeSystemdSpecifiers(text.replaceAll('\\', '\\\\').replaceAll('"', '\\"'));
}
