/**
 * A user's secrets in a home-manager module: the home-manager variants of sops-nix
 * (modules/home-manager/sops.nix, `sops.secrets.<name>`) and agenix (modules/age-home.nix,
 * `age.secrets.<name>`). Both decrypt in a user service of their own, which jobs order
 * after (`providerUnits`).
 */
import type { SecretRef } from '../../plan/model.js';
import { apply, attrs, bind, interp, list, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { configFileFromModule } from '../nix-common/module-path.js';
import { secretPathExpr } from '../nix-common/secret-path.js';
import { homePathExpr } from './home-path.js';
import { escapeSystemdQuotedValue } from '../../print/systemd/escape.js';

/** The user units that make each provider's files exist (checked in the modules' sources). */
const PROVIDER_UNIT = { sops: 'sops-nix.service', agenix: 'agenix.service' } as const;

/** sops-nix's `format` option, from the sops file's extension (sops itself decides the same way). */
function sopsFormat(file: string): string | undefined {
  if (/\.ya?ml$/.test(file)) return undefined; // sops-nix's default
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.env')) return 'dotenv';
  if (file.endsWith('.ini')) return 'ini';
  return 'binary';
}

/** `sops.secrets.<n> = { ... };` and `age.secrets.<n> = { ... };` in the secrets' (sorted) order. */
export function secretDeclarations(
  secrets: readonly SecretRef[],
  configDirFromOutput: string,
  moduleFile: string,
): AttrEntry[] {
  const entries: AttrEntry[] = [];
  for (const secret of secrets) {
    if (secret.provider === 'sops') {
      const format = sopsFormat(secret.sopsFile);
      entries.push(
        bind(
          ['sops', 'secrets', secret.name],
          attrs([
            bind('sopsFile', configFileFromModule(configDirFromOutput, moduleFile, secret.sopsFile)),
            // Explicit even when it equals the name, so a user's `sops.defaultSopsKey` cannot
            // redirect it.
            bind('key', str(secret.key ?? secret.name)),
            ...(format === undefined ? [] : [bind('format', str(format))]),
          ]),
        ),
      );
    } else if (secret.provider === 'agenix') {
      entries.push(
        bind(
          ['age', 'secrets', secret.name],
          attrs([bind('file', configFileFromModule(configDirFromOutput, moduleFile, secret.file))]),
        ),
      );
    }
    // `file` secrets are managed by the user; nothing to declare.
  }
  return entries;
}

/** The provider units (`sops-nix.service`, `agenix.service`) the secrets need, sorted, unique. */
export function providerUnits(secrets: readonly SecretRef[]): string[] {
  const units = new Set<string>();
  for (const secret of secrets) if (secret.provider !== 'file') units.add(PROVIDER_UNIT[secret.provider]);
  return [...units].sort();
}

/**
 * The secret's path for a unit's `Environment="K=V"`. agenix-home's default path is
 * `${XDG_RUNTIME_DIR}/agenix/<name>` — text meant for a shell, which Environment= would keep
 * literally — so `${XDG_RUNTIME_DIR}` becomes systemd's `%t` (the user manager's runtime
 * directory, systemd.unit(5) "Specifiers"). Reading the provider's option keeps a user's
 * own `path` / `secretsDir` setting working.
 */
export function secretPathForEnvironment(secret: SecretRef): NixExpr {
  switch (secret.provider) {
    case 'sops':
      return secretPathExpr(secret);
    case 'agenix':
      return apply(
        v('lib.replaceStrings'),
        list([str('${XDG_RUNTIME_DIR}')]),
        list([str('%t')]),
        secretPathExpr(secret),
      );
    case 'file':
      return homePathExpr(secret.path, escapeSystemdQuotedValue);
  }
}

/** `"BACKUPGEN_SECRET_<NAME>=<path>"`, quoted so a path with spaces stays one assignment. */
export function secretEnvironmentLine(secret: SecretRef): NixExpr {
  return interp('"', `${secret.envVar}=`, secretPathForEnvironment(secret), '"');
}
