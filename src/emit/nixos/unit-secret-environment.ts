/**
 * `BACKUPGEN_SECRET_<NAME> = <path>;` for a system unit's `environment`.
 *
 * nixpkgs writes `environment` as `Environment="K=V"` (JSON-quoted, systemd-lib.nix
 * serviceToUnit), where systemd still expands `%` specifiers (systemd.unit(5)), so a literal
 * path doubles them. A `~/` path means the home of the account the unit runs as, which NixOS
 * knows as `config.users.users.<user>.home`: Environment= does no tilde expansion.
 */
import type { SecretRef } from '../../plan/model.js';
import { sel, v, type AttrEntry } from '../../print/nix/ast.js';
import { secretEnvironment } from '../nix-common/secret-path.js';

export function unitSecretEnvironment(secrets: readonly SecretRef[], user: string): AttrEntry[] {
  return secretEnvironment(secrets, {
    homeDirectory: sel(v('config'), 'users', 'users', user, 'home'),
    literal: (text) => text.replaceAll('%', '%%'),
  });
}
