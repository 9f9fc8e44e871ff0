/** The cross-field rules, run in this order once the schema has accepted the config. */
import type { PathIssue } from '../errors.js';
import type { BackupgenConfig } from '../schema/config.js';
import { kubernetesHostsAreComplete, volumesOnlyOnKubernetes } from './hosts.js';
import {
  kubernetesJobNames,
  kubernetesJobsUseNoHostFeatures,
  kubernetesNamesAreValid,
  kubernetesNamespacesAreDistinct,
  kubernetesPathsAreInVolume,
  kubernetesSchedulesAreCron,
} from './kubernetes.js';
import { allowOtherNeedsFuse, userMountOptionsAreFlags } from './mounts.js';
import { namesAreValid, userOnlyOnSystemJobs } from './names.js';
import { pathsAreAbsolute } from './paths.js';
import { plainSystemdHasNoUserMounts, plainSystemdSecretsAreFiles, plainSystemdUserJobsAreDistinct } from './plain-systemd.js';
import { sourceJobIsSnapshot } from './rclone-source.js';
import { notifiersExist, remotesExist } from './references.js';
import { cryptRemotesWrapExistingRemotes } from './remotes.js';
import { runAfterHasNoCycle, runAfterTargetsExist } from './run-after.js';
import { secretsResolve } from './secrets.js';
import { snapshotDestinationsAreDistinct } from './snapshot-destinations.js';
import { systemJobsReadNoHomeSecrets } from './system-secrets.js';

export type Rule = (config: BackupgenConfig) => PathIssue[];

export const RULES: readonly Rule[] = [
  namesAreValid,
  userOnlyOnSystemJobs,
  remotesExist,
  cryptRemotesWrapExistingRemotes,
  notifiersExist,
  secretsResolve,
  systemJobsReadNoHomeSecrets,
  runAfterTargetsExist,
  runAfterHasNoCycle,
  sourceJobIsSnapshot,
  pathsAreAbsolute,
  snapshotDestinationsAreDistinct,
  allowOtherNeedsFuse,
  userMountOptionsAreFlags,
  kubernetesHostsAreComplete,
  volumesOnlyOnKubernetes,
  plainSystemdSecretsAreFiles,
  plainSystemdUserJobsAreDistinct,
  plainSystemdHasNoUserMounts,
  kubernetesNamespacesAreDistinct,
  kubernetesNamesAreValid,
  kubernetesJobNames,
  kubernetesSchedulesAreCron,
  kubernetesJobsUseNoHostFeatures,
  kubernetesPathsAreInVolume,
];

export function checkRules(config: BackupgenConfig): PathIssue[] {
  return RULES.flatMap((rule) => rule(config));
}
