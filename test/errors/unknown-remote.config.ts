import { defineConfig } from 'backupgen';

export default defineConfig({
  version: 1,
  remotes: { nas: { type: 'sftp', options: { host: 'nas.lan' } } },
  hosts: {
    laptop: {
      jobs: {
        offsite: { engine: 'rclone', mode: 'copy', source: '/srv', target: { remote: 'naz', path: 'backup' } },
      },
    },
  },
});
