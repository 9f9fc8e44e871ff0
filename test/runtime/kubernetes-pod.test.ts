/**
 * Seed 004 for real, without a cluster: one config compiles (through the CLI) into the
 * kubernetes manifests, and the CronJob's pod is run as the kubelet would run it
 * (support/pod-runner.ts: read-only root, uid 65532, no capabilities, the ConfigMap and Secret
 * volumes in the kubelet's layout, the state claim, scratch in an emptyDir, and on PATH only
 * the commands of the Debian packages the emitted Containerfile installs). The archive step
 * backs a tree up to a real S3 server (s3rver on 127.0.0.1), the second step copies the
 * bucket on to a webdav remote (`rclone serve webdav`, standing in for Proton Drive, which
 * rclone 1.60 lacks). 14 archives are kept; sha256 and manifest verify; a restore from the S3
 * copy equals the source; a failed first step keeps the second from running.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../cli/cli-harness.js';
import { runPod, type PodSpec, type PodWorld } from './support/pod-runner.js';
import { startRcloneServer, type RcloneServer } from './support/rclone-server.js';
import { extract, readManifest, sha256Check, type Manifest } from './support/rclone-archive-files.js';
import { startS3Server, type S3Server } from './support/s3-server.js';

const BUCKET = 'homelab-backup-shared-archives';
const JOB = 'shared-subfolders';

let s3: S3Server;
let webdav: RcloneServer;
let dir: string;
let pod: PodSpec;
let configMap: Record<string, string>;
/** The Debian packages the emitted Containerfile installs. */
let imagePackages: string[];

/** The user's Secret, as create-secrets.sh would have made it. */
const secretValues = (): Record<string, string> => ({
  minio_key_id: `${s3.accessKeyId}\n`,
  minio_secret: `${s3.secretAccessKey}\n`,
  proton_password: `${webdav.password}\n`,
});

function config(): string {
  return `version: 1
secrets: { provider: sops, sopsFile: secrets/k8s-secrets.yaml }
remotes:
  minio:
    type: s3
    options: { provider: Other, endpoint: ${JSON.stringify(s3.endpoint)} }
    secrets: { access_key_id: minio_key_id, secret_access_key: minio_secret }
  proton:
    type: webdav
    options: { url: ${JSON.stringify(`http://127.0.0.1:${webdav.port}`)}, user: backup, vendor: other }
    secrets: { pass: proton_password }
monitoring: { prometheus: {} }
hosts:
  cluster:
    kind: kubernetes
    namespace: apps
    jobs:
      ${JOB}:
        engine: archive
        schedule: "0 1 * * *"
        sources: [/shared/notetaking, /shared/images, /shared/backup]
        exclude: [.DS_Store, Thumbs.db]
        format: tar.zst
        destinations: [{ remote: minio, path: ${BUCKET} }]
        retention: { keep: 14 }
        volume: { claim: cephfs-shared-storage-root, mountPath: /shared, readOnly: true }
      proton-sync:
        engine: rclone
        mode: copy
        source: { remote: minio, path: ${BUCKET} }
        target: { remote: proton, path: Backups/homelab/shared-archives }
        runAfter: ${JOB}
`;
}

/** The shared claim's content: the three folders, one that is not backed up, and junk. */
async function makeSharedTree(root: string): Promise<void> {
  const files: Record<string, string | Buffer> = {
    'notetaking/todo.md': '# todo\n- backups\n',
    'notetaking/deep/a note with spaces.txt': 'spaces\n',
    'notetaking/.DS_Store': 'junk',
    'images/photo.bin': Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)),
    'images/Thumbs.db': 'junk',
    'backup/db/dump.sql': 'create table t (x int);\n',
    'other/not-backed-up.txt': 'no\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** rclone on the test side, with its own config in the environment. */
async function rcloneTest(args: string[]) {
  const env = { ...s3.rcloneEnv('s3'), PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir };
  return execa('rclone', ['--config', '', ...args], { env, extendEnv: false, reject: false });
}

function world(shared: string, state: string, secrets = secretValues()): PodWorld {
  return {
    configMaps: { 'backupgen-scripts': configMap },
    secrets: { 'backupgen-secrets': secrets },
    claims: { 'cephfs-shared-storage-root': shared, 'backupgen-state': state },
    imagePackages,
  };
}

beforeAll(async () => {
  [s3, webdav] = await Promise.all([startS3Server([BUCKET]), startRcloneServer('webdav')]);
  dir = await mkdtemp(join(tmpdir(), 'backupgen-k8s-'));
  await writeFile(join(dir, 'backupgen.yaml'), config());
  const build = await cli(dir, 'build');
  expect(build.stderr.join('\n')).toBe('');
  expect(build.status).toBe(0);
  const k8s = join(dir, 'backupgen/hosts/cluster/kubernetes');
  const cronJob = parse(await readFile(join(k8s, `cronjob-${JOB}.yaml`), 'utf8')) as { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } };
  pod = cronJob.spec.jobTemplate.spec.template.spec;
  configMap = (parse(await readFile(join(k8s, 'configmap.yaml'), 'utf8')) as { data: Record<string, string> }).data;
  const install = (await readFile(join(k8s, 'Containerfile'), 'utf8')).split('\n').find((l) => l.includes('apt-get install'))!;
  imagePackages = install.replace(/^.*--no-install-recommends /, '').replace(/ \\$/, '').split(' ');
}, 60_000);

afterAll(async () => {
  await Promise.all([s3?.stop(), webdav?.stop()]);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the CronJob of seed 004, run as its pod', () => {
  it('archives to S3, copies on to webdav, keeps 14; the S3 copy restores to the source', async () => {
    const shared = join(dir, 'claim-shared');
    const state = join(dir, 'claim-state');
    await makeSharedTree(shared);
    await mkdir(state);
    // Two steps, as the manifest says: the archive (init container), then the copy.
    expect([...(pod.initContainers ?? []), ...pod.containers].map((c) => c.name)).toEqual([JOB, 'proton-sync']);

    // 15 daily runs: the 15th archive makes the oldest go (keep 14).
    for (let day = 1; day <= 15; day++) {
      const now = `2026-03-${String(day).padStart(2, '0')} 01:00:00`;
      const steps = await runPod(pod, world(shared, state), { BACKUPGEN_NOW: now });
      for (const step of steps) expect(step.exitCode, `${step.container} on day ${day}:\n${step.stderr}`).toBe(0);
      expect(steps.map((s) => s.container)).toEqual([JOB, 'proton-sync']);
      expect(steps[0]!.lastLine).toMatch(new RegExp(`^backupgen-${JOB}: ok: \\d+ files, \\d+ bytes, \\d+s$`));
      // No secret value in any log line.
      for (const value of Object.values(secretValues())) expect(steps.map((s) => s.stderr).join('\n')).not.toContain(value.trim());
    }

    const listed = await rcloneTest(['lsf', `s3:${BUCKET}`]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const archives = listed.stdout.split('\n').filter((f) => f.endsWith('.tar.zst')).sort();
    expect(archives).toHaveLength(14);
    expect(archives[0]).toBe(`${JOB}-2026-03-02_01-00-00.tar.zst`);
    expect(archives.at(-1)).toBe(`${JOB}-2026-03-15_01-00-00.tar.zst`);
    expect(listed.stdout.split('\n').filter((f) => f !== '')).toHaveLength(14 * 3);

    // The copy never deletes on the offsite remote (seed 004: not from Proton Drive).
    const offsite = join(webdav.root, 'Backups/homelab/shared-archives');
    expect((await readdir(offsite)).filter((f) => f.endsWith('.tar.zst'))).toHaveLength(15);

    // Restore from the S3 copy: download, sha256sum -c, the manifest, extract, compare.
    const restoreDir = join(dir, 'restore');
    const newest = archives.at(-1)!;
    const base = newest.replace(/\.tar\.zst$/, '');
    for (const f of [newest, `${newest}.sha256`, `${base}.manifest.json`]) {
      const got = await rcloneTest(['copyto', `s3:${BUCKET}/${f}`, join(restoreDir, f)]);
      expect(got.exitCode, got.stderr).toBe(0);
    }
    expect((await sha256Check(restoreDir, newest)).exitCode).toBe(0);
    // The webdav copy is the same bytes.
    expect((await sha256Check(offsite, newest)).exitCode).toBe(0);
    const manifest: Manifest = await readManifest(restoreDir, newest);
    const files = manifest.files.filter((f) => f.type === 'file').map((f) => f.path).sort();
    expect(files).toEqual([
      'shared/backup/db/dump.sql',
      'shared/images/photo.bin',
      'shared/notetaking/deep/a note with spaces.txt',
      'shared/notetaking/todo.md',
    ]);
    const tree = join(restoreDir, 'tree');
    await extract(join(restoreDir, newest), tree);
    for (const folder of ['notetaking', 'images', 'backup']) {
      const diff = await execa('diff', ['-r', '--exclude=.DS_Store', '--exclude=Thumbs.db', join(shared, folder), join(tree, 'shared', folder)], { reject: false });
      expect(diff.exitCode, diff.stdout).toBe(0);
    }
    expect((await readdir(join(tree, 'shared'))).sort()).toEqual(['backup', 'images', 'notetaking']);

    // No secret value in the generated tree or in any status file on the state claim.
    const generated = await execa('grep', ['-rlF', '-e', s3.accessKeyId, '-e', webdav.password, join(dir, 'backupgen')], { reject: false });
    expect(generated.stdout).toBe('');
    expect(generated.exitCode).toBe(1);
    for (const file of (await readdir(state)).filter((f) => f.endsWith('.status.json'))) {
      const text = await readFile(join(state, file), 'utf8');
      for (const value of Object.values(secretValues())) expect(text).not.toContain(value.trim());
    }

    // State survives pods on the claim: both jobs' status files say success.
    for (const job of [JOB, 'proton-sync']) {
      const status = JSON.parse(await readFile(join(state, `${job}.status.json`), 'utf8')) as Record<string, unknown>;
      expect(status['lastResult']).toBe('success');
      expect(status['lastSuccess']).toMatch(/^2026-03-15T01:0\d:\d\dZ$/);
    }
  }, 600_000);

  it('a failed archive step fails the pod, and the copy does not run', async () => {
    const shared = join(dir, 'claim-shared-2');
    const state = join(dir, 'claim-state-2');
    await makeSharedTree(shared);
    await mkdir(state);
    // A key id the S3 server does not know: every request of the archive step is refused.
    const steps = await runPod(pod, world(shared, state, { ...secretValues(), minio_key_id: 'NOT-A-KEY\n' }), { BACKUPGEN_NOW: '2026-04-01 01:00:00' });
    expect(steps.map((s) => [s.container, s.exitCode === 0])).toEqual([[JOB, false]]);
    expect(steps[0]!.lastLine).toMatch(new RegExp(`^backupgen-${JOB}: FAILED: `));
    const status = JSON.parse(await readFile(join(state, `${JOB}.status.json`), 'utf8')) as Record<string, unknown>;
    expect(status['lastResult']).toBe('failure');
    await expect(readFile(join(state, 'proton-sync.status.json'))).rejects.toThrow();
  }, 120_000);

  it('the pod really is locked down: read-only root, uid 65532, no capabilities, only the image\'s commands', async () => {
    const [shared, state] = [join(dir, 'claim-shared-3'), join(dir, 'claim-state-3')];
    await makeSharedTree(shared);
    await mkdir(state);
    const probe = {
      ...pod.containers[0]!,
      name: 'probe',
      command: [
        'bash',
        '-c',
        'exec 1>&2; id -u; id -G; touch /probe /shared/probe 2>/dev/null || echo read-only; grep CapEff /proc/self/status; ' +
          'touch /tmp/ok /var/lib/backupgen/ok /run/backupgen/ok && echo writable-mounts; cat /run/secrets/proton_password >/dev/null && echo secret-readable; ' +
          // Only the image's commands: rsync is the host's, not the image's (no snapshot job).
          'echo "$PATH"; command -v rsync || echo no-rsync; command -v zstd',
      ],
    };
    const steps = await runPod({ ...pod, initContainers: [], containers: [probe] }, world(shared, state));
    expect(steps[0]!.exitCode, steps[0]!.stderr).toBe(0);
    expect(steps[0]!.stderr.split('\n').filter((l) => l !== '')).toEqual(['65532', '65532', 'read-only', 'CapEff:\t0000000000000000', 'writable-mounts', 'secret-readable', '/image-bin', 'no-rsync', '/image-bin/zstd']);
  }, 60_000);
});
