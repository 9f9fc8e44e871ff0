/**
 * The plan: backupgen's normalized, fully-resolved model of a configuration.
 *
 * This is the one contract between the front end (config/ + plan/) and every emitter.
 * It is plain, readonly, JSON-serializable data: defaults are merged, names are decided,
 * schedules are translated to systemd OnCalendar, secrets and remotes are resolved to what
 * a host needs at run time. Emitters read it and never re-validate; nothing here does I/O.
 *
 * Lists are in a deterministic order (the order of the config file for jobs, hosts and
 * users; sorted by name for secrets, remotes and options) so that output is byte-stable.
 */

export interface Plan {
  readonly version: 1;
  /** File name of the config (no directory), for the "generated from" header. */
  readonly sourceFile: string;
  /**
   * Path of the config file's directory as seen from the output root, posix, no trailing
   * slash ("..", ".", "../.."). Emitters prefix it to `SopsSecret.sopsFile` etc. to build
   * Nix path literals relative to the file they write.
   */
  readonly configDirFromOutput: string;
  readonly hosts: readonly HostPlan[];
  readonly notifiers: readonly NotifierPlan[];
  readonly monitoring: MonitoringPlan;
}

export type HostKind = 'nixos' | 'systemd' | 'kubernetes';

export interface HostPlan {
  readonly name: string;
  readonly kind: HostKind;
  /** `programs.fuse.userAllowOther`; undefined when the config says nothing about fuse. */
  readonly fuse: { readonly userAllowOther: boolean } | undefined;
  /** System-level rclone mounts. */
  readonly mounts: readonly MountPlan[];
  /** System jobs (run as root unless `runAs.user` says otherwise). */
  readonly jobs: readonly JobPlan[];
  readonly users: readonly UserPlan[];
  /** Every secret a system job or system mount of this host reads (sorted by name, unique). */
  readonly secrets: readonly SecretRef[];
  /** Every remote a system job or system mount of this host uses, crypt bases included. */
  readonly remotes: readonly RemotePlan[];
  /** Only for `kind: kubernetes`. */
  readonly kubernetes: KubernetesHostPlan | undefined;
}

/** A `kind: kubernetes` host's cluster settings, defaults applied. */
export interface KubernetesHostPlan {
  readonly namespace: string;
  readonly image: string;
  /** IANA zone of the CronJob schedules; undefined: the cluster's (kube-controller-manager's). */
  readonly timeZone: string | undefined;
  /** The PersistentVolumeClaim holding the jobs' state, and whether backupgen emits it. */
  readonly stateClaim: { readonly name: string; readonly emitted: boolean };
  /** uid (and gid, fsGroup) the containers run as; 0 = root. */
  readonly runAsUser: number;
}

/** A user whose jobs and mounts are emitted as a home-manager module. */
export interface UserPlan {
  readonly name: string;
  readonly mounts: readonly MountPlan[];
  readonly jobs: readonly JobPlan[];
  readonly secrets: readonly SecretRef[];
  readonly remotes: readonly RemotePlan[];
}

/**
 * A path as written by the user. System jobs only have absolute paths. User jobs may use
 * `~/...`; it is kept as written here and resolved by emitters: against `$HOME` in scripts,
 * against `config.home.homeDirectory` in home-manager modules.
 */
export type UserPath = string;

// ---------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------

export type SecretProvider = 'sops' | 'agenix' | 'file';

interface SecretBase {
  /** The secret's name in the config (also the sops-nix / agenix attribute name). */
  readonly name: string;
  /**
   * Environment variable through which a unit hands the secret's path to the script
   * (`BACKUPGEN_SECRET_<NAME>`, upper-cased, non-alphanumerics as `_`). Scripts fall back
   * to `defaultPath` when it is unset (a run by hand).
   */
  readonly envVar: string;
  /**
   * Where the provider puts the file at run time with its default settings:
   * sops-nix `/run/secrets/<name>`, agenix `/run/agenix/<name>`, file: the path itself.
   * For user secrets this may start with `~/` or `$XDG_RUNTIME_DIR/`.
   */
  readonly defaultPath: string;
}

export interface SopsSecret extends SecretBase {
  readonly provider: 'sops';
  /** The sops file, relative to the config file's directory (posix). */
  readonly sopsFile: string;
  /** sops key path (`b2/application_key`); undefined means the secret's name. */
  readonly key: string | undefined;
}

export interface AgenixSecret extends SecretBase {
  readonly provider: 'agenix';
  /** The .age file, relative to the config file's directory (posix). */
  readonly file: string;
}

export interface FileSecret extends SecretBase {
  readonly provider: 'file';
  /** Absolute path the user manages (or `~/...` for user secrets). */
  readonly path: string;
}

export type SecretRef = SopsSecret | AgenixSecret | FileSecret;

// ---------------------------------------------------------------------------------------
// Remotes and mounts
// ---------------------------------------------------------------------------------------

export interface RemotePlan {
  readonly name: string;
  /** rclone backend type: drive, b2, s3, sftp, webdav, crypt, local, ... (any string). */
  readonly type: string;
  /** Non-secret rclone options, sorted by key. Values are rendered as rclone expects. */
  readonly options: readonly (readonly [key: string, value: string])[];
  /** rclone options whose values come from secret files, sorted by option. */
  readonly secrets: readonly RemoteSecretOption[];
}

export interface RemoteSecretOption {
  /** The rclone option (`pass`, `token`, `secret_access_key`, ...). */
  readonly option: string;
  readonly secret: SecretRef;
  /**
   * rclone stores this option obscured (`rclone obscure`): sftp/webdav/smb/ftp `pass`,
   * crypt `password`/`password2`, ... The script obscures the file's content at run time.
   */
  readonly obscure: boolean;
  /**
   * rclone rewrites this option itself (OAuth `token`): a refreshed value must survive the
   * next run and activation, so scripts seed it from the secret only when the secret changed.
   */
  readonly refreshedByRclone: boolean;
}

export interface MountPlan {
  readonly name: string;
  readonly remote: RemotePlan;
  /** Path inside the remote ('' for its root). */
  readonly path: string;
  readonly mountPoint: UserPath;
  /** Extra rclone mount arguments, as written (`--vfs-cache-mode writes`). */
  readonly options: readonly string[];
  /** Mount on first access instead of at start-up. */
  readonly automount: boolean;
  /** True when options contain `--allow-other` (validated against fuse.userAllowOther). */
  readonly allowOther: boolean;
}

// ---------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------

export interface Schedule {
  /** What the user wrote, for comments and status output. */
  readonly source: string;
  /** One or more systemd OnCalendar expressions (a cron line may need several). */
  readonly onCalendar: readonly string[];
  /**
   * The same times as a 5-field cron line (Kubernetes CronJob `schedule`): the user's own
   * line when they wrote cron, else translated; undefined when a systemd calendar has no
   * cron form, which validation refuses on kubernetes hosts.
   */
  readonly cron: string | undefined;
}

export type NotifyEvent = 'start' | 'success' | 'failure';

export interface JobCommon {
  readonly name: string;
  /** systemd unit base name: `backupgen-<name>` (service and timer share it). */
  readonly unitName: string;
  readonly host: string;
  /** Who runs it: a system job (`user` root unless configured) or a user's own job. */
  readonly runAs: { readonly scope: 'system' | 'user'; readonly user: string };
  readonly schedule: Schedule;
  /** systemd time span, normalized (`1h`, `30min`), or undefined. */
  readonly randomDelay: string | undefined;
  readonly persistent: boolean;
  readonly onlyOnAC: boolean;
  /** Job on the same host (same scope) this one starts after, when it has succeeded. */
  readonly runAfter: { readonly job: string; readonly unitName: string } | undefined;
  readonly exclude: readonly string[];
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly notify: readonly NotifierPlan[];
  /** false: the job is emitted but its timer is off. */
  readonly enable: boolean;
  /** Every secret the job reads at run time (remotes' secrets included), sorted by name. */
  readonly secrets: readonly SecretRef[];
  /** Whether the job talks to the network (wait for network-online.target). */
  readonly needsNetwork: boolean;
  /** Path of the job's script, relative to the output root (`hosts/<host>/scripts/<job>.sh`). */
  readonly scriptPath: string;
  /**
   * The host's script runtime library every job script starts from, relative to the output
   * root (`hosts/<host>/lib/runtime.sh`; docs/conventions.md "Script runtime").
   */
  readonly runtimePath: string;
  /**
   * When `backup-verify --job <name>` runs by itself (`verifySchedule`): a
   * `<unitName>-verify` service and timer. Absent when the config sets none.
   */
  readonly verifySchedule?: Schedule | undefined;
  /**
   * `kind: kubernetes` hosts only: the PersistentVolumeClaim the job's container mounts.
   * Absent (undefined) on every other host.
   */
  readonly volume?: { readonly claim: string; readonly mountPath: string; readonly readOnly: boolean } | undefined;
}

export interface SnapshotJob extends JobCommon {
  readonly engine: 'snapshot';
  readonly sources: readonly UserPath[];
  /**
   * Sources that must be mount points (`{ path, requireMountpoint: true }`): the run is
   * refused when one is not, as an unmounted disk leaves an empty directory behind.
   */
  readonly sourceMountpoints: readonly UserPath[];
  /**
   * The largest drop in the sources' regular-file count from the last successful run that a
   * run accepts; with it, a source that had files and is now empty is refused too.
   * undefined: both checks are off (`maxShrink: false`).
   */
  readonly maxShrink: MaxShrink | undefined;
  readonly destination: {
    readonly path: UserPath;
    readonly requireMountpoint: boolean;
    /** 0 = no check. */
    readonly minFreeGB: number;
  };
  readonly retention: { readonly daily: number; readonly weekly: number; readonly monthly: number };
  /** Kept beyond `rsync -a`: hard links among source files (-H), ACLs (-A), xattrs (-X). */
  readonly preserve: { readonly hardLinks: boolean; readonly acls: boolean; readonly xattrs: boolean };
}

export type RcloneSource =
  | { readonly kind: 'path'; readonly path: UserPath }
  /** Another snapshot job's `latest` on this host: `<destination>/<host>/latest`. */
  | { readonly kind: 'job'; readonly job: string; readonly path: UserPath }
  | { readonly kind: 'remote'; readonly remote: RemotePlan; readonly path: string };

export type MaxDelete =
  | { readonly kind: 'count'; readonly value: number }
  | { readonly kind: 'percent'; readonly value: number };

/** `maxShrink` of snapshot and archive jobs: a file count, or a share of the last run's. */
export type MaxShrink = MaxDelete;

export interface RcloneJob extends JobCommon {
  readonly engine: 'rclone';
  readonly mode: 'sync' | 'copy' | 'move';
  readonly source: RcloneSource;
  readonly target: { readonly remote: RemotePlan; readonly path: string };
  /** rclone --bwlimit value as written (`10M`, `"01:00,off 06:00,10M"`). */
  readonly bwlimit: string | undefined;
  readonly transfers: number | undefined;
  readonly checkers: number | undefined;
  readonly verify: 'none' | 'size' | 'checksum';
  readonly maxDelete: MaxDelete | undefined;
  readonly backupDir: boolean;
  /** Every remote the job's rclone config needs (source, target, crypt bases), sorted. */
  readonly remotes: readonly RemotePlan[];
}

export type ArchiveFormat = 'tar.gz' | 'tar.xz' | 'tar.bz2' | 'tar.zst' | 'zip';

export type ArchiveDestination =
  | { readonly kind: 'local'; readonly path: UserPath }
  | { readonly kind: 'remote'; readonly remote: RemotePlan; readonly path: string };

export interface ArchiveJob extends JobCommon {
  readonly engine: 'archive';
  readonly sources: readonly UserPath[];
  /**
   * Sources that must be mount points (`{ path, requireMountpoint: true }`): the run is
   * refused when one is not, as an unmounted disk leaves an empty directory behind.
   */
  readonly sourceMountpoints: readonly UserPath[];
  /**
   * The largest drop in the sources' regular-file count from the last successful run that a
   * run accepts; with it, a source that had files and is now empty is refused too.
   * undefined: both checks are off (`maxShrink: false`).
   */
  readonly maxShrink: MaxShrink | undefined;
  readonly stopServices: readonly string[];
  readonly format: ArchiveFormat;
  readonly destinations: readonly ArchiveDestination[];
  /** 0 = no limit. */
  readonly retention: { readonly keep: number; readonly maxAgeDays: number };
  readonly owner: { readonly user: string; readonly group: string } | undefined;
  readonly remotes: readonly RemotePlan[];
}

export type JobPlan = SnapshotJob | RcloneJob | ArchiveJob;
export type Engine = JobPlan['engine'];

// ---------------------------------------------------------------------------------------
// Notifiers and monitoring
// ---------------------------------------------------------------------------------------

/** A URL given literally or read from a secret at run time. */
export type SecretOrValue =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'secret'; readonly secret: SecretRef };

export type NotifierPlan =
  | { readonly name: string; readonly type: 'webhook'; readonly url: SecretOrValue; readonly on: readonly NotifyEvent[] }
  | { readonly name: string; readonly type: 'desktop'; readonly on: readonly NotifyEvent[] }
  | { readonly name: string; readonly type: 'email'; readonly to: string; readonly on: readonly NotifyEvent[] }
  | { readonly name: string; readonly type: 'healthchecks'; readonly url: SecretOrValue; readonly on: readonly NotifyEvent[] };

export interface MonitoringPlan {
  readonly prometheus:
    | { readonly textfileDir: string; /** systemd time span */ readonly staleAfter: string }
    | undefined;
}
