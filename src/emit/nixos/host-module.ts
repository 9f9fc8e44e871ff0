/**
 * The NixOS module of one host, `hosts/<host>/nixos.nix`:
 *
 *   { config, lib, pkgs, ... }:
 *   let
 *     scripts = { <job> = pkgs.writeShellApplication { ... }; ... };
 *   in
 *   {
 *     sops.secrets.<name> = { ... };   age.secrets.<name> = { ... };
 *     programs.fuse.userAllowOther = ...;
 *     systemd.services.backupgen-<job> = { ... };  systemd.timers.backupgen-<job> = { ... };
 *     systemd.services.backupgen-mount-<name> = { ... };
 *     environment.systemPackages = [ (pkgs.writeShellApplication { name = "backup-status"; ... }) ];
 *   }
 *
 * `lib.`-qualified names, no `with`, bindings in a stable order (secrets, fuse, then each
 * job's service and timer in config order, then mounts, then the host tools), as nixpkgs
 * modules read.
 */
import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { attrs, bind, bool, lambdaSet, letIn, list, sel, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { jobTextFiles, scriptPackage } from '../nix-common/script-package.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';
import { hostTools } from '../tools/index.js';
import { toolPackage } from '../nix-common/tool-package.js';
import { jobService, verifyService } from './job-service.js';
import { hasTimer, jobTimer, verifyTimer } from './job-timer.js';
import { mountService, type MountScript } from './mount-service.js';
import { isSharedSecret, systemSecrets } from './system-secrets.js';

export function nixosModulePath(host: HostPlan): string {
  return `hosts/${host.name}/nixos.nix`;
}

/** Enabled jobs that start when `job` succeeded. */
function followersOf(host: HostPlan, job: JobPlan): JobPlan[] {
  return host.jobs.filter((other) => other.enable && other.runAfter?.job === job.name);
}

export function hostModule(plan: Plan, host: HostPlan, mountScripts: readonly MountScript[]): NixExpr {
  const moduleFile = nixosModulePath(host);
  const lets: AttrEntry[] = [];
  const body: AttrEntry[] = [...systemSecrets(plan, host, moduleFile)];

  if (host.fuse !== undefined) {
    body.push(bind(['programs', 'fuse', 'userAllowOther'], bool(host.fuse.userAllowOther)));
  }

  if (host.jobs.length > 0) {
    const packages = host.jobs.map((job) =>
      bind(job.name, scriptPackage(job, jobTextFiles(job, moduleFile), jobRuntimeInputs(job))),
    );
    lets.push(bind('scripts', attrs(packages)));
  }
  // The host tools, bound once: installed below, and backup-verify runs from verify units.
  const tools = hostTools(host);
  if (tools.length > 0) {
    lets.push(bind('tools', attrs(tools.map((tool) => bind(tool.name, toolPackage(tool, moduleFile))))));
  }
  for (const job of host.jobs) {
    const needsSharedSecretsGroup = job.secrets.some((s) => s.provider !== 'file' && isSharedSecret(host, s));
    const service = jobService(job, {
      script: sel(v('scripts'), job.name),
      followers: followersOf(host, job),
      needsSharedSecretsGroup,
      metricsDir: plan.monitoring.prometheus?.textfileDir,
    });
    body.push(bind(['systemd', 'services', job.unitName], service));
    if (hasTimer(job)) body.push(bind(['systemd', 'timers', job.unitName], jobTimer(job)));
    if (job.verifySchedule !== undefined) {
      const verifyInputs = { verifyTool: sel(v('tools'), 'backup-verify'), needsSharedSecretsGroup, metricsDir: plan.monitoring.prometheus?.textfileDir };
      body.push(bind(['systemd', 'services', `${job.unitName}-verify`], verifyService(job, verifyInputs)));
      body.push(bind(['systemd', 'timers', `${job.unitName}-verify`], verifyTimer(job, job.verifySchedule)));
    }
  }

  if (mountScripts.length > 0) {
    lets.push(bind('mountScripts', attrs(mountScripts.map((m) => bind(m.mount.name, m.package)))));
    for (const m of mountScripts) {
      body.push(bind(['systemd', 'services', m.unitName], mountService(m, sel(v('mountScripts'), m.mount.name))));
    }
  }

  // The host tools on every user's PATH; they cover the users' jobs too.
  if (tools.length > 0) {
    body.push(bind(['environment', 'systemPackages'], list(tools.map((tool) => sel(v('tools'), tool.name)))));
  }

  const module = attrs(body);
  return lambdaSet(['config', 'lib', 'pkgs'], lets.length > 0 ? letIn(lets, module) : module);
}
