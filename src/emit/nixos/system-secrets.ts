/**
 * Declarations of the secrets a host's system jobs and mounts read: sops-nix
 * `sops.secrets.<name>` and agenix `age.secrets.<name>`; `file` secrets are managed by the
 * user and declare nothing. Owner and mode follow the jobs that read the secret (config.md).
 *
 * Who may read a secret:
 * - only root jobs (and mounts, which run as root): root-owned, mode 0400 (the defaults);
 * - one other user (with or without root jobs): owned by that user, 0400 (root's jobs read
 *   it through CAP_DAC_READ_SEARCH);
 * - jobs of several users: root-owned, group SHARED_SECRETS_GROUP, 0440. The group has no
 *   members; only the services that read such a secret get it as SupplementaryGroups=
 *   (systemd.exec(5)), so no login session of those users can read the secret.
 */
import type { HostPlan, Plan, SecretRef } from '../../plan/model.js';
import { attrs, bind, str, type AttrEntry } from '../../print/nix/ast.js';
import { configFileFromModule } from '../nix-common/module-path.js';

export const SHARED_SECRETS_GROUP = 'backupgen-secrets';

interface Access {
  readonly owner: string | undefined;
  readonly group: string | undefined;
  readonly mode: string;
}

/** Users (besides root) whose system jobs read `secret`, sorted. */
function readers(host: HostPlan, secret: SecretRef): string[] {
  const users = host.jobs
    .filter((job) => job.runAs.user !== 'root' && job.secrets.some((s) => s.name === secret.name))
    .map((job) => job.runAs.user);
  return [...new Set(users)].sort();
}

function access(host: HostPlan, secret: SecretRef): Access {
  const users = readers(host, secret);
  if (users.length === 0) return { owner: undefined, group: undefined, mode: '0400' };
  if (users.length === 1) return { owner: users[0], group: undefined, mode: '0400' };
  return { owner: undefined, group: SHARED_SECRETS_GROUP, mode: '0440' };
}

/** Whether any secret of the host needs the shared group (then the group is declared). */
export function isSharedSecret(host: HostPlan, secret: SecretRef): boolean {
  return readers(host, secret).length > 1;
}

/** sops-nix reads a file by its `format` (default yaml); other formats must be named. */
function sopsFormat(file: string): string | undefined {
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.env')) return 'dotenv';
  if (file.endsWith('.ini')) return 'ini';
  return undefined;
}

function accessEntries(a: Access): AttrEntry[] {
  return [
    ...(a.owner === undefined ? [] : [bind('owner', str(a.owner))]),
    ...(a.group === undefined ? [] : [bind('group', str(a.group))]),
    bind('mode', str(a.mode)),
  ];
}

/** `[path, value]` bindings for the module: sops.secrets.*, age.secrets.*, users.groups.* */
export function systemSecrets(plan: Plan, host: HostPlan, moduleFile: string): AttrEntry[] {
  const entries: AttrEntry[] = [];
  for (const secret of host.secrets) {
    const a = access(host, secret);
    switch (secret.provider) {
      case 'sops': {
        const format = sopsFormat(secret.sopsFile);
        entries.push(
          bind(
            ['sops', 'secrets', secret.name],
            attrs([
              bind('sopsFile', configFileFromModule(plan.configDirFromOutput, moduleFile, secret.sopsFile)),
              ...(format === undefined ? [] : [bind('format', str(format))]),
              ...(secret.key === undefined ? [] : [bind('key', str(secret.key))]),
              ...accessEntries(a),
            ]),
          ),
        );
        break;
      }
      case 'agenix':
        entries.push(
          bind(
            ['age', 'secrets', secret.name],
            attrs([
              bind('file', configFileFromModule(plan.configDirFromOutput, moduleFile, secret.file)),
              ...accessEntries(a),
            ]),
          ),
        );
        break;
      case 'file':
        break;
    }
  }
  if (host.secrets.some((s) => s.provider !== 'file' && isSharedSecret(host, s))) {
    entries.push(bind(['users', 'groups', SHARED_SECRETS_GROUP], attrs([])));
  }
  return entries;
}

