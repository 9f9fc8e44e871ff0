/**
 * The secret-canary lane for `kind: kubernetes` (host `canary-k8s` of fixtures/canary). The
 * same canaries as canary.test.ts; none may appear:
 *   - in the generated manifests, the ConfigMap of scripts, the Containerfile or
 *     create-secrets.sh (the whole tree is also scanned by canary.test.ts);
 *   - while create-secrets.sh runs for real: real `age` decrypting real age files (encrypted
 *     here to a fresh identity), real `kubectl create secret ... --dry-run=client -o yaml`;
 *     in no process' argv (sampled from /proc, and recorded exactly by wrappers), not in its
 *     output, and its private folder of values is gone afterwards. Two stand-ins, because the
 *     real thing is not on this machine: `sops` (not packaged in Debian) prints the value of
 *     the key it is asked for; `kubectl apply -f -` (needs an API server) keeps the YAML it
 *     is piped, which must decode to exactly the secret values: the check is not vacuous;
 *   - when a CronJob's pod runs (test/runtime/support/pod-runner.ts) with the Secret that
 *     create-secrets.sh produced, against a real `rclone serve sftp`: in its logs, in any
 *     file on the state claim (status files, claim files), in any process' argv.
 */
import { execa } from 'execa';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startHttpRecorder } from '../runtime/support/http-recorder.js';
import { runPod, type PodSpec } from '../runtime/support/pod-runner.js';
import { freePort } from '../runtime/support/rclone-server.js';
import { argvShims, shimLeaks, watchProcesses } from './support/argv-watch.js';
import { describeLeaks, filesUnder, findCanaries, scanTree, type Leak } from './support/canaries.js';
import { createCanaryWorld } from './support/canary-world.js';
import { serveRclone, type Server } from './support/servers.js';

const recorder = await startHttpRecorder();
const ports = { sftp: await freePort(), webdav: await freePort(), tokenUrl: await freePort() };
const world = await createCanaryWorld({ ports, notifyBase: recorder.url });
const k8sDir = join(world.outDir, 'hosts/canary-k8s/kubernetes');
const k8sHost = world.plan.hosts.find((h) => h.name === 'canary-k8s')!;

afterAll(async () => {
  await recorder.close();
  world.cleanup();
});

const noLeaks = (leaks: readonly Leak[]) => expect(leaks, describeLeaks(leaks)).toEqual([]);

describe('the generated kubernetes tree', () => {
  it('has the manifests, the ConfigMap and create-secrets.sh, none holding a canary', () => {
    expect(filesUnder(k8sDir)).toEqual(
      expect.arrayContaining(['configmap.yaml', 'create-secrets.sh', 'cronjob-offsite.yaml', 'cronjob-sealed.yaml', 'cronjob-docs.yaml', 'kustomization.yaml', 'Containerfile']),
    );
    noLeaks(scanTree(k8sDir, world.canaries));
  });

  it('the pods read every secret from the mounted Secret, by path', () => {
    const cronJob = readFileSync(join(k8sDir, 'cronjob-docs.yaml'), 'utf8');
    expect(cronJob).toContain('secretName: backupgen-secrets');
    // docs reads the Drive token, the webdav password and both notifier URLs.
    for (const name of ['drive_token', 'webdav_pass', 'ntfy_url', 'hc_url']) expect(cronJob).toContain(`/run/secrets/${name}`);
  });
});

// ---------------------------------------------------------------------------------------
/** The Secret create-secrets.sh produced: key -> value (filled by the first run-time test). */
let createdSecret: Record<string, string> = {};

describe('run time: create-secrets.sh with real age and kubectl', () => {
  const runRoot = join(world.root, 'k8s-secrets');
  const standIns = join(runRoot, 'stand-ins');
  const applied = join(runRoot, 'applied.yaml');
  const tmpDir = join(runRoot, 'tmp');

  beforeAll(async () => {
    for (const dir of [standIns, tmpDir, join(runRoot, 'home')]) mkdirSync(dir, { recursive: true });
    // A fresh age identity; the fixture's age files are replaced by real encryptions of the
    // canary values to it (the value goes in on stdin, the recipient is public).
    const identity = join(runRoot, 'identity.txt');
    await execa('age-keygen', ['-o', identity]);
    const recipient = (await execa('age-keygen', ['-y', identity])).stdout.trim();
    for (const secret of k8sHost.secrets) {
      if (secret.provider !== 'agenix') continue;
      await execa('age', ['--encrypt', '--recipient', recipient, '--output', join(world.configDir, secret.file)], { input: `${world.secretValues[secret.name]!}\n` });
    }
    // sops stand-in: the decrypted document as JSON (0600), read by key path with jq.
    const sopsValues: Record<string, unknown> = {};
    for (const secret of k8sHost.secrets) {
      if (secret.provider !== 'sops') continue;
      const parts = (secret.key ?? secret.name).split('/');
      let node = sopsValues;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[parts.at(-1)!] = `${world.secretValues[secret.name]!}\n`;
    }
    writeFileSync(join(runRoot, 'sops.json'), JSON.stringify(sopsValues), { mode: 0o600 });
    const script = (name: string, body: string[]) => {
      writeFileSync(join(standIns, name), ['#!/bin/bash', 'set -euo pipefail', ...body, ''].join('\n'));
      chmodSync(join(standIns, name), 0o755);
    };
    script('sops', [
      '# stand-in for sops --decrypt --extract \'["a"]["b"]\' FILE: prints that key of the test\'s values',
      '[[ $1 == --decrypt && $2 == --extract && -f $4 ]] || { echo "sops stand-in: unexpected call: $*" >&2; exit 2; }',
      `jq -j --argjson p "\${3//][/,}" 'getpath($p)' ${JSON.stringify(join(runRoot, 'sops.json'))}`,
    ]);
    script('kubectl', [
      '# real kubectl, except `apply -f -`, which needs an API server: keep what is piped in',
      `if [[ $1 == apply ]]; then [[ $* == "apply -f -" ]]; umask 077; cat >${JSON.stringify(applied)}; exit 0; fi`,
      'exec /usr/bin/kubectl "$@"',
    ]);
  });

  it('hands the decrypted values to kubectl as files: no canary in argv, output or leftovers', async () => {
    const shimsDir = join(runRoot, 'shims');
    const path = `${standIns}:${process.env['PATH']}`;
    const savedPath = process.env['PATH'];
    process.env['PATH'] = path; // argvShims wraps whatever is first on PATH: the stand-ins too
    const shims = (() => {
      try {
        return argvShims(shimsDir, ['kubectl', 'sops', 'age', 'cat']);
      } finally {
        process.env['PATH'] = savedPath;
      }
    })();
    const watch = watchProcesses(world.canaries);
    const result = await execa('bash', [join(k8sDir, 'create-secrets.sh')], {
      env: { PATH: `${shimsDir}:${path}`, HOME: join(runRoot, 'home'), TMPDIR: tmpDir, AGE_IDENTITY: join(runRoot, 'identity.txt'), LANG: 'C.UTF-8' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 60_000,
    });
    const watched = await watch.stop();
    expect(result.exitCode, String(result.stderr)).toBe(0);
    noLeaks(findCanaries(`${String(result.stdout)}\n${String(result.stderr)}`, world.canaries, 'create-secrets.sh stdout/stderr'));

    // Every tool was called, none with a value in its argv.
    const calls = shims.calls();
    expect(new Set(calls.map((c) => c[0]))).toEqual(new Set(['kubectl', 'sops', 'age', 'cat']));
    expect(calls.some((c) => c[0] === 'kubectl' && c.includes('create') && c.includes('--dry-run=client'))).toBe(true);
    noLeaks(shimLeaks(calls, world.canaries));
    expect(watched.samples).toBeGreaterThan(2);
    noLeaks(watched.leaks);

    // The private folder of values is removed on exit.
    expect(readdirSync(tmpDir)).toEqual([]);

    // What reached `kubectl apply`: the Secret, holding exactly every value (base64, as
    // Secrets do), and mode 0600 where the stand-in kept it.
    const secret = parse(readFileSync(applied, 'utf8')) as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(secret.kind).toBe('Secret');
    expect(secret.metadata).toMatchObject({ name: 'backupgen-secrets', namespace: 'canary' });
    createdSecret = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(createdSecret).toEqual(Object.fromEntries(k8sHost.secrets.map((s) => [s.name, `${world.secretValues[s.name]!}\n`])));
  }, 90_000);
});

// ---------------------------------------------------------------------------------------
describe('run time: the offsite CronJob as its pod, with the Secret create-secrets.sh made', () => {
  const runRoot = join(world.root, 'k8s-pod');
  let sftp: Server;

  beforeAll(async () => {
    mkdirSync(join(world.srv, 'data/sub dir'), { recursive: true });
    writeFileSync(join(world.srv, 'data/a.txt'), 'alpha\n');
    writeFileSync(join(world.srv, 'data/sub dir/b.bin'), Buffer.alloc(4096, 7));
    mkdirSync(join(runRoot, 'state'), { recursive: true });
    sftp = await serveRclone('sftp', join(runRoot, 'served-sftp'), ports.sftp, world.secretValues['sftp_pass']!);
  });
  afterAll(async () => {
    await sftp?.stop();
  });

  it('copies to sftp; no canary in its logs, on the state claim or in any argv', async () => {
    expect(Object.keys(createdSecret), 'create-secrets.sh ran first').toContain('sftp_pass');
    const cronJob = parse(readFileSync(join(k8sDir, 'cronjob-offsite.yaml'), 'utf8')) as { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } };
    const configMap = (parse(readFileSync(join(k8sDir, 'configmap.yaml'), 'utf8')) as { data: Record<string, string> }).data;
    const install = readFileSync(join(k8sDir, 'Containerfile'), 'utf8').split('\n').find((l) => l.includes('apt-get install'))!;
    const imagePackages = install.replace(/^.*--no-install-recommends /, '').replace(/ \\$/, '').split(' ');
    const state = join(runRoot, 'state');
    const requestsBefore = recorder.requests.length;

    const watch = watchProcesses(world.canaries);
    const steps = await runPod(cronJob.spec.jobTemplate.spec.template.spec, {
      configMaps: { 'backupgen-scripts': configMap },
      secrets: { 'backupgen-secrets': createdSecret },
      claims: { 'canary-data': join(world.srv, 'data'), 'backupgen-state': state },
      imagePackages,
    }, { RCLONE_RETRIES: '1', RCLONE_LOW_LEVEL_RETRIES: '1' });
    const watched = await watch.stop();

    const logs = steps.map((s) => s.stderr).join('\n');
    expect(steps.map((s) => [s.container, s.exitCode]), logs).toEqual([['offsite', 0]]);
    expect(steps[0]!.lastLine).toMatch(/^backupgen-offsite: ok: /);
    expect(readFileSync(join(runRoot, 'served-sftp/k8s-offsite/a.txt'), 'utf8')).toBe('alpha\n');
    noLeaks(findCanaries(logs, world.canaries, 'pod logs'));

    // The state claim: status file, claim/lock files, anything else the run left.
    const stateFiles = filesUnder(state);
    expect(stateFiles).toContain('offsite.status.json');
    noLeaks(scanTree(state, world.canaries));

    expect(watched.samples).toBeGreaterThan(2);
    expect([...watched.commandLines].some((line) => line.includes('rclone'))).toBe(true);
    noLeaks(watched.leaks);

    // The notifiers read their URLs from the mounted Secret (the request proves it).
    const requests = recorder.requests.slice(requestsBefore);
    expect(requests.some((r) => r.path.includes('CANARY-ntfy_url-'))).toBe(true);
    noLeaks(requests.flatMap((r) => findCanaries(r.body, world.canaries, `notifier body ${r.path}`)));
  }, 120_000);
});
