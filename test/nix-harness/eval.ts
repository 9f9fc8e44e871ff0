/**
 * Evaluate a generated module to a JSON snapshot with nix/eval-module.nix: no nixpkgs,
 * placeholder packages and secret paths, mkIf/mkMerge/mkDefault resolved. For golden tests:
 * "this module evaluates, and defines exactly this".
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { execa } from 'execa';

const EVAL_MODULE = fileURLToPath(new URL('../../nix/eval-module.nix', import.meta.url));

export interface EvalModuleOptions {
  readonly kind: 'nixos' | 'home';
  /** The home-manager user (home directory /home/<user>); default "alice". */
  readonly user?: string;
  /** Package names the `pkgs.NAME` text scan cannot see (e.g. reached through `with`). */
  readonly extraPkgs?: readonly string[];
}

export async function evalModuleToJson(modulePath: string, options: EvalModuleOptions): Promise<unknown> {
  const args = [
    '--eval',
    '--strict',
    '--json',
    EVAL_MODULE,
    '--argstr',
    'module',
    resolve(modulePath),
    '--argstr',
    'kind',
    options.kind,
    '--argstr',
    'user',
    options.user ?? 'alice',
  ];
  if (options.extraPkgs !== undefined && options.extraPkgs.length > 0) {
    // A plain string argument (--argstr): no name is ever spliced into Nix source.
    args.push('--argstr', 'extraPkgs', options.extraPkgs.join(' '));
  }
  const { stdout } = await execa('nix-instantiate', args);
  return JSON.parse(stdout) as unknown;
}
