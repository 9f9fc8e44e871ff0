/**
 * `hosts/<host>/kubernetes/create-secrets.sh`: the one Secret the host's pods read,
 * `backupgen-secrets`, one key per backupgen secret name, made from the same sources the
 * config names. In a cluster sops and agenix are only where the value comes from: this
 * script decrypts on the machine that runs it (the user's, with their keys) and hands the
 * values to `kubectl` as files, so they never reach argv or any generated file.
 */
import { posix } from 'node:path';
import type { HostPlan, KubernetesHostPlan, Plan, SecretRef } from '../../plan/model.js';
import { shellQuote } from '../../print/shell/quote.js';
import { generatedHeader } from '../header.js';
import { kubernetesDir, SECRETS_SECRET } from './layout.js';

export const CREATE_SECRETS_FILE = 'create-secrets.sh';

export function renderCreateSecrets(plan: Plan, host: HostPlan, k8s: KubernetesHostPlan): string {
  // The config's directory as seen from this script's folder.
  const configDir = posix.join(posix.relative(kubernetesDir(host.name), '.'), plan.configDirFromOutput);
  const lines = [
    '#!/usr/bin/env bash',
    generatedHeader('#', plan.sourceFile),
    `# Creates or updates the Secret ${SECRETS_SECRET} in namespace ${k8s.namespace}: one key per secret the`,
    '# jobs read, decrypted here with your own keys (sops; age with $AGE_IDENTITY, default',
    '# ~/.ssh/id_ed25519). Values pass through a private temporary folder, never through argv.',
    'set -euo pipefail',
    'here=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")',
    `config_dir="$here/"${shellQuote(configDir)}`,
    'umask 077',
    'values=$(mktemp -d)',
    "trap 'rm -rf -- \"$values\"' EXIT",
    ': "$config_dir"',
    ...host.secrets.map((secret) => `${decryptCommand(secret)} >"$values/"${shellQuote(secret.name)}`),
    `kubectl create secret generic ${SECRETS_SECRET} --namespace ${shellQuote(k8s.namespace)} --dry-run=client -o yaml \\`,
    ...host.secrets.map((secret) => `  --from-file=${shellQuote(`${secret.name}=`)}"$values/"${shellQuote(secret.name)} \\`),
    '  | kubectl apply -f -',
    '',
  ];
  return lines.join('\n');
}

function decryptCommand(secret: SecretRef): string {
  switch (secret.provider) {
    case 'sops': {
      // sops-nix reads a nested key `a/b` as ["a"]["b"]; --extract takes that form.
      const extract = (secret.key ?? secret.name).split('/').map((part) => `[${JSON.stringify(part)}]`).join('');
      return `sops --decrypt --extract ${shellQuote(extract)} "$config_dir/"${shellQuote(secret.sopsFile)}`;
    }
    case 'agenix':
      return `age --decrypt --identity "\${AGE_IDENTITY:-$HOME/.ssh/id_ed25519}" "$config_dir/"${shellQuote(secret.file)}`;
    case 'file':
      return `cat -- ${shellQuote(secret.path)}`;
  }
}
