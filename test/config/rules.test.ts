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
  ['kubernetes without image', (c) => { delete c.hosts.cluster.image; }, ['hosts.cluster: a kubernetes host needs `image` (the container image that runs the jobs)']],
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
