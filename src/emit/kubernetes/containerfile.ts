/**
 * The default image (`backupgen-runner:debian12`): a Containerfile the user builds and
 * pushes. No public image carries bash, rclone, GNU tar, zstd, xz and the rest together
 * (rclone's own image is Alpine with busybox), and Debian 12's packages are the versions
 * backupgen's runtime tests run against (rclone 1.60, GNU tar 1.34, zstd 1.5).
 */
import type { HostPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { hostJobs } from '../scripts/index.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';

/** nixpkgs attribute (JobScript.runtimeInputs) -> the Debian 12 package that provides it. */
const DEBIAN_PACKAGES: Readonly<Record<string, string>> = {
  bzip2: 'bzip2',
  coreutils: 'coreutils',
  curl: 'curl',
  findutils: 'findutils',
  gawk: 'gawk',
  getent: 'libc-bin',
  gnugrep: 'grep',
  gnused: 'sed',
  gnutar: 'tar',
  gzip: 'gzip',
  pbzip2: 'pbzip2',
  pigz: 'pigz',
  rclone: 'rclone',
  rsync: 'rsync',
  'util-linux': 'util-linux',
  xz: 'xz-utils',
  zip: 'zip',
  zstd: 'zstd',
};

/**
 * Always: the shell and the tools any job may come to need (so one image serves a host whose
 * jobs change), TLS roots for S3 and cloud remotes, zone data for TZ and timeZone.
 */
const BASE_PACKAGES = ['bash', 'ca-certificates', 'coreutils', 'rclone', 'tar', 'tzdata', 'util-linux', 'xz-utils', 'zstd'];

/** The Debian packages the host's jobs need, sorted and unique. */
export function debianPackages(host: HostPlan): string[] {
  const inputs = hostJobs(host).flatMap((job) => jobRuntimeInputs(job));
  return [...new Set([...BASE_PACKAGES, ...inputs.map((input) => DEBIAN_PACKAGES[input] ?? input)])].sort();
}

export function renderContainerfile(plan: Plan, host: HostPlan, uid: number): string {
  const packages = debianPackages(host);
  return [
    generatedHeader('#', plan.sourceFile),
    `# The image the CronJobs of host ${host.name} run. Build and push it, then set the host's`,
    '# `image` to where you pushed it (or keep the default name on a node that has it):',
    '#   podman build -t REGISTRY/backupgen-runner:debian12 -f Containerfile .',
    'FROM docker.io/library/debian:12-slim',
    'RUN apt-get update \\',
    ` && apt-get install -y --no-install-recommends ${packages.join(' ')} \\`,
    ' && rm -rf /var/lib/apt/lists/*',
    // Numeric: runAsNonRoot can only verify a numeric USER.
    `USER ${uid}:${uid}`,
    '',
  ].join('\n');
}
