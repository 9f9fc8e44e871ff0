/**
 * The seed story (seeds/000): mads on laptop, Google Drive through programs.rclone with the
 * OAuth token in sops, a Drive mount in ~, an hourly sync of ~/git/work/customers. Built
 * with the shared plan builders, as the planner would produce it.
 */
import type { MountPlan, Plan, RemotePlan } from '../../../src/plan/model.js';
import { host, plan, rcloneJob, remote, sopsSecret, user } from '../../support/plan-builders.js';

export const rcloneToken = sopsSecret('rclone_token', { defaultPath: '~/.config/sops-nix/secrets/rclone_token' });

export const gdrive: RemotePlan = remote({
  name: 'gdrive',
  type: 'drive',
  options: [['scope', 'drive']],
  secrets: [{ option: 'token', secret: rcloneToken, obscure: false, refreshedByRclone: true }],
});

export const driveMount: MountPlan = {
  name: 'google-drive',
  remote: gdrive,
  path: '',
  mountPoint: '~/GoogleDrive',
  options: ['--vfs-cache-mode writes', '--dir-cache-time 5s'],
  automount: false,
  allowOther: false,
};

export function seedPlan(overrides: { configDirFromOutput?: string } = {}): Plan {
  const job = rcloneJob({
    name: 'backup-customers',
    runAs: { scope: 'user', user: 'mads' },
    schedule: { source: 'hourly', onCalendar: ['hourly'], cron: '0 * * * *' },
    source: { kind: 'path', path: '~/git/work/customers' },
    target: { remote: gdrive, path: 'Customers' },
    remotes: [gdrive],
    secrets: [rcloneToken],
    scriptPath: 'hosts/laptop/scripts/mads/backup-customers.sh',
  });
  const mads = user({ name: 'mads', mounts: [driveMount], jobs: [job], secrets: [rcloneToken], remotes: [gdrive] });
  return plan([host({ name: 'laptop', fuse: { userAllowOther: true }, users: [mads] })], {
    configDirFromOutput: overrides.configDirFromOutput ?? '..',
  });
}
