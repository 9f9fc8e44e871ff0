/**
 * Rendering scripts for runtime tests: a real engine script from a plan object, or the
 * common runtime around a test-written body (to exercise the shell API directly). Both come
 * as NixOS installs them: the host's runtime library, then the job's text, in one file
 * (script-package.ts). Running a script by hand from a build's output folder, where it
 * sources the library, is tested through the CLI (test/secrets/canary.test.ts,
 * test/runtime/hand-run.test.ts).
 */
import type { JobPlan, Plan } from '../../../src/plan/model.js';
import type { JobScript } from '../../../src/emit/scripts/job-script.js';
import { renderJobScript } from '../../../src/emit/scripts/job-script.js';
import { commonScriptData } from '../../../src/emit/scripts/common-script-data.js';
import { renderTemplate } from '../../../src/emit/scripts/handlebars.js';
import { renderRuntimeLibrary } from '../../../src/emit/scripts/runtime-library.js';
import { host, plan, user } from '../../support/plan-builders.js';

/**
 * Renders `job` as the emitter would: a host holding it (under a user for user jobs), in a
 * plan with `planOverrides` (e.g. `monitoring`).
 */
export function renderJob(job: JobPlan, planOverrides: Partial<Plan> = {}): JobScript {
  const h =
    job.runAs.scope === 'user'
      ? host({ name: job.host, users: [user({ name: job.runAs.user, jobs: [job] })] })
      : host({ name: job.host, jobs: [job] });
  const p = plan([h], planOverrides);
  const script = renderJobScript(p, h, job);
  return { ...script, text: renderRuntimeLibrary(p) + script.text };
}

/**
 * The runtime library, `{{> prologue}}` for `job`, then `body` verbatim: the shell API of the
 * runtime with a body the test writes (call bg_begin ... bg_finish yourself). `planOverrides`
 * sets plan-wide values the runtime reads (e.g. `monitoring`).
 */
export function renderHarness(job: JobPlan, body: string, planOverrides: Partial<Plan> = {}): string {
  const h = host({ name: job.host, jobs: [job] });
  const p = plan([h], planOverrides);
  // renderTemplate resolves names under templates/scripts/; the harness is a test file.
  const jobText = renderTemplate('../../test/runtime/support/harness', { common: commonScriptData(p, h, job), body });
  return renderRuntimeLibrary(p) + jobText;
}
