/**
 * What a job needs to run as a Kubernetes CronJob (src/emit/kubernetes/): a name the API
 * accepts, a schedule cron can say, local paths inside the volume the pod mounts, and none
 * of the host-only features a container lacks (systemd units to stop, a local user name).
 */
import type { IssuePath, PathIssue } from '../errors.js';
import { parseSchedule } from '../schedule.js';
import type { BackupgenConfig } from '../schema/config.js';
import { eachJob, type JobSite } from './walk.js';

/**
 * A job's CronJob is `backupgen-<job>` and its container `<job>`: a container name is an
 * RFC 1123 label, and a CronJob name may have at most 52 characters (the controller appends
 * an 11-character suffix to name its Jobs, which must stay within a 63-character label).
 */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_JOB_NAME = 52 - 'backupgen-'.length;

/** RFC 1123 subdomain: what Kubernetes takes as an object name (a claim's). */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const kubernetesJobs = (config: BackupgenConfig): JobSite[] => eachJob(config).filter((site) => site.host.kind === 'kubernetes');

export function kubernetesJobNames(config: BackupgenConfig): PathIssue[] {
  return kubernetesJobs(config).flatMap(({ name, path }) => {
    if (!LABEL.test(name)) {
      return [{ path, message: `job name ${JSON.stringify(name)} on a kubernetes host must be lower-case letters, digits and \`-\`, starting and ending with a letter or digit` }];
    }
    if (name.length > MAX_JOB_NAME) return [{ path, message: `job name ${JSON.stringify(name)} is longer than ${MAX_JOB_NAME} characters (its CronJob is backupgen-<job>)` }];
    return [];
  });
}

/** Names the manifests carry as they are: the namespace (a label) and claims (subdomains). */
export function kubernetesNamesAreValid(config: BackupgenConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [name, host] of Object.entries(config.hosts)) {
    if (host.kind !== 'kubernetes') continue;
    if (host.namespace !== undefined && !(LABEL.test(host.namespace) && host.namespace.length <= 63)) {
      issues.push({ path: ['hosts', name, 'namespace'], message: `namespace ${JSON.stringify(host.namespace)} must be lower-case letters, digits and \`-\` (at most 63), starting and ending with a letter or digit` });
    }
    if (host.stateClaim !== undefined && !isSubdomain(host.stateClaim)) issues.push({ path: ['hosts', name, 'stateClaim'], message: claimMessage(host.stateClaim) });
  }
  for (const { job, path } of kubernetesJobs(config)) {
    if (job.volume !== undefined && !isSubdomain(job.volume.claim)) issues.push({ path: [...path, 'volume', 'claim'], message: claimMessage(job.volume.claim) });
  }
  return issues;
}

const isSubdomain = (name: string): boolean => SUBDOMAIN.test(name) && name.length <= 253;
const claimMessage = (name: string): string =>
  `claim name ${JSON.stringify(name)} is not a Kubernetes object name (lower-case letters, digits, \`-\` and \`.\`, starting and ending with a letter or digit)`;

/**
 * A CronJob's schedule is cron; a systemd calendar without a cron form is refused here
 * rather than emitted as something that fires at other times. A `runAfter` job has no
 * schedule of its own: it runs in its predecessor's pod.
 */
export function kubernetesSchedulesAreCron(config: BackupgenConfig): PathIssue[] {
  return kubernetesJobs(config).flatMap(({ job, path }) => {
    if (job.runAfter !== undefined) return [];
    const own = job.schedule !== undefined;
    const text = job.schedule ?? config.defaults.schedule;
    if (text === undefined) return [];
    const parsed = parseSchedule(text);
    if (!parsed.ok || parsed.schedule.cron !== undefined) return [];
    const where: IssuePath = own ? [...path, 'schedule'] : ['defaults', 'schedule'];
    return [{
      path: where,
      message: `schedule ${JSON.stringify(text)} has no cron form backupgen knows, and a kubernetes CronJob needs one; write hourly, daily, weekly, monthly, "HH:MM" or a 5-field cron line (day of week 0-6)`,
    }];
  });
}

/**
 * Host-only features: no systemd in a pod, no host tools (backup-verify) beside the pods,
 * and the container's uid is the host's `runAsUser`.
 */
export function kubernetesJobsUseNoHostFeatures(config: BackupgenConfig): PathIssue[] {
  return kubernetesJobs(config).flatMap(({ host, job, path }) => {
    const issues: PathIssue[] = [];
    if (job.user !== undefined) issues.push({ path: [...path, 'user'], message: 'on a kubernetes host the jobs run as the host\'s `runAsUser`, not as a named `user`' });
    if (job.engine === 'archive' && job.stopServices.length > 0) {
      issues.push({ path: [...path, 'stopServices'], message: 'a kubernetes pod has no systemd units to stop; scale the workload down in a `before` hook instead' });
    }
    if (job.verifySchedule !== undefined) {
      issues.push({ path: [...path, 'verifySchedule'], message: 'a kubernetes host has no host tools, so nothing runs backup-verify on a schedule there; leave `verifySchedule` out (`defaults.verifySchedule` skips kubernetes jobs)' });
    }
    if (job.engine === 'archive' && job.owner !== undefined && host.runAsUser !== 0) {
      issues.push({ path: [...path, 'owner'], message: 'changing the owner of archives needs root: set the host\'s `runAsUser: 0`' });
    }
    return issues;
  });
}

/**
 * A pod's root filesystem is read-only and gone after the run, so every local path a job
 * reads or writes must lie inside the volume mounted for it, and one it writes needs that
 * volume writable.
 */
export function kubernetesPathsAreInVolume(config: BackupgenConfig): PathIssue[] {
  return kubernetesJobs(config).flatMap(({ job, path }) => {
    const used: { value: string; where: IssuePath; writes: boolean }[] = [];
    if (job.engine === 'snapshot' || job.engine === 'archive') job.sources.forEach((s, i) =>
        typeof s === 'string'
          ? used.push({ value: s, where: [...path, 'sources', i], writes: false })
          : used.push({ value: s.path, where: [...path, 'sources', i, 'path'], writes: false }),
      );
    if (job.engine === 'snapshot') used.push({ value: job.destination.path, where: [...path, 'destination', 'path'], writes: true });
    if (job.engine === 'archive') {
      job.destinations.forEach((d, i) => d.remote === undefined && used.push({ value: d.path, where: [...path, 'destinations', i, 'path'], writes: true }));
    }
    if (job.engine === 'rclone' && typeof job.source === 'string') used.push({ value: job.source, where: [...path, 'source'], writes: job.mode === 'move' });
    const volume = job.volume;
    return used.flatMap(({ value, where, writes }): PathIssue[] => {
      if (volume === undefined) return [{ path: where, message: `${JSON.stringify(value)} is a local path, and a job on a kubernetes host sees only its \`volume\`: add one that holds it` }];
      if (!isInside(value, volume.mountPath)) return [{ path: where, message: `${JSON.stringify(value)} is outside the job's volume (mounted at ${JSON.stringify(volume.mountPath)})` }];
      if (writes && volume.readOnly) return [{ path: where, message: `the job writes to ${JSON.stringify(value)}, but its volume is \`readOnly\`` }];
      return [];
    });
  });
}

function isInside(path: string, mountPath: string): boolean {
  const base = mountPath.replace(/\/+$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/**
 * Every host's objects carry fixed names (`backupgen-scripts`, `backupgen-state`,
 * `backupgen-secrets`, `backupgen-<job>`), so two kubernetes hosts in one namespace would
 * overwrite each other's.
 */
export function kubernetesNamespacesAreDistinct(config: BackupgenConfig): PathIssue[] {
  const seen = new Map<string, string>();
  return Object.entries(config.hosts).flatMap(([name, host]): PathIssue[] => {
    if (host.kind !== 'kubernetes') return [];
    const namespace = host.namespace ?? 'default';
    const first = seen.get(namespace);
    if (first === undefined) {
      seen.set(namespace, name);
      return [];
    }
    const where: IssuePath = host.namespace === undefined ? ['hosts', name] : ['hosts', name, 'namespace'];
    return [{ path: where, message: `namespace \`${namespace}\` is already host \`${first}\`'s; each kubernetes host needs its own` }];
  });
}
