/** The `hosts` section: one entry per machine (or cluster). */
import * as z from 'zod';
import { pathString, text } from './common.js';
import { jobsSection } from './jobs.js';

export const mount = z
  .strictObject({
    remote: text().min(1).describe('A remote name.'),
    path: text().default('').describe('Path inside the remote; empty for its root.'),
    mountPoint: pathString.describe('Where to mount (`~/` allowed for user mounts).'),
    options: z.array(text()).default([]).describe('Extra `rclone mount` arguments (`--vfs-cache-mode writes`).'),
    automount: z.boolean().default(false).describe('Mount on first access instead of at start-up. Default: false.'),
  })
  .describe('An rclone mount.');

const mountsSection = z.record(text(), mount).default({}).describe('rclone mounts keyed by name.');

const user = z
  .strictObject({ mounts: mountsSection, jobs: jobsSection })
  .describe("A user's own mounts and jobs, emitted as a home-manager module (systemd --user).");

export const host = z
  .strictObject({
    kind: z.enum(['nixos', 'systemd', 'kubernetes']).default('nixos').describe('nixos (default) | systemd (any Linux, plain units) | kubernetes.'),
    fuse: z
      .strictObject({ userAllowOther: z.boolean().default(false).describe('programs.fuse.userAllowOther; needed for `--allow-other`.') })
      .optional(),
    namespace: text().min(1).optional().describe('kubernetes: namespace of the CronJobs. Default: default.'),
    image: text()
      .min(1)
      .optional()
      .describe('kubernetes: container image that runs the jobs. Default: backupgen-runner:debian12, built from the emitted Containerfile.'),
    timeZone: text()
      .regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, 'expected an IANA time zone name such as `Europe/Berlin`')
      .optional()
      .describe('kubernetes: time zone of the CronJob schedules (CronJob `timeZone`). Default: the cluster\'s (usually UTC).'),
    stateClaim: text()
      .min(1)
      .optional()
      .describe('kubernetes: an existing PersistentVolumeClaim for the jobs\' state (status files, refreshed OAuth tokens). Default: backupgen emits a 64Mi claim `backupgen-state`.'),
    runAsUser: z
      .int()
      .min(0)
      .optional()
      .describe('kubernetes: uid the job containers run as. Default: 65532 (non-root). 0 runs as root, for sources only root can read or archives with `owner`.'),
    mounts: mountsSection,
    jobs: jobsSection,
    users: z.record(text(), user).default({}).describe('Users whose jobs and mounts go into home-manager modules.'),
  })
  .describe('A machine or cluster.');

export const hostsSection = z.record(text(), host).default({}).describe('One entry per machine, keyed by host name.');

export type HostConfig = z.output<typeof host>;
export type MountConfig = z.output<typeof mount>;
