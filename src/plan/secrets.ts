/** Secret names -> SecretRef, with the default run-time path for the scope that reads them. */
import { resolveSecretSource } from '../config/secret-source.js';
import type { SecretsSection } from '../config/schema/secrets.js';
import type { SecretRef } from './model.js';

export type SecretScope = 'system' | 'user';

/** `BACKUPGEN_SECRET_<NAME>`: upper-cased, non-alphanumerics as `_` (docs/conventions.md). */
export function secretEnvVar(name: string): string {
  return `BACKUPGEN_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Default paths: sops-nix `/run/secrets/<name>`, agenix `/run/agenix/<name>`; their
 * home-manager modules default to `~/.config/sops-nix/secrets/<name>` and
 * `$XDG_RUNTIME_DIR/agenix/<name>`.
 */
function defaultPath(provider: 'sops' | 'agenix', name: string, scope: SecretScope): string {
  if (provider === 'sops') return scope === 'system' ? `/run/secrets/${name}` : `~/.config/sops-nix/secrets/${name}`;
  return scope === 'system' ? `/run/agenix/${name}` : `$XDG_RUNTIME_DIR/agenix/${name}`;
}

export function planSecret(section: SecretsSection | undefined, name: string, scope: SecretScope): SecretRef {
  const resolved = resolveSecretSource(section, name);
  // The rules have already reported unresolvable secrets; reaching this is a bug.
  if (!resolved.ok) throw new Error(`planner: unresolved secret reached the planner: ${resolved.error}`);
  const { source } = resolved;
  const envVar = secretEnvVar(name);
  switch (source.provider) {
    case 'sops':
      return { name, envVar, provider: 'sops', defaultPath: defaultPath('sops', name, scope), sopsFile: normalizeRelative(source.sopsFile), key: source.key };
    case 'agenix':
      return { name, envVar, provider: 'agenix', defaultPath: defaultPath('agenix', name, scope), file: normalizeRelative(source.file) };
    case 'file':
      return { name, envVar, provider: 'file', defaultPath: source.path, path: source.path };
  }
}

/** Posix, no `./` prefix: `./secrets//a.yaml` -> `secrets/a.yaml`. */
function normalizeRelative(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  return (path.startsWith('/') ? '/' : '') + parts.join('/');
}
