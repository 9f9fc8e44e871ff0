/**
 * Where a copy physically is, as far as a config can tell: which medium (so copies on the
 * same disk count once) and whether it is off-site. backupgen does not see the hosts' disks,
 * so the rules are conservative and documented in the README ("backupgen plan"):
 * - a local path is on its own medium when it lies under a path the config declares a mount
 *   point (a snapshot destination or a source with `requireMountpoint`); otherwise it is on
 *   the host's system disk, with the host's other undeclared paths;
 * - a path under an rclone mount's mount point is on that mount's remote;
 * - a remote is resolved through wrappers (crypt, alias, chunker, ...: their `remote`
 *   option) to the backend that stores the bytes; each backend is its own medium;
 * - off-site: every backend except `local` and a server on the local network (sftp, webdav,
 *   smb, ftp, s3 ... whose host/url/endpoint is a private or loopback address, a name without
 *   a dot, or `.local` / `.lan` / `.home.arpa` / `.internal`): another machine in the same
 *   house survives a disk failure but not a fire or a burglary.
 */
import type { Plan, RemotePlan } from '../plan/model.js';

export interface Medium {
  /** Copies with the same key are on the same medium. */
  readonly key: string;
  readonly offsite: boolean;
  /** Plain words: `nas's disk mounted at /mnt/backup`, `b2 (b2, off-site)`. */
  readonly label: string;
}

export interface Remotes {
  byName(name: string): RemotePlan | undefined;
}

/** Every remote of the plan by name (host, user and job lists hold resolved copies). */
export function remotesOf(plan: Plan): Remotes {
  const map = new Map<string, RemotePlan>();
  for (const host of plan.hosts) {
    for (const scope of [host, ...host.users]) {
      for (const remote of scope.remotes) map.set(remote.name, remote);
      for (const mount of scope.mounts) map.set(mount.remote.name, mount.remote);
    }
  }
  return { byName: (name) => map.get(name) };
}

const WRAPPER_OPTION = 'remote';
const HOST_OPTIONS = ['host', 'url', 'endpoint'];

/** The backend that stores a remote's bytes: `vault` (crypt over `b2:bucket`) -> b2. */
export function backendOf(remotes: Remotes, name: string, seen = new Set<string>()): { name: string; remote: RemotePlan | undefined; localPath?: string } {
  const remote = remotes.byName(name);
  if (remote === undefined || seen.has(name)) return { name, remote };
  seen.add(name);
  const wrapped = remote.options.find(([key]) => key === WRAPPER_OPTION)?.[1];
  if (wrapped === undefined) return { name, remote };
  const colon = wrapped.indexOf(':');
  // A wrapper over a plain path (`remote: /mnt/x`) stores on the local disk.
  if (colon <= 0 || wrapped.startsWith('/')) return { name, remote: undefined, localPath: wrapped };
  return backendOf(remotes, wrapped.slice(0, colon), seen);
}

export function remoteMedium(remotes: Remotes, name: string): Medium {
  const backend = backendOf(remotes, name);
  const via = backend.name === name ? '' : ` via ${name}`;
  if (backend.localPath !== undefined || backend.remote?.type === 'local') {
    return { key: `remote:${backend.name}`, offsite: false, label: `remote ${backend.name} (a local path${via}, not off-site)` };
  }
  const type = backend.remote?.type ?? 'unknown';
  const server = backend.remote?.options.find(([key]) => HOST_OPTIONS.includes(key))?.[1];
  if (server !== undefined && onLocalNetwork(server)) {
    return { key: `remote:${backend.name}`, offsite: false, label: `remote ${backend.name} (${type} on the local network${via}, not off-site)` };
  }
  return { key: `remote:${backend.name}`, offsite: true, label: `remote ${backend.name} (${type}${via}, off-site)` };
}

/** A host name or URL that points into the local network. */
export function onLocalNetwork(server: string): boolean {
  let host = server.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(host);
  if (url) host = url[1]!.replace(/^[^@]*@/, '');
  const bracketed = /^\[(.*)\](?::\d+)?$/.exec(host);
  // `[v6]:port`, `name:port`; a bare IPv6 address has several colons and no port.
  host = (bracketed ? bracketed[1]! : host.split(':').length === 2 ? host.replace(/:\d+$/, '') : host).toLowerCase();
  const ipv4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (host.includes(':')) return host === '::1' || /^f[cd]/.test(host) || host.startsWith('fe80');
  return host === 'localhost' || !host.includes('.') || /\.(local|lan|home\.arpa|internal)$/.test(host);
}

/** Declared mount roots of a host: where a local path's own medium starts. */
export function localMedium(host: string, path: string, mountRoots: readonly string[]): Medium {
  const root = mountRoots.filter((r) => within(path, r)).sort((a, b) => b.length - a.length)[0];
  if (root === undefined) return { key: `disk:${host}:/`, offsite: false, label: `${host}'s system disk` };
  return { key: `disk:${host}:${root}`, offsite: false, label: `${host}'s disk mounted at ${root}` };
}

/** `path` equals `root` or lies below it. */
export function within(path: string, root: string): boolean {
  const r = root.replace(/\/+$/, '');
  return path === r || path.startsWith(`${r}/`) || r === '';
}
