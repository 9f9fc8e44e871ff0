/**
 * Escapes for text that ends up in a user unit file written by home-manager. home-manager's
 * systemd.nix writes values verbatim (`toString`), and programs.rclone puts mount points,
 * remote paths and options into ExecStart= through `lib.escapeShellArg`, which protects
 * them from a shell but not from systemd: systemd.service(5) "Command lines" expands `%`
 * specifiers and `$VAR` / `${VAR}` in ExecStart=, and systemd.unit(5) "Specifiers" expands
 * `%` everywhere. So literal text is escaped for systemd before home-manager sees it.
 */

/** For ExecStart= words: `%` -> `%%` (specifier), `$` -> `$$` (environment expansion). */
export function escapeSystemdExecText(text: string): string {
  if (/[\n\r]/.test(text)) throw new Error(`a unit's command line cannot hold a newline: ${JSON.stringify(text)}`);
  return text.replaceAll('%', '%%').replaceAll('$', '$$$$');
}

/**
 * For the value inside a double-quoted `Environment="K=V"` assignment: `\` and `"` are
 * C-style escaped (systemd.syntax(7) "Quoting"), `%` doubled. Environment= does no `$`
 * expansion (systemd.exec(5) "Environment="), so `$` stays.
 */
export function escapeSystemdQuotedValue(text: string): string {
  if (/[\n\r]/.test(text)) throw new Error(`an Environment= value cannot hold a newline: ${JSON.stringify(text)}`);
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%');
}

/** For plain unit settings (Description=): only `%` specifiers are expanded there. */
export function escapeSystemdSpecifiers(text: string): string {
  return text.replaceAll('%', '%%');
}
