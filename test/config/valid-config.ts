/** A config using every section; tests mutate fresh copies of it. */
import type { BackupgenConfigInput } from '../../src/config/schema/config.js';

export function validConfig(): BackupgenConfigInput {
  return {
    version: 1,
    secrets: {
      provider: 'sops',
      sopsFile: 'secrets/shared.yaml',
      ageDir: 'secrets',
      items: {
        proton_password: { provider: 'agenix', file: 'secrets/proton.age' },
        b2_key: { key: 'b2/application_key' },
        legacy_token: { provider: 'file', path: '/etc/backup/token' },
      },
    },
    remotes: {
      gdrive: { type: 'drive', options: { scope: 'drive' }, secrets: { token: 'rclone_token' } },
      b2: { type: 'b2', secrets: { account: 'b2_account', key: 'b2_key' } },
      proton: { type: 'protondrive', secrets: { username: 'proton_user', password: 'proton_password' } },
      vault: { type: 'crypt', options: { remote: 'b2:barbossa-backup', filename_encryption: 'standard' }, secrets: { password: 'crypt_password', password2: 'crypt_salt' } },
      nas: { type: 'sftp', options: { host: 'nas.lan', port: 22 }, secrets: { pass: 'nas_pass' } },
      'homelab-s3': { type: 's3', options: { provider: 'Minio' }, secrets: { secret_access_key: 'legacy_token' } },
    },
    defaults: { randomDelay: '30min', notify: ['ops'] },
    notifiers: {
      ops: { type: 'webhook', url: { secret: 'ntfy_url' }, on: ['failure'] },
      desk: { type: 'desktop', on: ['failure'] },
      hc: { type: 'healthchecks', url: 'https://hc-ping.com/abc' },
    },
    monitoring: { prometheus: { textfileDir: '/var/lib/prometheus-node-exporter', staleAfter: '26h' } },
    hosts: {
      laptop: {
        fuse: { userAllowOther: true },
        mounts: { 'nas-media': { remote: 'nas', path: 'media', mountPoint: '/mnt/media', options: ['--vfs-cache-mode writes', '--allow-other'] } },
        jobs: {
          home: {
            engine: 'snapshot',
            schedule: '0 3 * * 1-5',
            sources: ['/home', '/etc/nixos'],
            destination: { path: '/mnt/backup', requireMountpoint: true, minFreeGB: 10 },
            retention: { daily: 7, weekly: 4, monthly: 6 },
            notify: ['desk'],
          },
          offsite: {
            engine: 'rclone',
            mode: 'sync',
            source: { job: 'home' },
            target: { remote: 'vault', path: 'laptop' },
            runAfter: 'home',
            maxDelete: '10%',
            verify: 'checksum',
            backupDir: true,
          },
        },
        users: {
          mads: {
            mounts: { 'google-drive': { remote: 'gdrive', mountPoint: '~/GoogleDrive', options: ['--vfs-cache-mode writes'] } },
            jobs: {
              customers: { engine: 'rclone', mode: 'copy', source: '~/git/work/customers', target: { remote: 'gdrive', path: 'customers' } },
            },
          },
        },
      },
      // A plain systemd host reads file secrets only (rules/plain-systemd.ts).
      homelab: {
        kind: 'systemd',
        jobs: {
          myapp: {
            engine: 'archive',
            sources: ['/var/lib/myapp/config', '/var/lib/myapp/data'],
            stopServices: ['docker-myapp.service'],
            format: 'tar.zst',
            notify: ['hc'],
            destinations: [{ path: '/var/backups/myapp' }, { remote: 'homelab-s3', path: 'homelab-backup/myapp' }],
            retention: { keep: 10, maxAgeDays: 30 },
            owner: { user: 'myapp' },
            user: 'myapp',
          },
        },
      },
      cluster: {
        kind: 'kubernetes',
        namespace: 'backups',
        image: 'ghcr.io/example/backupgen-runner:1',
        jobs: {
          db: { engine: 'archive', sources: ['/data/db'], destinations: [{ path: '/data/backups' }], volume: { claim: 'db-data', mountPath: '/data', readOnly: false } },
        },
      },
    },
  };
}
