/**
 * The kubernetes target (src/emit/kubernetes/): every manifest it writes is checked against
 * the official Kubernetes OpenAPI schema (npm kubernetes-models validates each model with it)
 * and built by the real kustomize (`kubectl kustomize`); a broken manifest must fail both.
 * Also: the ConfigMap holds exactly the scripts target's text, chains and schedules, the
 * secrets wiring, create-secrets.sh run for real (shellcheck, then with a stand-in sops and
 * the real kubectl's client-side `create secret`), and the Containerfile's Debian packages.
 */
import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { emitKubernetes } from '../../../src/emit/kubernetes/index.js';
import { renderJobScript } from '../../../src/emit/scripts/job-script.js';
import { renderRuntimeLibrary } from '../../../src/emit/scripts/runtime-library.js';
import type { GeneratedFile } from '../../../src/emit/types.js';
import type { HostPlan, Plan } from '../../../src/plan/model.js';
import { archiveJob, host, kubernetesHost, plan, rcloneJob, remote, sopsSecret, agenixSecret, fileSecret } from '../../support/plan-builders.js';
import { shellcheck } from '../../runtime/support/shellcheck.js';

const GOLDEN_DIR = 'test/golden/homelab-k8s/hosts/cluster/kubernetes';

/** Validates one parsed manifest with the model of its kind; throws with the schema's message. */
function validateManifest(manifest: object): void {
  const doc = manifest as { apiVersion?: string; kind?: string };
  const models: Record<string, new (data: never) => { validate(): void }> = {
    'batch/v1/CronJob': CronJob,
    'v1/ConfigMap': ConfigMap,
    'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  };
  const Model = models[`${doc.apiVersion}/${doc.kind}`];
  if (Model === undefined) throw new Error(`no model for ${doc.apiVersion}/${doc.kind}`);
  new Model(doc as never).validate();
}

/** The model type of each kind, for the strict-fields check: [module, interface]. */
const TYPES: Record<string, readonly [string, string]> = {
  CronJob: ['kubernetes-models/batch/v1/CronJob', 'ICronJob'],
  ConfigMap: ['kubernetes-models/v1/ConfigMap', 'IConfigMap'],
  PersistentVolumeClaim: ['kubernetes-models/v1/PersistentVolumeClaim', 'IPersistentVolumeClaim'],
};

/**
 * The JSON schema accepts fields it does not know; the API server's strict field validation
 * (kubectl's default) does not. The models' TypeScript types list every field, and an object
 * literal with one they lack is an error (excess property check), so each manifest becomes a
 * typed constant and the real compiler reads them. Returns tsc's error lines.
 */
async function unknownFields(manifests: readonly object[]): Promise<string[]> {
  // Inside the repository, so that `kubernetes-models` resolves from its node_modules.
  const dir = await mkdtemp(join(process.cwd(), '.tmp-k8s-types-'));
  try {
    const lines = manifests.map((m, i) => {
      const [module, type] = TYPES[(m as { kind: string }).kind]!;
      return `import type { ${type} as T${i} } from '${module}';\nexport const m${i}: T${i} = ${JSON.stringify(m)};`;
    });
    await writeFile(join(dir, 'manifests.ts'), `${lines.join('\n')}\n`);
    const r = await execa('npx', ['tsc', '--ignoreConfig', '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'manifests.ts'], { cwd: dir, reject: false });
    return r.stdout.split('\n').filter((l) => l.includes('error'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** kustomization.yaml is no API object: check it by its own contract, and with kustomize. */
function checkKustomization(files: readonly GeneratedFile[], dir: string): string[] {
  const kustomization = files.find((f) => f.path === `${dir}/kustomization.yaml`)!;
  const doc = parse(kustomization.contents) as { apiVersion: string; kind: string; resources: string[] };
  expect(doc.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
  expect(doc.kind).toBe('Kustomization');
  const manifests = files.filter((f) => f.path.endsWith('.yaml') && f !== kustomization).map((f) => f.path.slice(dir.length + 1));
  expect([...doc.resources].sort()).toEqual([...manifests].sort());
  return doc.resources;
}

function cluster(overrides: Partial<HostPlan> = {}): HostPlan {
  const minio = remote({ name: 'minio', type: 's3', options: [['endpoint', 'http://minio:9000'], ['provider', 'Minio']], secrets: [
    { option: 'access_key_id', secret: sopsSecret('minio_key_id'), obscure: false, refreshedByRclone: false },
    { option: 'secret_access_key', secret: sopsSecret('minio_secret', { key: 'minio/secret' }), obscure: false, refreshedByRclone: false },
  ] });
  const offsite = remote({ name: 'offsite', type: 'webdav', secrets: [{ option: 'pass', secret: agenixSecret('offsite_pass'), obscure: true, refreshedByRclone: false }] });
  const token = fileSecret('legacy_token', '/etc/backup/token');
  const volume = { claim: 'shared.storage', mountPath: '/shared', readOnly: true };
  const archive = archiveJob({
    name: 'archive',
    sources: ['/shared/a'],
    destinations: [{ kind: 'remote', remote: minio, path: 'bucket' }],
    remotes: [minio],
    secrets: minio.secrets.map((s) => s.secret),
    volume,
    schedule: { source: '0 1 * * *', onCalendar: ['*-*-* 01:00:00'], cron: '0 1 * * *' },
  }, 'cluster');
  const copy = rcloneJob({
    name: 'copy',
    mode: 'copy',
    source: { kind: 'remote', remote: minio, path: 'bucket' },
    target: { remote: offsite, path: 'x' },
    remotes: [minio, offsite],
    secrets: [...minio.secrets, ...offsite.secrets].map((s) => s.secret),
    runAfter: { job: 'archive', unitName: 'backupgen-archive' },
  }, 'cluster');
  const check = rcloneJob({ name: 'check', mode: 'copy', source: { kind: 'path', path: '/shared/a' }, target: { remote: offsite, path: 'y' }, remotes: [offsite], secrets: [token], volume, runAfter: { job: 'copy', unitName: 'backupgen-copy' } }, 'cluster');
  const weekly = archiveJob({ name: 'weekly', sources: ['/shared/a'], destinations: [{ kind: 'local', path: '/data/out' }], volume: { claim: 'data', mountPath: '/data', readOnly: false }, enable: false, persistent: false, schedule: { source: 'weekly', onCalendar: ['weekly'], cron: '0 0 * * 1' } }, 'cluster');
  return host({
    name: 'cluster',
    kind: 'kubernetes',
    jobs: [archive, copy, check, weekly],
    secrets: [agenixSecret('offsite_pass'), token, sopsSecret('minio_key_id'), sopsSecret('minio_secret', { key: 'minio/secret' })],
    ...overrides,
  });
}

const emitted = (p: Plan): GeneratedFile[] => emitKubernetes(p);
const yamlOf = <T>(files: readonly GeneratedFile[], name: string): T => parse(files.find((f) => f.path.endsWith(`/${name}`))!.contents) as T;

interface PodTemplate {
  securityContext: Record<string, unknown>;
  initContainers?: { name: string; command: string[]; env: { name: string; value: string }[]; securityContext: Record<string, unknown> }[];
  containers: { name: string; command: string[]; env: { name: string; value: string }[]; securityContext: Record<string, unknown> }[];
  volumes: { name: string; secret?: { items: { key: string }[]; defaultMode: number }; persistentVolumeClaim?: { claimName: string } }[];
}
const podOf = (doc: { spec: { jobTemplate: { spec: { template: { spec: PodTemplate } } } } }): PodTemplate => doc.spec.jobTemplate.spec.template.spec;

describe('kubernetes manifests against the official OpenAPI schema', () => {
  it('every manifest of the seed-004 golden output and of a varied host validates', async () => {
    const golden = (await readdir(GOLDEN_DIR)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(golden.sort()).toEqual(['configmap.yaml', 'cronjob-shared-subfolders.yaml', 'state-pvc.yaml']);
    for (const file of golden) validateManifest(parse(await readFile(join(GOLDEN_DIR, file), 'utf8')) as object);
    const variants = [cluster(), cluster({ kubernetes: kubernetesHost({ runAsUser: 0, timeZone: 'Europe/Berlin', stateClaim: { name: 'mine', emitted: false } }) })];
    for (const h of variants) {
      const files = emitted(plan([h]));
      const resources = checkKustomization(files, 'hosts/cluster/kubernetes');
      for (const name of resources) validateManifest(yamlOf(files, name));
    }
  });

  it('no manifest has a field the API does not know; one with a typo is caught', async () => {
    const manifests: object[] = [];
    for (const file of ['configmap.yaml', 'cronjob-shared-subfolders.yaml', 'state-pvc.yaml']) {
      manifests.push(parse(await readFile(join(GOLDEN_DIR, file), 'utf8')) as object);
    }
    const files = emitted(plan([cluster({ kubernetes: kubernetesHost({ runAsUser: 0, timeZone: 'Europe/Berlin' }) })]));
    for (const name of checkKustomization(files, 'hosts/cluster/kubernetes')) manifests.push(yamlOf(files, name));
    expect(await unknownFields(manifests)).toEqual([]);
    const typo = structuredClone(yamlOf<{ spec: { jobTemplate: { spec: { template: { spec: PodTemplate } } } } }>(files, 'cronjob-archive.yaml'));
    (typo.spec.jobTemplate.spec.template.spec.containers[0]!.securityContext as Record<string, unknown>)['readOnlyRootFileSystem'] = true;
    const errors = await unknownFields([typo]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`'"readOnlyRootFileSystem"' does not exist in type 'ISecurityContext'`);
  }, 60_000);

  it('a broken manifest fails the schema', () => {
    const doc = yamlOf<{ spec: Record<string, unknown> }>(emitted(plan([cluster()])), 'cronjob-archive.yaml');
    const broken = structuredClone(doc);
    broken.spec['startingDeadlineSeconds'] = 'six hours';
    expect(() => validateManifest(broken)).toThrow(/startingDeadlineSeconds must be integer/);
    const noContainers = structuredClone(doc) as unknown as { spec: { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } } };
    delete noContainers.spec.jobTemplate.spec.template.spec['containers'];
    expect(() => validateManifest(noContainers)).toThrow(/containers/);
  });

  it('kubectl kustomize builds the folder; a missing resource fails it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupgen-kustomize-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    for (const file of emitted(plan([cluster()]))) {
      const path = join(dir, file.path.slice('hosts/cluster/kubernetes/'.length));
      await writeFile(path, file.contents);
    }
    const built = await execa('kubectl', ['kustomize', dir], { reject: false });
    expect(built.exitCode, built.stderr).toBe(0);
    const kinds = built.stdout.split('\n---\n').map((d) => (parse(d) as { kind: string; metadata: { name: string } })).map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds.sort()).toEqual(['ConfigMap/backupgen-scripts', 'CronJob/backupgen-archive', 'CronJob/backupgen-weekly', 'PersistentVolumeClaim/backupgen-state']);
    await rm(join(dir, 'cronjob-weekly.yaml'));
    const missing = await execa('kubectl', ['kustomize', dir], { reject: false });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('cronjob-weekly.yaml');
  });
});

describe('kubernetes target', () => {
  it('the ConfigMap holds the scripts target\'s very text: library and job scripts', () => {
    const p = plan([cluster()]);
    const h = p.hosts[0]!;
    const data = yamlOf<{ data: Record<string, string> }>(emitted(p), 'configmap.yaml').data;
    expect(Object.keys(data)).toEqual(['lib.runtime.sh', 'scripts.archive.sh', 'scripts.copy.sh', 'scripts.check.sh', 'scripts.weekly.sh']);
    expect(data['lib.runtime.sh']).toBe(renderRuntimeLibrary(p));
    for (const job of h.jobs) expect(data[`scripts.${job.name}.sh`]).toBe(renderJobScript(p, h, job).text);
  });

  it('one CronJob per chain: runAfter jobs run after it in order, as init containers then the main one', () => {
    const files = emitted(plan([cluster()]));
    expect(files.map((f) => f.path.split('/').pop())).toEqual([
      'configmap.yaml', 'state-pvc.yaml', 'cronjob-archive.yaml', 'cronjob-weekly.yaml', 'kustomization.yaml', 'Containerfile', 'create-secrets.sh',
    ]);
    for (const f of files) expect(f.contents.split('\n')[f.path.endsWith('.sh') ? 1 : 0]).toBe('# generated by backupgen from backupgen.yaml — do not edit');
    const doc = yamlOf<{ spec: Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> & { template: { spec: PodTemplate } } } } }>(files, 'cronjob-archive.yaml');
    expect(doc.spec).toMatchObject({ schedule: '0 1 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 21600, suspend: false });
    expect(doc.spec).not.toHaveProperty('timeZone');
    expect(doc.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 43200 });
    const pod = podOf(doc);
    expect(pod).toMatchObject({ restartPolicy: 'Never' });
    expect(pod.initContainers!.map((c) => c.name)).toEqual(['archive', 'copy']);
    expect(pod.containers.map((c) => c.name)).toEqual(['check']);
    expect(pod.containers[0]!.command).toEqual(['bash', '/etc/backupgen/scripts/check.sh']);
    // The same claim used by two steps is one volume.
    // Only read by every step: read-only at the source too, so fsGroup leaves its owners alone.
    expect(pod.volumes.filter((v) => v.persistentVolumeClaim !== undefined).map((v) => v.persistentVolumeClaim)).toEqual([
      { claimName: 'backupgen-state' },
      { claimName: 'shared.storage', readOnly: true },
    ]);
    const weekly = yamlOf<{ spec: Record<string, unknown> }>(files, 'cronjob-weekly.yaml');
    expect(weekly.spec).toMatchObject({ schedule: '0 0 * * 1', suspend: true, startingDeadlineSeconds: 300 });
  });

  it('non-root and locked down by default; root keeps only the capabilities to read and chown', () => {
    const pod = podOf(yamlOf(emitted(plan([cluster()])), 'cronjob-archive.yaml'));
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const rootHost = cluster({ kubernetes: kubernetesHost({ runAsUser: 0, timeZone: 'Europe/Berlin', stateClaim: { name: 'mine', emitted: false } }) });
    const files = emitted(plan([rootHost]));
    expect(files.some((f) => f.path.endsWith('state-pvc.yaml'))).toBe(false);
    const doc = yamlOf<{ spec: { timeZone: string } }>(files, 'cronjob-archive.yaml');
    expect(doc.spec.timeZone).toBe('Europe/Berlin');
    const rootPod = podOf(doc as never);
    expect(rootPod.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(rootPod.containers[0]!.securityContext['capabilities']).toEqual({ drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER'] });
    expect(rootPod.volumes.find((v) => v.name === 'state')!.persistentVolumeClaim!.claimName).toBe('mine');
  });

  it('each step mounts only its own secrets, as files whose paths the env vars carry', () => {
    const pod = podOf(yamlOf(emitted(plan([cluster()])), 'cronjob-archive.yaml'));
    const archive = pod.initContainers![0]!;
    expect(archive.env.filter((e) => e.name.startsWith('BACKUPGEN_SECRET_'))).toEqual([
      { name: 'BACKUPGEN_SECRET_MINIO_KEY_ID', value: '/run/secrets/minio_key_id' },
      { name: 'BACKUPGEN_SECRET_MINIO_SECRET', value: '/run/secrets/minio_secret' },
    ]);
    expect(archive.env.slice(0, 4)).toEqual([
      { name: 'STATE_DIRECTORY', value: '/var/lib/backupgen' },
      { name: 'RUNTIME_DIRECTORY', value: '/run/backupgen' },
      { name: 'HOME', value: '/tmp' },
      { name: 'TMPDIR', value: '/tmp' },
    ]);
    const secrets = pod.volumes.filter((v) => v.secret !== undefined);
    expect(secrets.map((v) => [v.name, v.secret!.items.map((i) => i.key), v.secret!.defaultMode])).toEqual([
      ['secrets-archive', ['minio_key_id', 'minio_secret'], 0o440],
      ['secrets-copy', ['minio_key_id', 'minio_secret', 'offsite_pass'], 0o440],
      ['secrets-check', ['legacy_token'], 0o440],
    ]);
  });

  it('nothing for a host without jobs, or for other kinds', () => {
    expect(emitted(plan([cluster({ jobs: [] }), host({ name: 'laptop', jobs: [archiveJob()] })]))).toEqual([]);
  });

  it('create-secrets.sh: shellcheck-clean; makes the Secret from each provider, values never in argv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupgen-secrets-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const token = join(dir, 'token');
    await writeFile(token, 'file-value');
    const h = cluster();
    const withToken = cluster({ secrets: h.secrets.map((s) => (s.provider === 'file' ? fileSecret(s.name, token) : s)) });
    const script = emitted(plan([withToken], { configDirFromOutput: '../config' })).find((f) => f.path.endsWith('create-secrets.sh'))!;
    expect(script.executable).toBe(true);
    expect(await shellcheck(script.contents)).toEqual([]);
    // The output folder beside the config folder, as configDirFromOutput says.
    const k8sDir = join(dir, 'out/hosts/cluster/kubernetes');
    await mkdir(k8sDir, { recursive: true });
    await mkdir(join(dir, 'config/secrets'), { recursive: true });
    await writeFile(join(k8sDir, 'create-secrets.sh'), script.contents);
    const bin = join(dir, 'bin');
    await mkdir(bin);
    const log = join(dir, 'argv.log');
    // Stand-ins: sops and age print a value derived from what they were asked for (the file
    // provider's file is read with the real cat); `kubectl
    // create` is the real client (offline with --dry-run=client), `kubectl apply` records stdin.
    const kubectl = (await execa('sh', ['-c', 'command -v kubectl'])).stdout;
    const tools: Record<string, string> = {
      sops: `#!/bin/sh\necho "sops $*" >>'${log}'\n[ -f "$4" ] || exit 1\nprintf 'value-of-%s' "$3"\n`,
      age: `#!/bin/sh\necho "age $*" >>'${log}'\nprintf 'age-value'\n`,
      kubectl: `#!/bin/sh\necho "kubectl $*" >>'${log}'\nif [ "$1" = apply ]; then cat >'${dir}/applied.yaml'; else exec '${kubectl}' "$@"; fi\n`,
    };
    for (const [name, text] of Object.entries(tools)) {
      await writeFile(join(bin, name), text);
      await chmod(join(bin, name), 0o755);
    }
    await writeFile(join(dir, 'config/secrets/shared.yaml'), 'sops: {}\n');
    await writeFile(join(dir, 'config/secrets/offsite_pass.age'), 'x');
    const r = await execa('bash', [join(k8sDir, 'create-secrets.sh')], {
      reject: false,
      env: { PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: dir },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const applied = parse(await readFile(join(dir, 'applied.yaml'), 'utf8')) as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(applied.kind).toBe('Secret');
    expect(applied.metadata).toMatchObject({ name: 'backupgen-secrets', namespace: 'apps' });
    const decoded = Object.fromEntries(Object.entries(applied.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(decoded).toEqual({
      legacy_token: 'file-value',
      minio_key_id: 'value-of-["minio_key_id"]',
      minio_secret: 'value-of-["minio"]["secret"]',
      offsite_pass: 'age-value',
    });
    const argv = await readFile(log, 'utf8');
    expect(script.contents).toContain(`cat -- '${token}'`);
    expect(argv).toContain(`--identity ${dir}/.ssh/id_ed25519`);
    for (const value of Object.values(decoded)) expect(argv).not.toContain(value);
  });

  it('the Containerfile installs Debian 12 packages that exist (those of the seed, installed here)', async () => {
    const containerfile = (await readFile(join(GOLDEN_DIR, 'Containerfile'), 'utf8')).split('\n');
    expect(containerfile).toContain('FROM docker.io/library/debian:12-slim');
    expect(containerfile).toContain('USER 65532:65532');
    const install = containerfile.find((l) => l.includes('apt-get install'))!;
    const packages = install.replace(/^.*--no-install-recommends /, '').replace(/ \\$/, '').split(' ');
    for (const need of ['bash', 'rclone', 'tar', 'zstd', 'xz-utils', 'coreutils', 'util-linux']) expect(packages).toContain(need);
    const r = await execa('dpkg-query', ['-W', '-f', '${Package}\\n', ...packages], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n').sort()).toEqual([...packages].sort());
  });
});
