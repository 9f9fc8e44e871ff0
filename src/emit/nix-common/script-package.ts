/**
 * A job's script as a package: conventions.md "Names" — on NixOS and home-manager the script
 * file is wrapped with `pkgs.writeShellApplication`, which puts the tools on PATH through
 * runtimeInputs and shellchecks the text at build time (nixpkgs
 * pkgs/build-support/trivial-builders: writeShellApplication). The text is read from the
 * generated files next to the module so the module stays short and the script is reviewable
 * as a real `.sh` file. A job's text is two files: the host's runtime library, then the job
 * script (templates/scripts/partials/prologue.sh.hbs skips its own `source` of the library
 * when the library's functions are already defined).
 */
import type { JobPlan } from '../../plan/model.js';
import { apply, attrs, bind, binop, list, sel, str, v, type NixExpr } from '../../print/nix/ast.js';
import { nixRelativePath, relativeFromModule } from './module-path.js';

/**
 * `pkgs.writeShellApplication { name = "backupgen-<job>"; runtimeInputs = [ pkgs.x ... ];
 * text = builtins.readFile <file> + builtins.readFile <file> ...; }`
 *
 * `textFilesFromModule` are the files whose contents make the text, in order, as paths
 * relative to the module file (`[ "../lib/runtime.sh", "./scripts/home.sh" ]`; see
 * `relativeFromModule`). `runtimeInputs` are nixpkgs attribute names as `jobRuntimeInputs`
 * returns them (sorted, unique).
 */
export function scriptPackage(
  job: Pick<JobPlan, 'unitName'>,
  textFilesFromModule: readonly string[],
  runtimeInputs: readonly string[],
): NixExpr {
  const reads = textFilesFromModule.map((file) => apply(sel(v('builtins'), 'readFile'), nixRelativePath(file)));
  const [first, ...rest] = reads;
  if (first === undefined) throw new Error('scriptPackage: a script needs at least one text file');
  return apply(
    sel(v('pkgs'), 'writeShellApplication'),
    attrs([
      bind('name', str(job.unitName)),
      bind('runtimeInputs', list(runtimeInputs.map((name) => sel(v('pkgs'), name)))),
      bind('text', rest.reduce((text, read) => binop('+', text, read), first)),
    ]),
  );
}

/** A job's text files for `scriptPackage`: the host's runtime library, then the job script. */
export function jobTextFiles(job: Pick<JobPlan, 'runtimePath' | 'scriptPath'>, moduleFile: string): string[] {
  return [relativeFromModule(moduleFile, job.runtimePath), relativeFromModule(moduleFile, job.scriptPath)];
}

/**
 * The package's executable: `lib.getExe pkg` reads `meta.mainProgram`, which
 * writeShellApplication sets to `name` (nixpkgs lib/meta.nix getExe).
 */
export function scriptExe(pkg: NixExpr): NixExpr {
  return apply(sel(v('lib'), 'getExe'), pkg);
}
