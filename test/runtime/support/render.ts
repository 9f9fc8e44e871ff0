/**
 * Rendering scripts for runtime tests: a real engine script from a plan object, or the
 * common runtime around a test-written body (to exercise the shell API directly).
 */
import type { JobPlan, Plan } from '../../../src/plan/model.js';
import type { JobScript } from '../../../src/emit/scripts/job-script.js';
import { renderJobScript } from '../../../src/emit/scripts/job-script.js';
import { commonScriptData } from '../../../src/emit/scripts/common-script-data.js';
import { renderTemplate } from '../../../src/emit/scripts/handlebars.js';
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
  return renderJobScript(plan([h], planOverrides), h, job);
}

/**
 * `{{> prologue}}`, `{{> common}}` for `job`, then `body` verbatim: the shell API of the common
 * partial with a body the test writes (call bg_begin ... bg_finish yourself). `planOverrides`
 * sets plan-wide values the runtime reads (e.g. `monitoring`).
 */
export function renderHarness(job: JobPlan, body: string, planOverrides: Partial<Plan> = {}): string {
  const h = host({ name: job.host, jobs: [job] });
  // renderTemplate resolves names under templates/scripts/; the harness is a test file.
  return renderTemplate('../../test/runtime/support/harness', {
    common: commonScriptData(plan([h], planOverrides), h, job),
    body,
  });
}
