/**
 * The plain systemd target: for every `kind: systemd` host (any Linux with systemd, no
 * NixOS), `hosts/<host>/systemd/`:
 *   system/backupgen-<job>.{service,timer}, system/backupgen-<job>-verify.{service,timer},
 *   system/backupgen-mount-<name>.service, user/backupgen-<job>[-verify].{service,timer},
 *   install.sh, uninstall.sh
 * and the system mounts' scripts (`hosts/<host>/mounts/`). The job scripts, the runtime
 * library and the host and user tools come from the scripts and tools targets, as on NixOS;
 * install.sh copies them to fixed paths (install-paths.ts). The host tools are linked into
 * /usr/local/bin; a user's tools (hosts/<host>/tools/<user>/, that user's jobs only) are
 * installed next to them but not linked: they are what the user's verify units run, and
 * the host tools on PATH cover the users' jobs too. The units are the NixOS units
 * (src/emit/units/), printed as files.
 */
import type { HostPlan, JobPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { hostJobs } from '../scripts/index.js';
import { jobRuntimeInputs } from '../scripts/job-script.js';
import { mountUnitName, renderMountScript } from '../scripts/mount-script.js';
import { hostTools, userTools, type HostTool } from '../tools/index.js';
import type { GeneratedFile } from '../types.js';
import { jobService, systemJobFollowers } from '../units/job-service.js';
import { hasTimer, jobTimer } from '../units/job-timer.js';
import { mountService } from '../units/mount-service.js';
import { userJobService, userJobTimer } from '../units/user-job.js';
import { verifyService, verifyTimer, verifyUnitName } from '../units/verify-units.js';
import { escapeSystemdSpecifiers, systemdUnitValue } from '../../print/systemd/escape.js';
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

  const tools = (list: readonly HostTool[]): Record<string, string> =>
    Object.fromEntries(list.map((tool) => [tool.name, installedPath(host, tool.path)]));
  const systemTools = hostTools(host);

  const jobs = hostJobs(host);
  if (jobs.length > 0) script(jobs[0]!.runtimePath, false);
  for (const job of host.jobs) {
    script(job.scriptPath);
    jobRuntimeInputs(job).forEach((p) => packages.add(p));
    const service = jobService(job, { followers: systemJobFollowers(host, job), metricsDir: plan.monitoring.prometheus?.textfileDir });
    const context = { script: installedPath(host, job.scriptPath), secrets: service.secrets, tools: tools(systemTools) };
    unit('system', `${job.unitName}.service`, unitFileText(header, serviceSections(service), context), false);
    if (hasTimer(job)) addTimer(job, unitFileText(header, timerSections(jobTimer(job))), 'system');
    const verifySchedule = job.verifySchedule;
    if (verifySchedule !== undefined) {
      const verify = verifyService(job, service, systemdUnitValue(`backupgen verify ${job.name}`));
      const timer = verifyTimer(job, verifySchedule, systemdUnitValue(`backupgen verify ${job.name} (${verifySchedule.source})`));
      unit('system', `${verifyUnitName(job)}.service`, unitFileText(header, serviceSections(verify), context), false);
      unit('system', `${verifyUnitName(job)}.timer`, unitFileText(header, timerSections(timer)), job.enable);
    }
  }
  for (const user of host.users) {
    // Every user's manager reads /etc/systemd/user: the units run only in their owner's.
    const only = [['ConditionUser', user.name] as const];
    const ownTools = userTools(host, user);
    for (const job of user.jobs) {
      script(job.scriptPath);
      jobRuntimeInputs(job).forEach((p) => packages.add(p));
      const service = userJobService(user, job, { only });
      const context = { script: installedPath(host, job.scriptPath), secrets: service.secrets, userUnit: true, tools: tools(ownTools) };
      unit('user', `${job.unitName}.service`, unitFileText(header, serviceSections(service), context), false);
      if (hasTimer(job)) addTimer(job, unitFileText(header, timerSections(userJobTimer(job, { only }))), 'user');
      const verifySchedule = job.verifySchedule;
      if (verifySchedule !== undefined) {
        const verify = verifyService(job, service, escapeSystemdSpecifiers(`backupgen verify ${job.name}`));
        const description = escapeSystemdSpecifiers(`backupgen verify ${job.name}: schedule (${verifySchedule.source})`);
        const timer = verifyTimer(job, verifySchedule, description, only);
        unit('user', `${verifyUnitName(job)}.service`, unitFileText(header, serviceSections(verify), context), false);
        unit('user', `${verifyUnitName(job)}.timer`, unitFileText(header, timerSections(timer)), job.enable);
      }
    }
    for (const tool of ownTools) {
      installed.push({ from: tool.path, kind: 'tool' });
      tool.runtimeInputs.forEach((p) => packages.add(p));
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
  for (const tool of systemTools) {
    installed.push({ from: tool.path, kind: 'tool', link: tool.name });
    tool.runtimeInputs.forEach((p) => packages.add(p));
  }

  files.push(...renderInstallScripts(plan, host, installed, hostCommands(packages)));
  return files;

  function addTimer(job: JobPlan, contents: string, scope: 'system' | 'user'): void {
    unit(scope, `${job.unitName}.timer`, contents, job.enable);
  }
}

function serviceSections(service: ReturnType<typeof jobService>) {
  return [['Unit', service.unit], ['Service', service.service]] as const;
}

function timerSections(timer: ReturnType<typeof jobTimer>) {
  return [['Unit', timer.unit], ['Timer', timer.timer], ['Install', timer.install]] as const;
}
