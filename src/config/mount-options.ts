/**
 * rclone mount arguments as users write them (config.md: `--vfs-cache-mode writes`,
 * `--dir-cache-time=5s`, `--allow-other`) -> the attribute set programs.rclone's
 * `mounts.<path>.options` takes (`attrsOf (nullOr (oneOf [bool int float str]))`, rendered
 * by `lib.cli.toCommandLineShellGNU` as `--key=value`, `true` as a bare `--key`).
 * Lives in config/ because validation refuses what it cannot read (rules/mounts.ts), so the
 * home-manager emitter never meets an option it cannot turn into an attribute.
 */

export type MountOptionValue = string | true;

/**
 * Each item is `--key value`, `--key=value` or `--key`; a bare `--key` followed by an item
 * that is not an option takes it as its value (`["--vfs-cache-mode", "writes"]`). The
 * result keeps the order of first appearance; a repeated key is an error because an
 * attribute set cannot hold it twice (rclone's repeatable flags are not used for mounts).
 */
export function mountOptionsToAttrs(options: readonly string[]): [key: string, value: MountOptionValue][] {
  const parsed = parseMountOptions(options);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.attrs;
}

export type ParsedMountOptions =
  | { readonly ok: true; readonly attrs: [key: string, value: MountOptionValue][] }
  | { readonly ok: false; readonly error: string };

export function parseMountOptions(options: readonly string[]): ParsedMountOptions {
  try {
    return { ok: true, attrs: readOptions(options) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function readOptions(options: readonly string[]): [key: string, value: MountOptionValue][] {
  const out = new Map<string, MountOptionValue>();
  const set = (key: string, value: MountOptionValue): void => {
    if (key === '' || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(key)) throw new Error(`mount option: not an rclone flag name: ${JSON.stringify(key)}`);
    if (out.has(key)) throw new Error(`mount option --${key} is given twice`);
    out.set(key, value);
  };
  for (let i = 0; i < options.length; i++) {
    const item = options[i]!.trim();
    if (!item.startsWith('-')) throw new Error(`mount option: expected an rclone flag (\`--name value\`, \`--name=value\` or \`--name\`), got ${JSON.stringify(options[i])}`);
    const body = item.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const space = body.search(/\s/);
    if (eq !== -1 && (space === -1 || eq < space)) {
      set(body.slice(0, eq), body.slice(eq + 1));
    } else if (space !== -1) {
      set(body.slice(0, space), body.slice(space).trim());
    } else {
      const next = options[i + 1];
      if (next !== undefined && !next.trim().startsWith('-')) {
        set(body, next.trim());
        i++;
      } else {
        set(body, true);
      }
    }
  }
  return [...out.entries()];
}
