/**
 * A job's script as a package: conventions.md "Names" — on NixOS and home-manager the script
 * file is wrapped with `pkgs.writeShellApplication`, which puts the tools on PATH through
 * runtimeInputs and shellchecks the text at build time (nixpkgs
 * pkgs/build-support/trivial-builders: writeShellApplication). The text is read from the
 * generated file next to the module so the module stays short and the script is reviewable
 * as a real `.sh` file.
 */
import type { JobPlan } from '../../plan/model.js';
import { apply, attrs, bind, list, sel, str, v, type NixExpr } from '../../print/nix/ast.js';
import { nixRelativePath } from './module-path.js';

/**
 * `pkgs.writeShellApplication { name = "backupgen-<job>"; runtimeInputs = [ pkgs.x ... ];
 * text = builtins.readFile <relPathFromModule>; }`
 *
 * `relPathFromModule` is the script's path relative to the module file (`./scripts/home.sh`,
 * `../scripts/mads/sync.sh`; see `relativeFromModule`). `runtimeInputs` are nixpkgs attribute
 * names as `renderJobScript` returns them (sorted, unique).
 */
export function scriptPackage(job: Pick<JobPlan, 'unitName'>, relPathFromModule: string, runtimeInputs: readonly string[]): NixExpr {
  return apply(
    sel(v('pkgs'), 'writeShellApplication'),
    attrs([
      bind('name', str(job.unitName)),
      bind('runtimeInputs', list(runtimeInputs.map((name) => sel(v('pkgs'), name)))),
      bind('text', apply(sel(v('builtins'), 'readFile'), nixRelativePath(relPathFromModule))),
    ]),
  );
}

/**
 * The package's executable: `lib.getExe pkg` reads `meta.mainProgram`, which
 * writeShellApplication sets to `name` (nixpkgs lib/meta.nix getExe).
 */
export function scriptExe(pkg: NixExpr): NixExpr {
  return apply(sel(v('lib'), 'getExe'), pkg);
}
