/**
 * Fields every job takes, whatever its engine.
 *
 * None of them carries a zod default: a job that leaves a field unset inherits it from the
 * `defaults` section, and only then from the built-in default (plan/job-defaults.ts). A zod
 * default here would make "unset" indistinguishable from "set to the default".
 */
import * as z from 'zod';
import { pathString, schedule, shellText, text, timespan } from './common.js';

/** The fields the `defaults` section may set for every job. */
export const inheritableJobFields = {
  schedule: schedule
    .optional()
    .describe('hourly | daily | weekly | monthly | "HH:MM" | systemd calendar ("Mon,Wed,Fri 03:00") | 5-field cron ("0 2 * * *"). Default: daily.'),
  randomDelay: timespan.optional().describe('systemd time span added at random to each start (`1h`, `30min`).'),
  persistent: z.boolean().optional().describe('Run at next boot if a run was missed. Default: true.'),
  onlyOnAC: z.boolean().optional().describe('Skip while on battery. Default: false.'),
  exclude: z.array(text()).optional().describe('rsync/rclone style exclude patterns. Default: [].'),
  before: shellText().optional().describe('Shell commands run before the backup.'),
  after: shellText().optional().describe('Shell commands run after a successful backup.'),
  notify: z.array(text()).optional().describe('Notifier names. Default: `defaults.notify`, else none.'),
  enable: z.boolean().optional().describe('false: the job is emitted but its timer is off. Default: true.'),
  verifySchedule: schedule
    .optional()
    .describe('Run `backup-verify --job <job>` on this schedule (its own timer, `backupgen-<job>-verify`); same forms as `schedule`. Default: none.'),
};

export const kubernetesVolume = z
  .strictObject({
    claim: text().min(1).describe('PersistentVolumeClaim name.'),
    mountPath: pathString.describe('Where the claim is mounted in the backup container.'),
    readOnly: z.boolean().default(false).describe('Mount the claim read-only. Default: false.'),
  })
  .describe('kubernetes hosts only: the volume the job backs up.');

export const jobCommonFields = {
  ...inheritableJobFields,
  runAfter: text().optional().describe('Name of a job on the same host (same scope): start when it has succeeded.'),
  user: text().min(1).optional().describe('System jobs only: run as this user. Default: root.'),
  volume: kubernetesVolume.optional(),
};

export const defaultsSection = z
  .strictObject(inheritableJobFields)
  .default({})
  .describe('Job fields inherited by every job unless the job sets them.');
