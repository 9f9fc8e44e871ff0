/**
 * Where things are inside a backupgen pod, and what the Kubernetes objects are called. The
 * container sees the same layout as a host's output folder (`scripts/<job>.sh` beside
 * `lib/runtime.sh`), so a job script finds its runtime library exactly as when run by hand
 * (docs/conventions.md "Names"), and the same state/scratch variables as under systemd.
 */
import type { HostPlan, JobPlan } from '../../plan/model.js';

/** Output folder of a kubernetes host: `hosts/<host>/kubernetes/`. */
export const kubernetesDir = (host: string): string => `hosts/${host}/kubernetes`;

/** The ConfigMap holding the runtime library and the job scripts. */
export const SCRIPTS_CONFIG_MAP = 'backupgen-scripts';
/** The Secret the user creates (create-secrets.sh): one key per backupgen secret name. */
export const SECRETS_SECRET = 'backupgen-secrets';

/** Mount points inside the container. */
export const POD_PATHS = {
  /** The ConfigMap: `scripts/<job>.sh`, `lib/runtime.sh`. */
  scripts: '/etc/backupgen',
  /** STATE_DIRECTORY: status files, locks, rclone's refreshed tokens (a PVC). */
  state: '/var/lib/backupgen',
  /** RUNTIME_DIRECTORY: per-job scratch (an emptyDir, one subPath per job). */
  runtime: '/run/backupgen',
  /** HOME and TMPDIR (an emptyDir): the root filesystem is read-only. */
  tmp: '/tmp',
  /** The job's secrets as files, as sops-nix lays them out on NixOS (`/run/secrets/<name>`). */
  secrets: '/run/secrets',
} as const;

/** ConfigMap keys ([-._a-zA-Z0-9]; the prefixes keep a job called `runtime` apart from the library). */
export const RUNTIME_KEY = 'lib.runtime.sh';
export const scriptKey = (job: JobPlan): string => `scripts.${job.name}.sh`;
/** The file a key becomes inside the ConfigMap volume (`items[].path`). */
export const RUNTIME_FILE = 'lib/runtime.sh';
export const scriptFile = (job: JobPlan): string => `scripts/${job.name}.sh`;

/** What the container runs: bash reads the script (a ConfigMap volume is not executable). */
export const jobCommand = (job: JobPlan): string[] => ['bash', `${POD_PATHS.scripts}/${scriptFile(job)}`];

/** Labels on every object backupgen emits; a job's objects add `component: <job>`. */
export const BASE_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'backupgen', 'app.kubernetes.io/managed-by': 'backupgen' };
export const jobLabels = (job: JobPlan): Record<string, string> => ({ ...BASE_LABELS, 'app.kubernetes.io/component': job.name });

/** The CronJob of a chain is named after its first job: `backupgen-<job>` (the unit name). */
export const cronJobName = (job: JobPlan): string => job.unitName;

/**
 * A host's jobs as the CronJobs run them: one chain per job without `runAfter`, holding it
 * and, depth first in config order, every job that runs after it. A pod runs the chain's
 * steps one after another (init containers, then the main container), and a step starts only
 * when every step before it succeeded.
 */
export function jobChains(host: HostPlan): JobPlan[][] {
  const followers = (job: JobPlan): JobPlan[] =>
    host.jobs.filter((j) => j.runAfter?.job === job.name).flatMap((j) => [j, ...followers(j)]);
  return host.jobs.filter((job) => job.runAfter === undefined).map((root) => [root, ...followers(root)]);
}
