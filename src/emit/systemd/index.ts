/**
 * The plain systemd target: for every `kind: systemd` host (any Linux with systemd, no
 * NixOS), `hosts/<host>/systemd/`:
 *   system/backupgen-<job>.{service,timer}, system/backupgen-mount-<name>.service,
 *   user/backupgen-<job>.{service,timer}, install.sh, uninstall.sh
 * and the system mounts' scripts (`hosts/<host>/mounts/`). The job scripts, the runtime
 * library and the host tools come from the scripts and tools targets, as on NixOS;
 * install.sh copies them to fixed paths (install-paths.ts). The units are the NixOS units
 * (src/emit/units/), printed as files.
 */
import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { hostJobs } from '../scripts/index.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';
import { mountUnitName, renderMountScript } from '../scripts/mount-script.js';
import { hostTools, toolPath } from '../tools/index.js';
import type { GeneratedFile } from '../types.js';
import { jobService, systemJobFollowers } from '../units/job-service.js';
import { hasTimer, jobTimer } from '../units/job-timer.js';
import { mountService } from '../units/mount-service.js';
import { userJobService, userJobTimer } from '../units/user-job.js';
import { hostCommands } from './host-commands.js';
import { renderInstallScripts, type Installed } from './install-script.js';
import { installedPath, systemdDir } from './install-paths.js';
import { unitFileText } from './unit-file.js';

export function emitSystemd(plan: Plan): GeneratedFile[] {
  return plan.hosts.filter((host) => host.kind === 'systemd').flatMap((host) => hostFiles(plan, host));
}

function hostFiles(plan: Plan, host: HostPlan): GeneratedFile[] {
  const header = generatedHeader('#', plan.sourceFile);
  const dir = systemdDir(host);
  const files: GeneratedFile[] = [];
  const installed: Installed[] = [];
  const packages = new Set<string>();
  const unit = (scope: 'system' | 'user', name: string, contents: string, enable: boolean): void => {
    const path = `${dir}/${scope}/${name}`;
    files.push({ path, contents });
    installed.push({ from: path, kind: scope === 'system' ? 'system-unit' : 'user-unit', unit: name, enable });
  };
  const script = (path: string, executable = true): void => {
    installed.push({ from: path, kind: executable ? 'script' : 'library' });
  };

  const jobs = hostJobs(host);
  if (jobs.length > 0) script(jobs[0]!.runtimePath, false);
  for (const job of host.jobs) {
    script(job.scriptPath);
    jobRuntimeInputs(job).forEach((p) => packages.add(p));
    const service = jobService(job, { followers: systemJobFollowers(host, job), metricsDir: plan.monitoring.prometheus?.textfileDir });
    const context = { script: installedPath(host, job.scriptPath), secrets: service.secrets };
    unit('system', `${job.unitName}.service`, unitFileText(header, [['Unit', service.unit], ['Service', service.service]], context), false);
    if (hasTimer(job)) addTimer(job, unitFileText(header, timerSections(jobTimer(job))), 'system');
  }
  for (const user of host.users) {
    // Every user's manager reads /etc/systemd/user: the units run only in their owner's.
    const only = [['ConditionUser', user.name] as const];
    for (const job of user.jobs) {
      script(job.scriptPath);
      jobRuntimeInputs(job).forEach((p) => packages.add(p));
      const service = userJobService(user, job, { only });
      const context = { script: installedPath(host, job.scriptPath), secrets: service.secrets, userUnit: true };
      unit('user', `${job.unitName}.service`, unitFileText(header, [['Unit', service.unit], ['Service', service.service]], context), false);
      if (hasTimer(job)) addTimer(job, unitFileText(header, timerSections(userJobTimer(job, { only }))), 'user');
    }
  }
  for (const mount of host.mounts) {
    const rendered = renderMountScript(plan, host, mount);
    files.push({ path: rendered.path, contents: rendered.text, executable: true });
    script(rendered.path);
    rendered.runtimeInputs.forEach((p) => packages.add(p));
    const unitName = mountUnitName(mount);
    const service = mountService(mount, unitName, rendered.secrets);
    const context = { script: installedPath(host, rendered.path), secrets: service.secrets };
    const sections = [['Unit', service.unit], ['Service', service.service], ['Install', service.install]] as const;
    unit('system', `${unitName}.service`, unitFileText(header, sections, context), true);
  }
  for (const tool of hostTools(host)) {
    installed.push({ from: toolPath(host.name, tool.name), kind: 'tool', tool: tool.name });
    tool.runtimeInputs.forEach((p) => packages.add(p));
  }

  files.push(...renderInstallScripts(plan, host, installed, hostCommands(packages)));
  return files;

  function addTimer(job: JobPlan, contents: string, scope: 'system' | 'user'): void {
    unit(scope, `${job.unitName}.timer`, contents, job.enable);
  }
}

function timerSections(timer: ReturnType<typeof jobTimer>) {
  return [['Unit', timer.unit], ['Timer', timer.timer], ['Install', timer.install]] as const;
}
