import { describe, expect, it } from 'vitest';
import { checkRules } from '../../src/config/rules/index.js';
import { formatIssuePath } from '../../src/config/errors.js';
import { configSchema, type BackupgenConfigInput } from '../../src/config/schema/config.js';
import { validConfig } from './valid-config.js';

// Mutations poke into the input freely (deleting keys, bad values); typing them would hide that.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutation = (config: any) => void;

function ruleProblems(mutate: Mutation): string[] {
  const input: BackupgenConfigInput = validConfig();
  mutate(input);
  return checkRules(configSchema.parse(input)).map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}

const laptopJobs = (c: any) => c.hosts.laptop.jobs;

const CASES: readonly [string, Mutation, string[]][] = [
  ['valid config', () => {}, []],
  [
    'two snapshot jobs of one host in one destination',
    (c) => { laptopJobs(c).again = { ...laptopJobs(c).home, destination: { path: '/mnt/backup/' } }; },
    ["hosts.laptop.jobs.again.destination.path: the snapshot job `home` of this host already uses \"/mnt/backup/\"; two jobs in one destination would prune each other's snapshots (give each its own path)"],
  ],
  ['snapshot jobs in one destination on different hosts, or below one another', (c) => {
    c.hosts.other = { jobs: { home: { ...laptopJobs(c).home } } };
    laptopJobs(c).below = { ...laptopJobs(c).home, destination: { path: '/mnt/backup/more' } };
  }, []],
  ['unknown remote on a mount', (c) => { c.hosts.laptop.mounts['nas-media'].remote = 'nsa'; }, ['hosts.laptop.mounts.nas-media.remote: unknown remote `nsa` (did you mean `nas`?)']],
  ['unknown notifier in defaults', (c) => { c.defaults.notify = ['opps']; }, ['defaults.notify[0]: unknown notifier `opps` (did you mean `ops`?)']],
  ['crypt without a base', (c) => { c.remotes.vault.options.remote = 'bucket'; }, ['remotes.vault.options.remote: expected "remote:path" naming another remote, got "bucket"']],
  ['crypt wrapping itself', (c) => { c.remotes.vault.options.remote = 'vault:x'; }, ['remotes.vault.options.remote: crypt remote `vault` cannot wrap itself']],
  ['sops without a sopsFile', (c) => { delete c.secrets.sopsFile; }, [
    'secrets.items.b2_key: secret `b2_key` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'remotes.gdrive.secrets.token: secret `rclone_token` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'remotes.b2.secrets.account: secret `b2_account` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'remotes.proton.secrets.username: secret `proton_user` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'remotes.vault.secrets.password: secret `crypt_password` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'remotes.vault.secrets.password2: secret `crypt_salt` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'remotes.nas.secrets.pass: secret `nas_pass` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
    'notifiers.ops.url.secret: secret `ntfy_url` uses sops but no `sopsFile` is set (set `secrets.sopsFile` or the item\'s)',
  ]],
  ['agenix without ageDir or file', (c) => { c.secrets.items.proton_password = { provider: 'agenix' }; delete c.secrets.ageDir; }, ['secrets.items.proton_password: secret `proton_password` uses agenix but neither `secrets.ageDir` nor the item\'s `file` is set']],
  ['file secret with a relative path', (c) => { c.secrets.items.legacy_token.path = 'token'; }, ['secrets.items.legacy_token: secret `legacy_token`: `path` must be absolute, got "token"']],
  ['no secrets section', (c) => { delete c.secrets; delete c.remotes.gdrive.secrets; delete c.remotes.proton.secrets; delete c.remotes.vault.secrets; delete c.remotes.nas.secrets; delete c.remotes['homelab-s3']!.secrets; delete c.notifiers.ops; c.defaults.notify = []; c.remotes.b2.secrets = { key: 'b2_key' }; }, ['remotes.b2.secrets.key: secret `b2_key` is used but there is no `secrets` section']],
  ['runAfter in another scope', (c) => { c.hosts.laptop.users.mads.jobs.customers.runAfter = 'home'; }, ['hosts.laptop.users.mads.jobs.customers.runAfter: no job `home` among the jobs of user `mads` on host `laptop`']],
  ['runAfter itself', (c) => { laptopJobs(c).home.runAfter = 'home'; }, ['hosts.laptop.jobs.home.runAfter: runAfter forms a cycle: home -> home']],
  ['two-job cycle reported once', (c) => { laptopJobs(c).home.runAfter = 'offsite'; }, ['hosts.laptop.jobs.home.runAfter: runAfter forms a cycle: home -> offsite -> home']],
  ['source job missing', (c) => { laptopJobs(c).offsite.source = { job: 'hom' }; }, ['hosts.laptop.jobs.offsite.source.job: no snapshot job `hom` on this host (did you mean `home`?)']],
  ['allow-other on a user mount without fuse', (c) => { delete c.hosts.laptop.fuse; c.hosts.laptop.mounts = {}; c.hosts.laptop.users.mads.mounts['google-drive'].options = ['--allow-other=true']; }, ['hosts.laptop.users.mads.mounts.google-drive.options: `--allow-other` needs `fuse: { userAllowOther: true }` on host `laptop`']],
  ['~/ in a system mount', (c) => { c.hosts.laptop.mounts['nas-media'].mountPoint = '~/media'; }, ['hosts.laptop.mounts.nas-media.mountPoint: `~/` paths are only for user jobs and mounts; use an absolute path, got "~/media"']],
  ['kubernetes without image: the default image', (c) => { delete c.hosts.cluster.image; }, []],
  ['kubernetes job name that is no DNS label', (c) => { c.hosts.cluster.jobs['Db_1'] = c.hosts.cluster.jobs.db; }, ['hosts.cluster.jobs.Db_1: job name "Db_1" on a kubernetes host must be lower-case letters, digits and `-`, starting and ending with a letter or digit']],
  ['kubernetes job name too long', (c) => { c.hosts.cluster.jobs['d'.repeat(43)] = c.hosts.cluster.jobs.db; }, [`hosts.cluster.jobs.${'d'.repeat(43)}: job name "${'d'.repeat(43)}" is longer than 42 characters (its CronJob is backupgen-<job>)`]],
  ['kubernetes schedule without a cron form', (c) => { c.hosts.cluster.jobs.db.schedule = 'Mon *-*-* 03:00:30'; }, ['hosts.cluster.jobs.db.schedule: schedule "Mon *-*-* 03:00:30" has no cron form backupgen knows, and a kubernetes CronJob needs one; write hourly, daily, weekly, monthly, "HH:MM" or a 5-field cron line (day of week 0-6)']],
  ['kubernetes cron with day of week 7', (c) => { c.hosts.cluster.jobs.db.schedule = '0 3 * * 5-7'; }, ['hosts.cluster.jobs.db.schedule: schedule "0 3 * * 5-7" has no cron form backupgen knows, and a kubernetes CronJob needs one; write hourly, daily, weekly, monthly, "HH:MM" or a 5-field cron line (day of week 0-6)']],
  ['kubernetes path outside the volume, writes to a read-only one', (c) => { c.hosts.cluster.jobs.db.sources = ['/etc']; c.hosts.cluster.jobs.db.volume.readOnly = true; }, [
    'hosts.cluster.jobs.db.sources[0]: "/etc" is outside the job\'s volume (mounted at "/data")',
    'hosts.cluster.jobs.db.destinations[0].path: the job writes to "/data/backups", but its volume is `readOnly`',
  ]],
  ['kubernetes job with stopServices, user, owner', (c) => { Object.assign(c.hosts.cluster.jobs.db, { stopServices: ['db.service'], user: 'db', owner: { user: 'db' } }); }, [
    'hosts.cluster.jobs.db.user: on a kubernetes host the jobs run as the host\'s `runAsUser`, not as a named `user`',
    'hosts.cluster.jobs.db.stopServices: a kubernetes pod has no systemd units to stop; scale the workload down in a `before` hook instead',
    'hosts.cluster.jobs.db.owner: changing the owner of archives needs root: set the host\'s `runAsUser: 0`',
  ]],
  ['two kubernetes hosts in one namespace', (c) => { c.hosts.cluster2 = { ...c.hosts.cluster, jobs: {} }; }, ['hosts.cluster2.namespace: namespace `backups` is already host `cluster`\'s; each kubernetes host needs its own']],
  ['image on a nixos host', (c) => { c.hosts.laptop.image = 'x'; }, ['hosts.laptop.image: `image` is only for hosts with `kind: kubernetes`']],
  ['volume on a systemd host', (c) => { c.hosts.homelab.jobs.myapp.volume = { claim: 'c', mountPath: '/d' }; }, ['hosts.homelab.jobs.myapp.volume: `volume` is only for jobs on hosts with `kind: kubernetes`']],
  ['job name with a slash', (c) => { laptopJobs(c)['a/b'] = { ...laptopJobs(c).home, destination: { path: '/mnt/other' } }; }, ['hosts.laptop.jobs."a/b": job name "a/b" may only use letters, digits, `_`, `.` and `-`']],
  ['user on a user job', (c) => { c.hosts.laptop.users.mads.jobs.customers.user = 'root'; }, ['hosts.laptop.users.mads.jobs.customers.user: `user` is only for system jobs; this job already runs as `mads`']],
];

describe('cross-field rules', () => {
  it.each(CASES)('%s', (_name, mutate, expected) => {
    expect(ruleProblems(mutate)).toEqual(expected);
  });
});
