/** The commented starter config `backupgen init` writes (tested to be valid under the schema). */

const STARTER = `# yaml-language-server: $schema=./backupgen.schema.json
# backupgen: describe your backups once; \`backupgen build\` writes the NixOS modules,
# home-manager modules and job scripts. Reference: docs/config.md.
version: 1

# How secret names become files at run time (sops-nix here; agenix and plain files work too).
secrets:
  provider: sops
  sopsFile: secrets/backup.yaml      # relative to this file

# rclone remotes, shared by every host. Options are plain settings; \`secrets\` maps an
# rclone option to a secret name, so no credential ever lands in the Nix store.
remotes:
  offsite:
    type: b2
    secrets: { account: b2_account, key: b2_key }

# Inherited by every job unless the job sets the field itself.
defaults:
  schedule: daily                    # hourly | daily | "02:00" | "Mon,Fri 03:00" | "0 2 * * *"
  randomDelay: 30min
  notify: [desk]

notifiers:
  desk: { type: desktop, on: [failure] }

hosts:
  laptop:
    kind: nixos
    jobs:
      # Hard-link snapshots: every snapshot is a full tree, unchanged files cost nothing.
      home:
        engine: snapshot
        schedule: "02:00"
        sources: [/home, /etc/nixos]
        exclude: ["*/.cache"]
        destination: { path: /mnt/backup, requireMountpoint: true, minFreeGB: 10 }
        retention: { daily: 7, weekly: 4, monthly: 6 }
        maxShrink: 50%               # refuse a run whose sources lost more than half their files (an unmounted disk)

      # Copy the newest snapshot offsite once it has succeeded.
      offsite:
        engine: rclone
        mode: sync
        source: { job: home }        # that job's latest snapshot
        target: { remote: offsite, path: laptop-backup }
        runAfter: home
        verify: size
        maxDelete: 10%               # refuse a sync that would delete more than this
        backupDir: true              # keep replaced files under a dated folder
`;

export function starterConfig(): string {
  return STARTER;
}
