/**
 * Where a secret comes from: its `items` entry merged over the section-wide provider. The
 * rule in rules/secrets.ts reports what cannot be resolved; the planner uses the result.
 */
import { didYouMean } from './did-you-mean.js';
import type { SecretsSection } from './schema/secrets.js';

export type SecretSource =
  | { readonly provider: 'sops'; readonly sopsFile: string; readonly key: string | undefined }
  | { readonly provider: 'agenix'; readonly file: string }
  | { readonly provider: 'file'; readonly path: string };

export type SecretSourceResult = { ok: true; source: SecretSource } | { ok: false; error: string };

export function resolveSecretSource(section: SecretsSection | undefined, name: string): SecretSourceResult {
  if (section === undefined) return { ok: false, error: `secret \`${name}\` is used but there is no \`secrets\` section` };
  const item = Object.hasOwn(section.items, name) ? section.items[name] : undefined;
  const provider = item?.provider ?? section.provider;
  if (provider === 'sops') {
    const sopsFile = item?.sopsFile ?? section.sopsFile;
    if (sopsFile === undefined) return { ok: false, error: `secret \`${name}\` uses sops but no \`sopsFile\` is set (set \`secrets.sopsFile\` or the item's)` };
    return { ok: true, source: { provider, sopsFile, key: item?.key } };
  }
  if (provider === 'agenix') {
    const file = item?.file ?? (section.ageDir === undefined ? undefined : `${section.ageDir.replace(/\/+$/, '')}/${name}.age`);
    if (file === undefined) return { ok: false, error: `secret \`${name}\` uses agenix but neither \`secrets.ageDir\` nor the item's \`file\` is set` };
    return { ok: true, source: { provider, file } };
  }
  if (item?.path === undefined) {
    const hint = item === undefined ? didYouMean(name, Object.keys(section.items)) : '';
    return { ok: false, error: `secret \`${name}\` uses provider file but has no \`path\` in \`secrets.items\`${hint}` };
  }
  if (!item.path.startsWith('/') && !item.path.startsWith('~/')) {
    return { ok: false, error: `secret \`${name}\`: \`path\` must be absolute, got ${JSON.stringify(item.path)}` };
  }
  return { ok: true, source: { provider, path: item.path } };
}
