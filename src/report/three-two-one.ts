/**
 * The 3-2-1 analysis of a whole plan: for every source path (a snapshot or archive source,
 * or what an rclone job reads that is not itself a backup), how many copies exist, on how
 * many media, how many off-site. Copies follow the jobs: a snapshot or archive job copies its
 * sources to its destinations; an rclone job copies whatever lies at its source (a path, a
 * snapshot job's `latest`, a folder inside another job's destination, a remote path) to its
 * target, so `home` -> /mnt/backup -> `offsite` -> vault counts three copies of /home.
 * Disabled jobs (`enable: false`) copy nothing; an rclone `move` leaves no copy behind.
 */
import type { HostPlan, JobPlan, Plan } from '../plan/model.js';
import { localMedium, remoteMedium, remotesOf, within, type Medium, type Remotes } from './media.js';

type Place = { readonly kind: 'local'; readonly host: string; readonly path: string } | { readonly kind: 'remote'; readonly remote: string; readonly path: string };

interface Edge {
  readonly from: Place;
  readonly to: Place;
  /** `host/job` or `host/user/job`. */
  readonly job: string;
  readonly move: boolean;
}

export interface CopyPlace {
  /** A local path or `remote:path`. */
  readonly where: string;
  /** `original`, or the job that makes this copy. */
  readonly by: string;
  readonly medium: string;
  readonly offsite: boolean;
}

export interface SourceCopies {
  readonly host: string;
  /** Set for a user's job (its `~/` paths are written `~user/`). */
  readonly user: string | undefined;
  readonly path: string;
  readonly copies: number;
  readonly media: number;
  readonly offsite: number;
  readonly places: readonly CopyPlace[];
  readonly warnings: readonly string[];
}

export function threeTwoOne(plan: Plan): SourceCopies[] {
  const remotes = remotesOf(plan);
  const world = new World(plan, remotes);
  const edges = plan.hosts.flatMap((host) => world.jobsOf(host).flatMap(({ job, user }) => world.edges(host, job, user)));
  const items = new Map<string, { place: Place; host: string; user: string | undefined }>();
  for (const host of plan.hosts) {
    for (const { job, user } of world.jobsOf(host)) {
      for (const place of world.originals(host, job, user)) {
        // What an rclone job reads inside (or around) another job's backup is that backup,
        // carried on, not data of its own.
        if (job.engine === 'rclone' && edges.some((e) => contains(e.to, place) || contains(place, e.to))) continue;
        if (!items.has(key(place))) items.set(key(place), { place, host: host.name, user });
      }
    }
  }
  return [...items.values()].map(({ place, host, user }) => world.copiesOf(place, host, user, edges));
}

class World {
  /** Per host: paths the config declares mount points (their own medium). */
  private readonly mountRoots = new Map<string, string[]>();

  constructor(
    private readonly plan: Plan,
    private readonly remotes: Remotes,
  ) {
    for (const host of plan.hosts) {
      const roots: string[] = [];
      for (const { job, user } of this.jobsOf(host)) {
        if (job.engine === 'snapshot' && job.destination.requireMountpoint) roots.push(this.path(job.destination.path, user));
        if (job.engine !== 'rclone') roots.push(...job.sourceMountpoints.map((p) => this.path(p, user)));
      }
      this.mountRoots.set(host.name, roots);
    }
  }

  jobsOf(host: HostPlan): { job: JobPlan; user: string | undefined }[] {
    return [...host.jobs.map((job) => ({ job, user: undefined })), ...host.users.flatMap((u) => u.jobs.map((job) => ({ job, user: u.name as string | undefined })))];
  }

  /** `~/x` of a user's job as `~user/x`, trailing slashes dropped. */
  path(path: string, user: string | undefined): string {
    const p = user !== undefined && path.startsWith('~/') ? `~${user}${path.slice(1)}` : path;
    return p.length > 1 ? p.replace(/\/+$/, '') : p;
  }

  /** A local path, or the remote behind the rclone mount it lies under. */
  local(host: HostPlan, path: string, user: string | undefined): Place {
    const p = this.path(path, user);
    const mounts = [...host.mounts.map((m) => ({ m, at: this.path(m.mountPoint, undefined) })), ...host.users.flatMap((u) => u.mounts.map((m) => ({ m, at: this.path(m.mountPoint, u.name) })))];
    const mount = mounts.find(({ at }) => within(p, at));
    if (mount === undefined) return { kind: 'local', host: host.name, path: p };
    const rest = p.slice(mount.at.length).replace(/^\//, '');
    return { kind: 'remote', remote: mount.m.remote.name, path: [mount.m.path, rest].filter((s) => s !== '').join('/') };
  }

  originals(host: HostPlan, job: JobPlan, user: string | undefined): Place[] {
    if (job.engine !== 'rclone') return job.sources.map((s) => this.local(host, s, user));
    const source = job.source;
    return [source.kind === 'remote' ? { kind: 'remote', remote: source.remote.name, path: trim(source.path) } : this.local(host, source.path, user)];
  }

  edges(host: HostPlan, job: JobPlan, user: string | undefined): Edge[] {
    if (!job.enable) return [];
    const label = [host.name, user, job.name].filter((s) => s !== undefined).join('/');
    const edge = (from: Place, to: Place, move = false): Edge => ({ from, to, job: label, move });
    switch (job.engine) {
      case 'snapshot': {
        const to = this.local(host, `${job.destination.path.replace(/\/+$/, '')}/${host.name}`, user);
        return this.originals(host, job, user).map((from) => edge(from, to));
      }
      case 'archive':
        return this.originals(host, job, user).flatMap((from) =>
          job.destinations.map((d) => edge(from, d.kind === 'local' ? this.local(host, d.path, user) : { kind: 'remote', remote: d.remote.name, path: trim(d.path) })),
        );
      case 'rclone':
        return this.originals(host, job, user).map((from) => edge(from, { kind: 'remote', remote: job.target.remote.name, path: trim(job.target.path) }, job.mode === 'move'));
    }
  }

  medium(place: Place): Medium {
    return place.kind === 'local' ? localMedium(place.host, place.path, this.mountRoots.get(place.host) ?? []) : remoteMedium(this.remotes, place.remote);
  }

  copiesOf(item: Place, host: string, user: string | undefined, edges: readonly Edge[]): SourceCopies {
    const reached = new Map<string, { place: Place; by: string }>();
    const moved = new Set<string>();
    const queue: Place[] = [item];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      for (const e of edges) {
        // From the original only what copies all of it; from a backup, anything inside it or around it.
        const follows = node === item ? contains(e.from, node) : contains(e.from, node) || contains(node, e.from);
        if (!follows) continue;
        if (e.move) moved.add(key(node));
        if (key(e.to) !== key(item) && !reached.has(key(e.to))) {
          reached.set(key(e.to), { place: e.to, by: e.job });
          queue.push(e.to);
        }
      }
    }
    const all = [{ place: item, by: 'original' }, ...reached.values()].filter(({ place }) => !moved.has(key(place)));
    const places = all.map(({ place, by }) => {
      const medium = this.medium(place);
      return { where: describe(place), by, medium: medium.label, offsite: medium.offsite, key: medium.key };
    });
    const copies = places.length;
    const media = new Set(places.map((p) => p.key)).size;
    const offsite = places.filter((p) => p.offsite).length;
    const where = `${describe(item)} on ${host}`;
    const warnings: string[] = [];
    if (copies <= 1) warnings.push(`${where}: one copy only (no backup)`);
    else if (offsite === 0) warnings.push(`${where}: no off-site copy`);
    return { host, user, path: describe(item), copies, media, offsite, places: places.map(({ key: _key, ...p }) => p), warnings };
  }
}

function trim(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

function key(place: Place): string {
  return place.kind === 'local' ? `local\0${place.host}\0${place.path}` : `remote\0${place.remote}\0${place.path}`;
}

function describe(place: Place): string {
  return place.kind === 'local' ? place.path : `${place.remote}:${place.path}`;
}

/** `inner` is `outer` or lies inside it (same host or same remote). */
function contains(outer: Place, inner: Place): boolean {
  if (outer.kind === 'local' && inner.kind === 'local') return outer.host === inner.host && within(inner.path, outer.path);
  if (outer.kind === 'remote' && inner.kind === 'remote') return outer.remote === inner.remote && within(inner.path, outer.path);
  return false;
}
