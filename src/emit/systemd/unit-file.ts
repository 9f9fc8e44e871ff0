/**
 * A unit (src/emit/units/) as a unit file: `[Section]` then one `Key=value` line per
 * directive, a list as one line per item (as nixpkgs writes them, systemd-lib.nix; systemd
 * merges repeated list settings), booleans as `true`/`false`. String values are unit text
 * already (escaped where they hold user data when the unit was built).
 */
import type { SecretRef } from '../../plan/model.js';
import { escapeSystemdExecutable, escapeSystemdQuotedValue, systemdExecLine } from '../../print/systemd/escape.js';
import type { Directive, DirectiveValue } from '../units/unit.js';

export interface UnitFileContext {
  /** The installed path of the unit's script (`{ kind: 'script' }`). */
  readonly script?: string;
  readonly secrets?: readonly SecretRef[];
  /** The installed paths of the host tools a unit may run (`{ kind: 'host-tool' }`), by name. */
  readonly tools?: Readonly<Record<string, string>>;
  /** A user unit: a `~/` secret path becomes `%h/...` (the user's home, systemd.unit(5)). */
  readonly userUnit?: boolean;
}

function lines(key: string, value: DirectiveValue, context: UnitFileContext): string[] {
  if (typeof value === 'string') {
    if (/[\r\n]/.test(value)) throw new Error(`unit file: ${key}= cannot hold a line break: ${JSON.stringify(value)}`);
    return [`${key}=${value}`];
  }
  if (typeof value === 'number' || typeof value === 'boolean') return [`${key}=${String(value)}`];
  if (Array.isArray(value)) return (value as readonly string[]).flatMap((item) => lines(key, item, context));
  const special = value as Exclude<DirectiveValue, string | number | boolean | readonly string[]>;
  switch (special.kind) {
    case 'script':
      if (context.script === undefined) throw new Error(`unit file: ${key}= runs a script the unit has none of`);
      return [`${key}=${systemdExecLine(context.script)}`];
    case 'tool':
      // Debian's merged /usr: /bin/x is /usr/bin/x.
      return [`${key}=${special.privileged === true ? '+' : ''}${escapeSystemdExecutable(`/usr/${special.executable}`)} ${special.args}`];
    case 'host-tool': {
      const path = context.tools?.[special.tool];
      if (path === undefined) throw new Error(`unit file: ${key}= runs tool ${special.tool}, which is not installed`);
      return [`${key}=${escapeSystemdExecutable(path)} ${special.args}`];
    }
    case 'secret-paths':
      return (context.secrets ?? []).map((secret) => `${key}="${secret.envVar}=${secretPathText(secret, context)}"`);
  }
}

/** A secret's path for `Environment="K=V"`: only `file` secrets reach a plain host (config rule). */
function secretPathText(secret: SecretRef, context: UnitFileContext): string {
  if (secret.provider !== 'file') throw new Error(`unit file: secret ${secret.name} is ${secret.provider}, not a file`);
  if (!secret.path.startsWith('~/')) return escapeSystemdQuotedValue(secret.path);
  if (context.userUnit !== true) throw new Error(`unit file: secret ${secret.name} at ${secret.path} needs a user's home`);
  return `%h${escapeSystemdQuotedValue(secret.path.slice(1))}`;
}

export function unitFileText(
  header: string,
  sections: readonly (readonly [name: string, directives: readonly Directive[]])[],
  context: UnitFileContext = {},
): string {
  const blocks = sections
    .filter(([, directives]) => directives.length > 0)
    .map(([name, directives]) => [`[${name}]`, ...directives.flatMap(([key, value]) => lines(key, value, context))].join('\n'));
  return `${[header, ...blocks].join('\n\n')}\n`;
}
