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
import type { HostPlan, Plan } from '../../plan/model.js';
import { attrs, bind, bool, lambdaSet, letIn, list, sel, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { jobTextFiles, scriptPackage } from '../nix-common/script-package.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';
import { hostTools } from '../tools/index.js';
import { toolPackage, TOOLS_BINDING } from '../nix-common/tool-package.js';
import { jobService, systemJobFollowers } from '../units/job-service.js';
import { hasTimer, jobTimer } from '../units/job-timer.js';
import { mountService } from '../units/mount-service.js';
import { verifyService, verifyTimer, verifyUnitName } from '../units/verify-units.js';
import { systemdUnitValue } from '../../print/systemd/escape.js';
import type { MountScript } from './mount-service.js';
import { isSharedSecret, SHARED_SECRETS_GROUP, systemSecrets } from './system-secrets.js';
import { serviceAttrs, timerAttrs } from './unit-attrs.js';

export function nixosModulePath(host: HostPlan): string {
  return `hosts/${host.name}/nixos.nix`;
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
    lets.push(bind(TOOLS_BINDING, attrs(tools.map((tool) => bind(tool.name, toolPackage(tool, moduleFile))))));
  }
  for (const job of host.jobs) {
    const needsSharedSecretsGroup = job.secrets.some((s) => s.provider !== 'file' && isSharedSecret(host, s));
    const service = jobService(job, {
      followers: systemJobFollowers(host, job),
      secretsGroup: needsSharedSecretsGroup ? SHARED_SECRETS_GROUP : undefined,
      metricsDir: plan.monitoring.prometheus?.textfileDir,
    });
    // A rebuild must not restart a backup that is running (nixpkgs restic.nix does the same).
    const noRestart = [bind('restartIfChanged', bool(false))];
    body.push(bind(['systemd', 'services', job.unitName], serviceAttrs(service, sel(v('scripts'), job.name), noRestart)));
    if (hasTimer(job)) body.push(bind(['systemd', 'timers', job.unitName], timerAttrs(jobTimer(job))));
    const verifySchedule = job.verifySchedule;
    if (verifySchedule !== undefined) {
      const verifyName = verifyUnitName(job);
      const verify = verifyService(job, service, systemdUnitValue(`backupgen verify ${job.name}`));
      const timer = verifyTimer(job, verifySchedule, systemdUnitValue(`backupgen verify ${job.name} (${verifySchedule.source})`));
      body.push(bind(['systemd', 'services', verifyName], serviceAttrs(verify, undefined, noRestart)));
      body.push(bind(['systemd', 'timers', verifyName], timerAttrs(timer)));
    }
  }

  if (mountScripts.length > 0) {
    lets.push(bind('mountScripts', attrs(mountScripts.map((m) => bind(m.mount.name, m.package)))));
    for (const m of mountScripts) {
      const unit = mountService(m.mount, m.unitName, m.secrets);
      body.push(bind(['systemd', 'services', m.unitName], serviceAttrs(unit, sel(v('mountScripts'), m.mount.name))));
    }
  }

  // The host tools on every user's PATH; they cover the users' jobs too.
  if (tools.length > 0) {
    body.push(bind(['environment', 'systemPackages'], list(tools.map((tool) => sel(v(TOOLS_BINDING), tool.name)))));
  }

  const module = attrs(body);
  return lambdaSet(['config', 'lib', 'pkgs'], lets.length > 0 ? letIn(lets, module) : module);
}
