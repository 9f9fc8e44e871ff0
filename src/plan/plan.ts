/**
 * Validated config -> Plan (model.ts): plain, deterministic data. No I/O, no printing; the
 * config has passed the schema and the rules, so anything unresolvable here is a bug.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import { eachJob, eachMount, type JobSite, type MountSite } from '../config/rules/walk.js';
import { hasAllowOther } from '../config/rules/mounts.js';
import type { BackupgenConfig } from '../config/schema/config.js';
import type { HostConfig } from '../config/schema/hosts.js';
import type { HostPlan, JobPlan, KubernetesHostPlan, MountPlan, Plan, RemotePlan, UserPlan } from './model.js';
import { normalizeTimespan } from './job-common.js';
import { planJob } from './jobs.js';
import { planNotifier } from './notifiers.js';
import { planRemote, withWrappedRemotes } from './remotes.js';
import { sortedUniqueByName } from './sorted.js';

export interface PlanOptions {
  /** The config file (absolute, or relative to the working directory). */
  readonly configPath: string;
  /** The output root the emitted files go to. */
  readonly outDir: string;
}

export function planConfig(config: BackupgenConfig, options: PlanOptions): Plan {
  const jobs = eachJob(config);
  const mounts = eachMount(config);
  const prometheus = config.monitoring.prometheus;
  return {
    version: 1,
    sourceFile: basename(options.configPath),
    configDirFromOutput: configDirFromOutput(options),
    hosts: Object.entries(config.hosts).map(([name, host]): HostPlan => {
      const inHost = <T extends JobSite | MountSite>(site: T): boolean => site.hostName === name;
      const system = <T extends JobSite | MountSite>(site: T): boolean => inHost(site) && site.scope.kind === 'system';
      const scopeJobs = jobs.filter(system).map((site) => planJob(config, site));
      const scopeMounts = mounts.filter(system).map((site) => planMount(config, site));
      return {
        name,
        kind: host.kind,
        fuse: host.fuse === undefined ? undefined : { userAllowOther: host.fuse.userAllowOther },
        mounts: scopeMounts,
        jobs: scopeJobs,
        users: Object.keys(host.users).map((user) => {
          const mine = <T extends JobSite | MountSite>(site: T): boolean =>
            inHost(site) && site.scope.kind === 'user' && site.scope.user === user;
          return planUser(config, user, jobs.filter(mine).map((s) => planJob(config, s)), mounts.filter(mine).map((s) => planMount(config, s)));
        }),
        ...scopeResources(config, scopeJobs, scopeMounts, 'system'),
        kubernetes: host.kind === 'kubernetes' ? planKubernetesHost(host) : undefined,
      };
    }),
    notifiers: Object.keys(config.notifiers).map((name) => planNotifier(config, name, 'system')),
    monitoring: {
      prometheus: prometheus === undefined ? undefined : { textfileDir: prometheus.textfileDir, staleAfter: normalizeTimespan(prometheus.staleAfter) },
    },
  };
}

/** The defaults of config.md's kubernetes keys (README "Kubernetes"). */
export const KUBERNETES_DEFAULTS = { namespace: 'default', image: 'backupgen-runner:debian12', stateClaim: 'backupgen-state', runAsUser: 65532 } as const;

function planKubernetesHost(host: HostConfig): KubernetesHostPlan {
  return {
    namespace: host.namespace ?? KUBERNETES_DEFAULTS.namespace,
    image: host.image ?? KUBERNETES_DEFAULTS.image,
    timeZone: host.timeZone,
    stateClaim: host.stateClaim === undefined ? { name: KUBERNETES_DEFAULTS.stateClaim, emitted: true } : { name: host.stateClaim, emitted: false },
    runAsUser: host.runAsUser ?? KUBERNETES_DEFAULTS.runAsUser,
  };
}

/** Posix path from the output root to the config's directory ("..", ".", "../.."). */
export function configDirFromOutput({ configPath, outDir }: PlanOptions): string {
  const path = relative(resolve(outDir), dirname(resolve(configPath))).split('\\').join('/');
  return path === '' ? '.' : path;
}

function planUser(config: BackupgenConfig, name: string, jobs: JobPlan[], mounts: MountPlan[]): UserPlan {
  return { name, mounts, jobs, ...scopeResources(config, jobs, mounts, 'user') };
}

/** Secrets and remotes a scope (system, or one user) needs: its jobs' and mounts', sorted. */
function scopeResources(config: BackupgenConfig, jobs: readonly JobPlan[], mounts: readonly MountPlan[], scope: 'system' | 'user') {
  const jobRemotes = jobs.flatMap((job): readonly RemotePlan[] => (job.engine === 'snapshot' ? [] : job.remotes));
  const remotes = withWrappedRemotes(config, [...jobRemotes, ...mounts.map((m) => m.remote)], scope);
  const secrets = sortedUniqueByName([...jobs.flatMap((job) => job.secrets), ...remotes.flatMap((r) => r.secrets.map((s) => s.secret))]);
  return { secrets, remotes };
}

function planMount(config: BackupgenConfig, site: MountSite): MountPlan {
  const { mount } = site;
  return {
    name: site.name,
    remote: planRemote(config, mount.remote, site.scope.kind),
    path: mount.path,
    mountPoint: mount.mountPoint,
    options: mount.options,
    automount: mount.automount,
    allowOther: hasAllowOther(mount.options),
  };
}
