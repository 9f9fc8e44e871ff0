/**
 * System rclone mounts for runtime tests: a mount plan on a host, its rendered script (what
 * `hosts/<host>/mounts/<name>.sh` holds) and NixOS module, a running mount started the way
 * its unit starts it, and a last-resort cleanup that leaves no FUSE mount behind (a leaked
 * one can hang every later test that stats the temp directory).
 */
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import type { MountPlan, Plan, RemotePlan } from '../../../src/plan/model.js';
import { emitNixos } from '../../../src/emit/nixos/index.js';
import { renderMountScript, type MountScriptText } from '../../../src/emit/scripts/mount-script.js';
import { host, plan } from '../../support/plan-builders.js';
import type { Sandbox, Started } from './sandbox.js';

export function mountPlan(overrides: Partial<MountPlan> & Pick<MountPlan, 'name' | 'remote' | 'mountPoint'>): MountPlan {
  return { path: '', options: [], automount: false, allowOther: false, ...overrides };
}

/** A nixos host `nas` holding the mount, its remotes and their secrets, as the planner builds it. */
export function mountHostPlan(mount: MountPlan, remotes: readonly RemotePlan[] = [mount.remote]): Plan {
  const secrets = [...new Map(remotes.flatMap((r) => r.secrets.map((s) => [s.secret.name, s.secret] as const))).values()];
  secrets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return plan([host({ name: 'nas', mounts: [mount], remotes, secrets })]);
}

export function renderMount(mount: MountPlan, remotes?: readonly RemotePlan[]): MountScriptText {
  const p = mountHostPlan(mount, remotes);
  return renderMountScript(p, p.hosts[0]!, mount);
}

/** The emitted `hosts/nas/nixos.nix`. */
export function mountModule(mount: MountPlan, remotes?: readonly RemotePlan[]): string {
  const file = emitNixos(mountHostPlan(mount, remotes)).find((f) => f.path === 'hosts/nas/nixos.nix');
  if (file === undefined) throw new Error('no nixos module emitted');
  return file.contents;
}

/** `mountpoint -q`: the kernel's answer (a stale FUSE mount counts as mounted). */
export async function isMountPoint(path: string): Promise<boolean> {
  return (await execa('mountpoint', ['-q', '--', path], { reject: false })).exitCode === 0;
}

/** Decodes the octal escapes of /proc/self/mountinfo (`\040` space, `\012` newline, ...). */
function unescapeMountinfo(latin1Field: string): string {
  return Buffer.from(
    latin1Field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))),
    'latin1',
  ).toString('utf8');
}

/** Mount points at or below `root`, deepest first (from /proc/self/mountinfo). */
export async function mountsUnder(root: string): Promise<string[]> {
  // Read as bytes (latin1), so the octal escapes and raw UTF-8 bytes decode together.
  const info = await readFile('/proc/self/mountinfo', 'latin1');
  return info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((f): f is string => f !== undefined)
    .map(unescapeMountinfo)
    .filter((p) => p === root || p.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything below `root`; throws if anything is still mounted afterwards. */
export async function forceUnmountUnder(root: string): Promise<void> {
  for (const point of await mountsUnder(root)) {
    const r = await execa('fusermount3', ['-u', '-z', '--', point], { reject: false });
    if (r.exitCode !== 0) await execa('umount', ['-l', '--', point], { reject: false });
  }
  const left = await mountsUnder(root);
  if (left.length > 0) throw new Error(`still mounted after lazy unmount: ${left.join(', ')}`);
}

export interface RunningMount {
  readonly child: Started;
  /** The script's pid, which is rclone's after `exec`. */
  readonly pid: number;
  /** Resolves once `mountpoint -q` succeeds; rejects with the script's stderr if it exits first. */
  mounted(timeoutMs?: number): Promise<void>;
}

/**
 * Starts the mount script as its unit does: RUNTIME_DIRECTORY (0700) and STATE_DIRECTORY set,
 * the secrets' paths in `env`, no NOTIFY_SOCKET and no HOME (a system unit without User= gets
 * neither). TMPDIR stays the sandbox's, so rclone's fallback cache dir lands there.
 */
export function startMount(
  sb: Sandbox,
  scriptFile: string,
  mountPoint: string,
  env: Readonly<Record<string, string | undefined>> = {},
): RunningMount {
  const child = sb.start(scriptFile, {
    env: { RUNTIME_DIRECTORY: sb.path('run'), NOTIFY_SOCKET: undefined, HOME: undefined, ...env },
    timeoutMs: 120_000,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('mount script did not start');
  return {
    child,
    pid,
    async mounted(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) {
          const r = await child;
          throw new Error(`mount script exited (${String(r.exitCode)}) before mounting:\n${String(r.stderr)}`);
        }
        if (await isMountPoint(mountPoint)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${mountPoint} not mounted after ${timeoutMs} ms`);
    },
  };
}

/**
 * Stops running mounts (SIGTERM, SIGKILL after 10 s), then lazily unmounts whatever is left
 * below the sandbox. For afterEach: safe to call on a mount that already ended.
 */
export async function stopAndUnmount(sb: Sandbox, mounts: readonly RunningMount[]): Promise<void> {
  for (const m of mounts) {
    if (m.child.exitCode !== null || m.child.signalCode !== null) continue;
    m.child.kill('SIGTERM');
    const timer = setTimeout(() => m.child.kill('SIGKILL'), 10_000);
    await m.child.catch(() => undefined);
    clearTimeout(timer);
  }
  await forceUnmountUnder(sb.root);
}

/**
 * The command of the emitted `ExecStop = "...";` as systemd will run it, decoded independently
 * of the emitter: Nix string escapes first, then systemd's (double quotes with C escapes,
 * `%%` and `$$`). `${pkgs.fuse3}/bin/` is replaced by the local PATH lookup.
 */
export function execStopArgv(moduleText: string): string[] {
  const m = /^\s*ExecStop = "((?:[^"\\]|\\.)*)";$/m.exec(moduleText);
  if (m === null) throw new Error('no ExecStop in the module');
  const line = m[1]!.replace(/\\(.)/g, '$1').replace('${pkgs.fuse3}/bin/', '');
  const argv: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') { i++; continue; }
    let word = '';
    if (line[i] === '"') {
      i++;
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unterminated quote in ExecStop: ${line}`);
        if (line[i] === '\\') {
          const c = line[i + 1]!;
          if (c === 'x') { word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16)); i += 4; continue; }
          word += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c;
          i += 2;
        } else {
          word += line[i];
          i++;
        }
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') word += line[i++];
    }
    argv.push(word.replaceAll('%%', '%').replaceAll('$$', '$'));
  }
  return argv;
}
