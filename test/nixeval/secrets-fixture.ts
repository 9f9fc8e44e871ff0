import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A config directory holding dummy secret files: sops-nix checks at evaluation time that a
 * `sopsFile` exists and holds the key (README "sopsFile validation"); nothing is decrypted.
 * Same shape as nixeval's tests/home/good-rclone/secrets.yaml.
 */
export function dummySecretsDir(sops: Record<string, readonly string[]>, age: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'backupgen-config-'));
  for (const [file, keys] of Object.entries(sops)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), sopsYaml(keys));
  }
  for (const file of age) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), 'age-encryption.org/v1\n-> X25519 dummy\ndummy\n--- dummy\n');
  }
  return dir;
}

/** Keys may be paths (`b2/application_key`): nested YAML maps. */
function sopsYaml(keys: readonly string[]): string {
  const tree: Record<string, unknown> = {};
  for (const key of keys) {
    const parts = key.split('/');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = 'ENC[AES256_GCM,data:dummy,iv:dummy,tag:dummy,type:str]';
  }
  const lines: string[] = [];
  const walk = (node: Record<string, unknown>, indent: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string') lines.push(`${indent}${k}: ${v}`);
      else {
        lines.push(`${indent}${k}:`);
        walk(v as Record<string, unknown>, `${indent}    `);
      }
    }
  };
  walk(tree, '');
  lines.push('sops:', '    age: []', '    lastmodified: "2026-01-01T00:00:00Z"', '    mac: ENC[AES256_GCM,data:dummy,iv:dummy,tag:dummy,type:str]', '    version: 3.9.0', '');
  return lines.join('\n');
}
