/**
 * One user's home-manager module: `{ config, lib, pkgs, ... }: { ... }` using home-manager
 * options only (plus the sops-nix / agenix home modules the user imports), so it works both
 * under NixOS (home-manager.users.<u>.imports) and standalone. Attribute order is fixed:
 * secrets, programs.rclone, backupgen's part of rclone-config.service, then units in the
 * order of the user's jobs, then home.packages (the user's host tools).
 */
import type { HostPlan, Plan, UserPlan } from '../../plan/model.js';
import { attrs, bind, lambdaSet, letIn, list, sel, str, v, type AttrEntry, type NixExpr } from '../../print/nix/ast.js';
import { toolPackage, TOOLS_BINDING } from '../nix-common/tool-package.js';
import { userTools } from '../tools/index.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';
import { jobTextFiles } from '../nix-common/script-package.js';
import { secretDeclarations } from './home-secrets.js';
import { jobService, jobTimer, verifyService, verifyTimer } from './job-units.js';
import { rcloneProgram } from './rclone-program.js';
import { rcloneConfigSecrets } from './rclone-secrets.js';

/** `hosts/<host>/home/<user>.nix`, relative to the output root (architecture.md). */
export const userModulePath = (host: string, user: string): string => `hosts/${host}/home/${user}.nix`;

export function userModule(plan: Plan, host: HostPlan, user: UserPlan): NixExpr {
  const moduleFile = userModulePath(host.name, user.name);
  const entries: AttrEntry[] = [...secretDeclarations(user.secrets, plan.configDirFromOutput, moduleFile)];

  const rclone = rcloneProgram(user);
  if (rclone !== undefined) entries.push(rclone);
  const secrets = rcloneConfigSecrets(user);
  if (secrets !== undefined) entries.push(secrets);

  for (const job of user.jobs) {
    entries.push(
      jobService(user, job, {
        textFilesFromModule: jobTextFiles(job, moduleFile),
        runtimeInputs: jobRuntimeInputs(job),
      }),
    );
  }
  for (const job of user.jobs) {
    const timer = jobTimer(job);
    if (timer !== undefined) entries.push(timer);
  }
  // The user's host tools (backup-status, backup-now, backup-verify, backup-restore) for
  // this user's jobs, on the user's PATH; backup-verify also runs from verify units.
  const tools = userTools(host, user);
  for (const job of user.jobs) {
    if (job.verifySchedule === undefined) continue;
    entries.push(verifyService(user, job), verifyTimer(job, job.verifySchedule));
  }
  if (tools.length > 0) entries.push(bind(['home', 'packages'], list(tools.map((tool) => sel(v(TOOLS_BINDING), tool.name)))));
  const module = attrs(entries);
  const body = tools.length > 0 ? letIn([bind(TOOLS_BINDING, attrs(tools.map((tool) => bind(tool.name, toolPackage(tool, moduleFile)))))], module) : module;
  return lambdaSet(['config', 'lib', 'pkgs'], body);
}
