/** Every secret that is declared or referenced can be resolved by its provider. */
import type { IssuePath, PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { resolveSecretSource } from '../secret-source.js';

export interface SecretReference {
  readonly name: string;
  readonly path: IssuePath;
}

/** Every `{ secret: NAME }` and remote `secrets` entry in the config, in file order. */
export function secretReferences(config: BackupgenConfig): SecretReference[] {
  const refs: SecretReference[] = [];
  for (const [remoteName, remote] of Object.entries(config.remotes)) {
    for (const [option, name] of Object.entries(remote.secrets)) refs.push({ name, path: ['remotes', remoteName, 'secrets', option] });
  }
  for (const [notifierName, notifier] of Object.entries(config.notifiers)) {
    if ('url' in notifier && typeof notifier.url === 'object') {
      refs.push({ name: notifier.url.secret, path: ['notifiers', notifierName, 'url', 'secret'] });
    }
  }
  return refs;
}

export function secretsResolve(config: BackupgenConfig): PathIssue[] {
  const section = config.secrets;
  const declared = Object.keys(section?.items ?? {});
  // Declared items are checked where they are declared; undeclared names where they are used.
  const itemIssues = declared.flatMap((name) => {
    const result = resolveSecretSource(section, name);
    return result.ok ? [] : [{ path: ['secrets', 'items', name], message: result.error }];
  });
  const referenceIssues = secretReferences(config)
    .filter((ref) => !declared.includes(ref.name))
    .flatMap((ref) => {
      const result = resolveSecretSource(section, ref.name);
      return result.ok ? [] : [{ path: ref.path, message: result.error }];
    });
  return [...itemIssues, ...referenceIssues];
}
