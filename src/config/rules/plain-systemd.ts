/**
 * What a `kind: systemd` host (a plain Linux machine, no NixOS) can carry:
 * - secrets are files the admin puts in place: nothing there runs sops-nix or agenix to
 *   decrypt a sops or age file, so a job or mount that reads a sops/agenix secret would fail
 *   at its first run; the unit hands the file's path over (BACKUPGEN_SECRET_<NAME>);
 * - user jobs are installed as `systemd --user` units in /etc/systemd/user, one directory
 *   every user's manager reads, so two users cannot both have a job of one name there;
 * - user mounts need home-manager's programs.rclone, which such a host does not have.
 */
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { resolveSecretSource } from '../secret-source.js';
import { secretsOf } from './system-secrets.js';
import { eachJob, eachMount, remoteReferencesOf } from './walk.js';

export function plainSystemdSecretsAreFiles(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const check = (host: string, names: readonly string[], path: PathIssue['path'], what: string): void => {
    for (const name of names) {
      const source = resolveSecretSource(config.secrets, name);
      if (!source.ok || source.source.provider === 'file') continue;
      issues.push({
        path,
        message:
          `${what} reads secret \`${name}\` (provider ${source.source.provider}), but host \`${host}\` is \`kind: systemd\`, ` +
          `where nothing decrypts ${source.source.provider} files; give it \`provider: file\` and a path ` +
          `(secrets.items.${name}: { provider: file, path: /etc/backupgen/secrets/${name} })`,
      });
    }
  };
  for (const site of eachJob(config)) {
    if (site.host.kind !== 'systemd') continue;
    const notify = site.job.notify ?? config.defaults.notify ?? [];
    check(site.hostName, secretsOf(config, remoteReferencesOf(site).map((r) => r.remote), notify), site.path, 'this job');
  }
  for (const site of eachMount(config)) {
    if (site.host.kind !== 'systemd' || site.scope.kind !== 'system') continue;
    check(site.hostName, secretsOf(config, [site.mount.remote], []), site.path, 'this mount');
  }
  return issues;
}

export function plainSystemdUserJobsAreDistinct(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const firstOwner = new Map<string, string>();
  for (const site of eachJob(config)) {
    if (site.host.kind !== 'systemd' || site.scope.kind !== 'user') continue;
    const key = `${site.hostName}\0${site.name}`;
    const owner = firstOwner.get(key);
    if (owner === undefined) firstOwner.set(key, site.scope.user);
    else {
      issues.push({
        path: site.path,
        message: `user \`${owner}\` already has a job \`${site.name}\` on host \`${site.hostName}\` (\`kind: systemd\`: every user's units share /etc/systemd/user); rename one`,
      });
    }
  }
  return issues;
}

export function plainSystemdHasNoUserMounts(config: BackupgenConfig): PathIssue[] {
  return eachMount(config)
    .filter((site) => site.host.kind === 'systemd' && site.scope.kind === 'user')
    .map((site) => ({
      path: site.path,
      message: `user mounts are built through home-manager, which host \`${site.hostName}\` (\`kind: systemd\`) does not have; make it a system mount (hosts.${site.hostName}.mounts)`,
    }));
}
