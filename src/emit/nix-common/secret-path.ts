/**
 * Where a secret is at run time, as a Nix expression (conventions.md "Names": units hand
 * the provider's real path to the script through `BACKUPGEN_SECRET_<NAME>`). Reading the
 * path from the provider's own option, not writing `/run/secrets/<name>`, keeps a user's
 * `sops.defaultSymlinkPath` / `age.secretsDir` or a per-secret `path` override working.
 */
import type { SecretRef } from '../../plan/model.js';
import { bind, interp, sel, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';

export interface SecretPathOptions {
  /**
   * For user modules: how to spell the home directory when a `file` secret's path starts
   * with `~/` (home-manager: `config.home.homeDirectory`). Without it such a path is an
   * error, because a unit's Environment= does no tilde expansion (systemd.exec(5)).
   */
  readonly homeDirectory?: NixExpr;
  /**
   * Escapes a `file` secret's literal path for where the expression ends up (a unit's
   * Environment= expands `%` specifiers, systemd.unit(5)). Provider paths are left alone:
   * secret names cannot hold such characters.
   */
  readonly literal?: (text: string) => string;
}

/** `config.sops.secrets.<n>.path`, `config.age.secrets.<n>.path`, or the file's path. */
export function secretPathExpr(secret: SecretRef, options: SecretPathOptions = {}): NixExpr {
  switch (secret.provider) {
    case 'sops':
      return sel(v('config'), 'sops', 'secrets', secret.name, 'path');
    case 'agenix':
      return sel(v('config'), 'age', 'secrets', secret.name, 'path');
    case 'file': {
      const literal = options.literal ?? ((text: string) => text);
      if (!secret.path.startsWith('~/')) return str(literal(secret.path));
      if (options.homeDirectory === undefined) {
        throw new Error(`secret ${secret.name}: path ${secret.path} needs a home directory expression`);
      }
      return interp(options.homeDirectory, literal(secret.path.slice(1)));
    }
  }
}

/** `BACKUPGEN_SECRET_<NAME> = <path>;` for each secret, in the plan's (sorted) order. */
export function secretEnvironment(secrets: readonly SecretRef[], options: SecretPathOptions = {}): AttrEntry[] {
  return secrets.map((secret) => bind(secret.envVar, secretPathExpr(secret, options)));
}
