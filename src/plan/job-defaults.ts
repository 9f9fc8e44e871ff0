/**
 * Job fields after inheritance: the job's own value, else the `defaults` section's, else
 * the built-in default of config.md.
 */
import type { BackupgenConfig } from '../config/schema/config.js';
import type { JobConfig } from '../config/schema/jobs.js';

export interface InheritedFields {
  readonly schedule: string;
  readonly randomDelay: string | undefined;
  readonly persistent: boolean;
  readonly onlyOnAC: boolean;
  readonly exclude: readonly string[];
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly notify: readonly string[];
  readonly enable: boolean;
  readonly verifySchedule: string | undefined;
}

export const BUILT_IN_DEFAULTS = {
  schedule: 'daily',
  persistent: true,
  onlyOnAC: false,
  exclude: [] as readonly string[],
  notify: [] as readonly string[],
  enable: true,
} as const;

export function inheritedFields(config: BackupgenConfig, job: JobConfig): InheritedFields {
  const d = config.defaults;
  return {
    schedule: job.schedule ?? d.schedule ?? BUILT_IN_DEFAULTS.schedule,
    randomDelay: job.randomDelay ?? d.randomDelay,
    persistent: job.persistent ?? d.persistent ?? BUILT_IN_DEFAULTS.persistent,
    onlyOnAC: job.onlyOnAC ?? d.onlyOnAC ?? BUILT_IN_DEFAULTS.onlyOnAC,
    exclude: job.exclude ?? d.exclude ?? BUILT_IN_DEFAULTS.exclude,
    before: job.before ?? d.before,
    after: job.after ?? d.after,
    notify: job.notify ?? d.notify ?? BUILT_IN_DEFAULTS.notify,
    enable: job.enable ?? d.enable ?? BUILT_IN_DEFAULTS.enable,
    verifySchedule: job.verifySchedule ?? d.verifySchedule,
  };
}
