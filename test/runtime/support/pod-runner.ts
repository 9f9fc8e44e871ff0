/**
 * Runs a CronJob's pod as the kubelet would, without a cluster: every container of the pod
 * template (init containers first, each only after the previous exited 0, as with
 * `restartPolicy: Never`), with the volumes laid out the kubelet's way and the container's
 * own command, env and securityContext:
 *
 * - a new mount namespace (`unshare -m`, root here) and a root filesystem made of the host's
 *   /usr, /dev and /proc, bind-mounted, then remounted READ-ONLY (readOnlyRootFilesystem);
 * - each volumeMount bind-mounted at its mountPath (read-only where it says so; subPath
 *   folders made with the volume's mode, as the kubelet does);
 * - ConfigMap and Secret volumes in the kubelet's atomic-writer layout: files under
 *   `..<timestamp>/`, `..data` pointing at it, and top-level symlinks through `..data`, so a
 *   script that resolves its own real path (the job scripts do) sees what it sees in a pod;
 *   Secret files root-owned with the group fsGroup and the volume's defaultMode;
 * - fsGroup applied to claims (group-owned, setgid), as for volumes that support ownership
 *   management, except a claim read-only at its source, which keeps its owners and modes;
 * - then `chroot` + `setpriv` to runAsUser/runAsGroup with fsGroup as supplementary group,
 *   no new privileges and every capability dropped, and `env -i` with exactly the
 *   container's env (plus the image's PATH and any test-only variables); with
 *   `imagePackages`, PATH holds only the commands of the image's Debian packages.
 *
 * Only what backupgen's manifests use is supported; anything else throws.
 */
import { execa } from 'execa';
import { chmod, chown, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { shellQuote } from '../../../src/print/shell/quote.js';

interface EnvVar { name: string; value: string }
interface VolumeMount { name: string; mountPath: string; readOnly?: boolean; subPath?: string }
interface Container { name: string; command: string[]; env: EnvVar[]; volumeMounts: VolumeMount[] }
interface KeyToPath { key: string; path: string }
interface Volume {
  name: string;
  configMap?: { name: string; items: KeyToPath[]; defaultMode: number };
  secret?: { secretName: string; items: KeyToPath[]; defaultMode: number };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  emptyDir?: object;
}
export interface PodSpec {
  securityContext: { runAsUser: number; runAsGroup: number; fsGroup?: number };
  initContainers?: Container[];
  containers: Container[];
  volumes: Volume[];
}

export interface PodWorld {
  /** ConfigMaps by name: their `data`. */
  readonly configMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Secrets by name: key -> value (what `kubectl create secret` would have stored). */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** PersistentVolumeClaims by name: the host folder that stands for the volume. */
  readonly claims: Readonly<Record<string, string>>;
  /**
   * The Debian packages the image installs (its Containerfile): PATH then holds only their
   * commands (`dpkg -L`), so a run proves the image has every tool the scripts call.
   */
  readonly imagePackages?: readonly string[];
}

export interface StepResult {
  readonly container: string;
  readonly exitCode: number;
  readonly stderr: string;
  readonly lastLine: string;
}

/** The PATH of the Debian image (`ENV PATH` of debian:12-slim). */
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The pod's containers in order; stops at the first that fails, as the kubelet does. */
export async function runPod(spec: PodSpec, world: PodWorld, testEnv: Record<string, string> = {}): Promise<StepResult[]> {
  const base = await mkdtemp(join(tmpdir(), 'backupgen-pod-'));
  const volumes = new Map<string, string>();
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  // fsGroup changes the ownership of a volume unless it is read-only at its source.
  for (const volume of spec.volumes) {
    const fsGroup = volume.persistentVolumeClaim?.readOnly === true || volume.emptyDir !== undefined ? undefined : spec.securityContext.fsGroup;
    volumes.set(volume.name, await prepareVolume(base, volume, world, fsGroup));
  }
  const imageBin = world.imagePackages === undefined ? undefined : await imageCommands(base, world.imagePackages);
  const results: StepResult[] = [];
  for (const container of containers) {
    const launcher = join(base, `launch-${container.name}.sh`);
    await writeFile(launcher, launcherScript(base, spec, container, volumes, testEnv, imageBin));
    const r = await execa('unshare', ['-m', '--propagation', 'private', 'bash', launcher], { reject: false, stdin: 'ignore', timeout: 120_000 });
    const stderr = String(r.stderr);
    results.push({ container: container.name, exitCode: r.exitCode ?? -1, stderr, lastLine: stderr.trimEnd().split('\n').at(-1) ?? '' });
    if (r.exitCode !== 0) break;
  }
  await execa('rm', ['-rf', '--one-file-system', base], { reject: false });
  return results;
}

async function prepareVolume(base: string, volume: Volume, world: PodWorld, fsGroup: number | undefined): Promise<string> {
  const dir = join(base, `volume-${volume.name}`);
  if (volume.configMap !== undefined) {
    const data = world.configMaps[volume.configMap.name] ?? fail(`no ConfigMap ${volume.configMap.name}`);
    await atomicWriterLayout(dir, volume.configMap.items, (key) => data[key], volume.configMap.defaultMode, undefined);
    return dir;
  }
  if (volume.secret !== undefined) {
    const data = world.secrets[volume.secret.secretName] ?? fail(`no Secret ${volume.secret.secretName}`);
    await atomicWriterLayout(dir, volume.secret.items, (key) => data[key], volume.secret.defaultMode, fsGroup);
    return dir;
  }
  if (volume.persistentVolumeClaim !== undefined) {
    const claim = world.claims[volume.persistentVolumeClaim.claimName] ?? fail(`no claim ${volume.persistentVolumeClaim.claimName}`);
    if (fsGroup !== undefined) {
      await execa('chgrp', ['-R', String(fsGroup), claim]);
      await execa('chmod', ['-R', 'g+rwX', claim]);
      await execa('find', [claim, '-type', 'd', '-exec', 'chmod', 'g+s', '{}', '+']);
    }
    return claim;
  }
  if (volume.emptyDir !== undefined) {
    await mkdir(dir);
    await chmod(dir, 0o777);
    return dir;
  }
  return fail(`volume ${volume.name}: unsupported source`);
}

/** kubelet's AtomicWriter: `..<ts>/<paths>`, `..data -> ..<ts>`, `<top> -> ..data/<top>`. */
async function atomicWriterLayout(
  dir: string,
  items: readonly KeyToPath[],
  value: (key: string) => string | undefined,
  mode: number,
  group: number | undefined,
): Promise<void> {
  const stamp = '..2026_01_01_00_00_00.000000001';
  for (const item of items) {
    const content = value(item.key) ?? fail(`key ${item.key} missing: the kubelet would not start the pod`);
    const file = join(dir, stamp, item.path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    await chmod(file, mode);
    if (group !== undefined) await chown(file, 0, group);
  }
  await symlink(stamp, join(dir, '..data'));
  for (const top of new Set(items.map((item) => item.path.split('/')[0]!))) await symlink(`..data/${top}`, join(dir, top));
}

/** A folder of symlinks to the commands (bin/, sbin/) the packages install; mounted at /image-bin. */
async function imageCommands(base: string, packages: readonly string[]): Promise<string> {
  const dir = join(base, 'image-bin');
  await mkdir(dir);
  const listed = await execa('dpkg', ['-L', ...packages]);
  const commands = new Map<string, string>();
  for (const path of listed.stdout.split('\n')) {
    const m = /^(?:\/usr)?\/s?bin\/([^/]+)$/.exec(path);
    if (m !== null && !commands.has(m[1]!)) commands.set(m[1]!, path);
  }
  for (const [name, path] of commands) await symlink(path, join(dir, name));
  return dir;
}

function launcherScript(
  base: string,
  spec: PodSpec,
  container: Container,
  volumes: ReadonlyMap<string, string>,
  testEnv: Record<string, string>,
  imageBin: string | undefined,
): string {
  const root = join(base, `root-${container.name}`);
  const q = shellQuote;
  const lines = [
    'set -euo pipefail',
    `R=${q(root)}`,
    'mkdir -p "$R" && mount --bind "$R" "$R"',
    'mkdir -p "$R/usr" "$R/dev" "$R/proc" "$R/etc"',
    'for l in bin lib lib64 sbin; do ln -s "usr/$l" "$R/$l"; done',
    'mount --bind /usr "$R/usr" && mount -o remount,bind,ro "$R/usr"',
    'mount --rbind /dev "$R/dev"',
    'mount --rbind /proc "$R/proc"',
    'cp /etc/passwd /etc/group /etc/nsswitch.conf /etc/hosts "$R/etc/"',
  ];
  for (const mount of container.volumeMounts) {
    let source = volumes.get(mount.name) ?? fail(`volumeMount ${mount.name}: no such volume`);
    if (mount.subPath !== undefined) {
      source = join(source, mount.subPath);
      // The kubelet creates a subPath with the mode of its volume (kubelet_pods.go makeMounts).
      lines.push(`mkdir -p ${q(source)} && chmod "$(stat -c %a ${q(dirname(source))})" ${q(source)}`);
    }
    lines.push(`mkdir -p "$R"${q(mount.mountPath)}`, `mount --bind ${q(source)} "$R"${q(mount.mountPath)}`);
    const readOnlySource = spec.volumes.find((v) => v.name === mount.name)?.persistentVolumeClaim?.readOnly === true;
    if (mount.readOnly === true || readOnlySource) lines.push(`mount -o remount,bind,ro "$R"${q(mount.mountPath)}`);
  }
  if (imageBin !== undefined) lines.push('mkdir -p "$R/image-bin"', `mount --bind ${q(imageBin)} "$R/image-bin"`);
  const { runAsUser, runAsGroup, fsGroup } = spec.securityContext;
  const env = [`PATH=${imageBin === undefined ? IMAGE_PATH : '/image-bin'}`, ...container.env.map((e) => `${e.name}=${e.value}`), ...Object.entries(testEnv).map(([k, v]) => `${k}=${v}`)];
  lines.push(
    // readOnlyRootFilesystem: everything not mounted above is read-only from here on.
    'mount -o remount,bind,ro "$R"',
    `exec chroot "$R" setpriv --reuid ${runAsUser} --regid ${runAsGroup} ${fsGroup === undefined ? '--clear-groups' : `--groups ${fsGroup}`}` +
      ` --no-new-privs --inh-caps=-all --bounding-set=-all -- env -i ${env.map(q).join(' ')} ${container.command.map(q).join(' ')}`,
  );
  return `${lines.join('\n')}\n`;
}

function fail(message: string): never {
  throw new Error(`pod runner: ${message}`);
}


