import type { Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { renderTemplate } from './handlebars.js';

/**
 * The host's script runtime library, `hosts/<host>/lib/runtime.sh` (templates/scripts/
 * runtime.sh.hbs): the bg_* functions and every engine's helpers, with no job's data in it,
 * so the text is the same for every host of a plan. Job scripts start from it (sourced by
 * hand, or put in front of the job's text by the Nix module; see script-package.ts), which
 * keeps the ~1,300 lines out of every job script.
 */
export function renderRuntimeLibrary(plan: Plan): string {
  return renderTemplate('runtime', {
    header: generatedHeader('#', plan.sourceFile),
    // The rclone-config partial renders a helper only when a flag asks for it (a mount
    // script gets only what its remotes need); the library has all of them.
    rcloneConfig: { anySecret: true, anyObscure: true, inState: true },
  });
}
