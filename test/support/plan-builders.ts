/**
 * Builders for plan objects in tests of emitters and scripts: realistic defaults, every field
 * overridable. They build what the planner would produce, so emitter tests do not depend on
 * the config front end. Shared by every test folder: extend, don't fork.
 */
import type {
  ArchiveJob,
  HostPlan,
  JobCommon,
  KubernetesHostPlan,
  Plan,
  RcloneJob,
  RemotePlan,
  SecretRef,
  SnapshotJob,
  UserPlan,
} from '../../src/plan/model.js';

export function envVarFor(secretName: string): string {
  return `BACKUPGEN_SECRET_${secretName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function sopsSecret(name: string, overrides: Partial<Extract<SecretRef, { provider: 'sops' }>> = {}): SecretRef {
  return {
    provider: 'sops',
    name,
    envVar: envVarFor(name),
    defaultPath: `/run/secrets/${name}`,
    sopsFile: 'secrets/shared.yaml',
    key: undefined,
    ...overrides,
  };
}

export function agenixSecret(name: string, overrides: Partial<Extract<SecretRef, { provider: 'agenix' }>> = {}): SecretRef {
  return {
    provider: 'agenix',
    name,
    envVar: envVarFor(name),
    defaultPath: `/run/agenix/${name}`,
    file: `secrets/${name}.age`,
    ...overrides,
  };
}

export function fileSecret(name: string, path: string): SecretRef {
  return { provider: 'file', name, envVar: envVarFor(name), defaultPath: path, path };
}

export function remote(overrides: Partial<RemotePlan> & Pick<RemotePlan, 'name' | 'type'>): RemotePlan {
  return { options: [], secrets: [], ...overrides };
}

function common(name: string, host: string, overrides: Partial<JobCommon>): JobCommon {
  return {
    name,
    unitName: `backupgen-${name}`,
    host,
    runAs: { scope: 'system', user: 'root' },
    schedule: { source: 'daily', onCalendar: ['daily'], cron: '0 0 * * *' },
    randomDelay: undefined,
    persistent: true,
    onlyOnAC: false,
    runAfter: undefined,
    exclude: [],
    before: undefined,
    after: undefined,
    notify: [],
    enable: true,
    secrets: [],
    needsNetwork: false,
    scriptPath: `hosts/${host}/scripts/${name}.sh`,
    runtimePath: `hosts/${host}/lib/runtime.sh`,
    ...overrides,
  };
}

export function snapshotJob(overrides: Partial<SnapshotJob> = {}, host = 'laptop'): SnapshotJob {
  const name = overrides.name ?? 'home';
  return {
    ...common(name, host, overrides),
    engine: 'snapshot',
    sources: ['/home', '/etc/nixos'],
    sourceMountpoints: [],
    maxShrink: { kind: 'percent', value: 50 },
    destination: { path: '/mnt/backup', requireMountpoint: false, minFreeGB: 0 },
    retention: { daily: 7, weekly: 4, monthly: 6 },
    preserve: { hardLinks: false, acls: false, xattrs: false },
    ...overrides,
  };
}

export function rcloneJob(overrides: Partial<RcloneJob> = {}, host = 'laptop'): RcloneJob {
  const name = overrides.name ?? 'offsite';
  const target = overrides.target ?? { remote: remote({ name: 'nas', type: 'local' }), path: '/srv/offsite' };
  return {
    ...common(name, host, { needsNetwork: true, ...overrides }),
    engine: 'rclone',
    mode: 'sync',
    source: { kind: 'path', path: '/mnt/backup/laptop/latest' },
    target,
    bwlimit: undefined,
    transfers: undefined,
    checkers: undefined,
    verify: 'none',
    maxDelete: undefined,
    backupDir: false,
    remotes: [target.remote],
    ...overrides,
  };
}

export function archiveJob(overrides: Partial<ArchiveJob> = {}, host = 'server'): ArchiveJob {
  const name = overrides.name ?? 'myapp';
  return {
    ...common(name, host, overrides),
    engine: 'archive',
    sources: ['/var/lib/myapp/config', '/var/lib/myapp/data'],
    sourceMountpoints: [],
    maxShrink: { kind: 'percent', value: 50 },
    stopServices: [],
    format: 'tar.zst',
    destinations: [{ kind: 'local', path: '/var/backups/myapp' }],
    retention: { keep: 10, maxAgeDays: 30 },
    owner: undefined,
    remotes: [],
    ...overrides,
  };
}

export function user(overrides: Partial<UserPlan> & Pick<UserPlan, 'name'>): UserPlan {
  return { mounts: [], jobs: [], secrets: [], remotes: [], ...overrides };
}

export function host(overrides: Partial<HostPlan> & Pick<HostPlan, 'name'>): HostPlan {
  return {
    kind: 'nixos',
    fuse: undefined,
    mounts: [],
    jobs: [],
    users: [],
    secrets: [],
    remotes: [],
    // The planner sets `kubernetes` exactly for kubernetes hosts, defaults applied.
    kubernetes: overrides.kind === 'kubernetes' ? kubernetesHost() : undefined,
    ...overrides,
  };
}

export function kubernetesHost(overrides: Partial<KubernetesHostPlan> = {}): KubernetesHostPlan {
  return {
    namespace: 'apps',
    image: 'backupgen-runner:debian12',
    timeZone: undefined,
    stateClaim: { name: 'backupgen-state', emitted: true },
    runAsUser: 65532,
    ...overrides,
  };
}

export function plan(hosts: readonly HostPlan[], overrides: Partial<Plan> = {}): Plan {
  return {
    version: 1,
    sourceFile: 'backupgen.yaml',
    configDirFromOutput: '..',
    hosts,
    notifiers: [],
    monitoring: { prometheus: undefined },
    ...overrides,
  };
}
