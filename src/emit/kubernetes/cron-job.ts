/**
 * One `batch/v1` CronJob per job chain (layout.ts jobChains): the chain's first job's
 * schedule, one container per job, run in order. Kubernetes runs init containers one after
 * another and starts the next only when the previous exited 0; with `restartPolicy: Never` a
 * failed step fails the pod, so a `runAfter` job never runs after a failure (README
 * "Kubernetes"). The pod is locked down as far as the job allows: non-root, read-only root
 * filesystem, no capabilities, RuntimeDefault seccomp, writable only where a volume says so.
 */
import type { JobPlan, KubernetesHostPlan } from '../../plan/model.js';
import { cronJobName, jobCommand, jobLabels, POD_PATHS, RUNTIME_FILE, RUNTIME_KEY, SCRIPTS_CONFIG_MAP, SECRETS_SECRET, scriptFile, scriptKey } from './layout.js';

/**
 * A missed run (controller down, cluster busy) still starts within this many seconds of its
 * time when the job is `persistent`, like systemd's Persistent=; otherwise within 5 minutes.
 * It also bounds the catch-up: without it, a CronJob that missed over 100 schedules stops.
 */
const STARTING_DEADLINE = { persistent: 6 * 3600, notPersistent: 300 };
/** A run taking longer is killed (and fails): a hung transfer must not hold the next day's run. */
const ACTIVE_DEADLINE_SECONDS = 12 * 3600;
/** One retry in a new pod: a transient network error should not cost a day's backup. */
const BACKOFF_LIMIT = 1;
/** What the scheduler reserves; no limits, since an archive's compressor uses what it gets. */
const REQUESTS = { cpu: '100m', memory: '128Mi' };
/** Capabilities root keeps when `runAsUser: 0`: read every file, set archive owners. */
const ROOT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER'];

export function cronJob(k8s: KubernetesHostPlan, chain: readonly JobPlan[]): object {
  const first = chain[0]!;
  const claims = claimNames(chain);
  const containers = chain.map((job) => container(k8s, job, claims));
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: cronJobName(first), namespace: k8s.namespace, labels: jobLabels(first) },
    spec: {
      // Validation refuses a schedule without a cron form on kubernetes hosts.
      schedule: first.schedule.cron ?? '',
      ...(k8s.timeZone === undefined ? {} : { timeZone: k8s.timeZone }),
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: first.persistent ? STARTING_DEADLINE.persistent : STARTING_DEADLINE.notPersistent,
      suspend: !first.enable,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: jobLabels(first) },
        spec: {
          backoffLimit: BACKOFF_LIMIT,
          activeDeadlineSeconds: ACTIVE_DEADLINE_SECONDS,
          template: {
            metadata: { labels: jobLabels(first) },
            spec: {
              restartPolicy: 'Never',
              securityContext: podSecurityContext(k8s),
              ...(containers.length > 1 ? { initContainers: containers.slice(0, -1) } : {}),
              containers: containers.slice(-1),
              volumes: volumes(k8s, chain, claims),
            },
          },
        },
      },
    },
  };
}

function podSecurityContext(k8s: KubernetesHostPlan): object {
  const seccompProfile = { type: 'RuntimeDefault' };
  if (k8s.runAsUser === 0) return { runAsUser: 0, runAsGroup: 0, seccompProfile };
  // fsGroup: the state claim and the secret files become readable/writable by the group.
  // OnRootMismatch: the state claim is walked only when its top folder's group is not ours yet.
  return { runAsNonRoot: true, runAsUser: k8s.runAsUser, runAsGroup: k8s.runAsUser, fsGroup: k8s.runAsUser, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile };
}

function container(k8s: KubernetesHostPlan, job: JobPlan, claims: readonly string[]): object {
  return {
    name: job.name,
    image: k8s.image,
    imagePullPolicy: 'IfNotPresent',
    command: jobCommand(job),
    env: containerEnv(job),
    resources: { requests: REQUESTS },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: k8s.runAsUser === 0 ? { drop: ['ALL'], add: ROOT_CAPABILITIES } : { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'scripts', mountPath: POD_PATHS.scripts, readOnly: true },
      { name: 'state', mountPath: POD_PATHS.state },
      { name: 'scratch', mountPath: POD_PATHS.runtime, subPath: `runtime-${job.name}` },
      { name: 'scratch', mountPath: POD_PATHS.tmp, subPath: 'tmp' },
      ...(job.secrets.length > 0 ? [{ name: secretsVolume(job), mountPath: POD_PATHS.secrets, readOnly: true }] : []),
      ...(job.volume === undefined ? [] : [{ name: claimVolume(claims, job.volume.claim), mountPath: job.volume.mountPath, readOnly: job.volume.readOnly }]),
    ],
  };
}

/**
 * The variables the runtime reads (docs/conventions.md "Directories a job uses at run time"),
 * HOME/TMPDIR on the scratch volume, and each secret's path (BACKUPGEN_SECRET_<NAME>).
 */
export function containerEnv(job: JobPlan): { name: string; value: string }[] {
  return [
    { name: 'STATE_DIRECTORY', value: POD_PATHS.state },
    { name: 'RUNTIME_DIRECTORY', value: POD_PATHS.runtime },
    { name: 'HOME', value: POD_PATHS.tmp },
    { name: 'TMPDIR', value: POD_PATHS.tmp },
    ...job.secrets.map((secret) => ({ name: secret.envVar, value: `${POD_PATHS.secrets}/${secret.name}` })),
  ];
}

const secretsVolume = (job: JobPlan): string => `secrets-${job.name}`;

/** Claims in order of first use; the same claim used by two steps is one volume. */
function claimNames(chain: readonly JobPlan[]): string[] {
  return [...new Set(chain.flatMap((job) => (job.volume === undefined ? [] : [job.volume.claim])))];
}

const onlyRead = (chain: readonly JobPlan[], claim: string): boolean =>
  chain.every((job) => job.volume === undefined || job.volume.claim !== claim || job.volume.readOnly);

/** A volume name is an RFC 1123 label, which a claim name (dots, 253 characters) need not be. */
function claimVolume(claims: readonly string[], claim: string): string {
  return `claim-${claims.indexOf(claim)}`;
}

function volumes(k8s: KubernetesHostPlan, chain: readonly JobPlan[], claims: readonly string[]): object[] {
  return [
    {
      name: 'scripts',
      configMap: {
        name: SCRIPTS_CONFIG_MAP,
        // Only this chain's scripts: items lay them out as scripts/<job>.sh beside lib/runtime.sh.
        items: [{ key: RUNTIME_KEY, path: RUNTIME_FILE }, ...chain.map((job) => ({ key: scriptKey(job), path: scriptFile(job) }))],
        defaultMode: 0o444,
      },
    },
    { name: 'state', persistentVolumeClaim: { claimName: k8s.stateClaim.name } },
    { name: 'scratch', emptyDir: {} },
    ...chain.flatMap((job) =>
      job.secrets.length === 0
        ? []
        : [{
            name: secretsVolume(job),
            secret: {
              secretName: SECRETS_SECRET,
              items: job.secrets.map((secret) => ({ key: secret.name, path: secret.name })),
              // 0440: owner root, group fsGroup (the job's uid); nobody else.
              defaultMode: 0o440,
            },
          }],
    ),
    ...claims.map((claim) => ({
      name: claimVolume(claims, claim),
      // Read-only at the source too when every step only reads it: the kubelet then leaves
      // its files' owners alone (fsGroup is applied only to volumes mounted writable).
      persistentVolumeClaim: onlyRead(chain, claim) ? { claimName: claim, readOnly: true } : { claimName: claim },
    })),
  ];
}
