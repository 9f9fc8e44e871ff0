/** The engine-independent part of a JobPlan. */
import { parseSchedule } from '../config/schedule.js';
import { parseTimespan } from '../config/timespan.js';
import type { JobSite } from '../config/rules/walk.js';
import type { BackupgenConfig } from '../config/schema/config.js';
import type { JobCommon, RemotePlan, Schedule } from './model.js';
import { inheritedFields } from './job-defaults.js';
import { notifierNeedsNetwork, notifierSecrets, planNotifier } from './notifiers.js';
import { sortedUniqueByName } from './sorted.js';

export function unitNameOf(job: string): string {
  return `backupgen-${job}`;
}

/** docs/conventions.md: system `hosts/<host>/scripts/<job>.sh`, user `.../scripts/<user>/<job>.sh`. */
export function scriptPathOf(site: Pick<JobSite, 'hostName' | 'scope' | 'name'>): string {
  const userDir = site.scope.kind === 'user' ? `${site.scope.user}/` : '';
  return `hosts/${site.hostName}/scripts/${userDir}${site.name}.sh`;
}

/** docs/conventions.md: `hosts/<host>/lib/runtime.sh`, shared by the host's system and user jobs. */
export function runtimePathOf(hostName: string): string {
  return `hosts/${hostName}/lib/runtime.sh`;
}

export function planSchedule(text: string): Schedule {
  const parsed = parseSchedule(text);
  if (!parsed.ok) throw new Error(`planner: invalid schedule reached the planner: ${parsed.error}`);
  return parsed.schedule;
}

export function normalizeTimespan(text: string): string {
  const parsed = parseTimespan(text);
  if (!parsed.ok) throw new Error(`planner: invalid time span reached the planner: ${parsed.error}`);
  return parsed.normalized;
}

/**
 * @param remotes every remote the job's rclone config needs (their secrets are the job's)
 * @param engineNeedsNetwork whether the engine itself transfers over the network
 */
export function planJobCommon(
  config: BackupgenConfig,
  site: JobSite,
  remotes: readonly RemotePlan[],
  engineNeedsNetwork: boolean,
): JobCommon {
  const fields = inheritedFields(config, site.job);
  const scope = site.scope.kind;
  const notify = fields.notify.map((name) => planNotifier(config, name, scope));
  const secrets = sortedUniqueByName([...remotes.flatMap((r) => r.secrets.map((s) => s.secret)), ...notify.flatMap(notifierSecrets)]);
  const runAfter = site.job.runAfter;
  const volume = site.job.volume;
  return {
    name: site.name,
    unitName: unitNameOf(site.name),
    host: site.hostName,
    runAs: { scope, user: site.scope.kind === 'user' ? site.scope.user : (site.job.user ?? 'root') },
    schedule: planSchedule(fields.schedule),
    randomDelay: fields.randomDelay === undefined ? undefined : normalizeTimespan(fields.randomDelay),
    persistent: fields.persistent,
    onlyOnAC: fields.onlyOnAC,
    runAfter: runAfter === undefined ? undefined : { job: runAfter, unitName: unitNameOf(runAfter) },
    exclude: fields.exclude,
    before: fields.before,
    after: fields.after,
    notify,
    enable: fields.enable,
    secrets,
    // A failure notification that cannot reach its webhook is lost, so notifiers count too.
    needsNetwork: engineNeedsNetwork || notify.some(notifierNeedsNetwork),
    scriptPath: scriptPathOf(site),
    runtimePath: runtimePathOf(site.hostName),
    // A kubernetes host has no host tools (nothing of backupgen runs outside the pods), so no
    // verify units: a job's own verifySchedule is refused there (config rule), the default's
    // does not reach its jobs.
    ...(fields.verifySchedule === undefined || site.host.kind === 'kubernetes' ? {} : { verifySchedule: planSchedule(fields.verifySchedule) }),
    ...(volume === undefined ? {} : { volume: { claim: volume.claim, mountPath: volume.mountPath, readOnly: volume.readOnly } }),
  };
}
