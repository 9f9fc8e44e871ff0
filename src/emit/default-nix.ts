/**
 * `default.nix` at the output root: the entry point users import from their flake
 * (architecture.md "Output layout"):
 *
 *   { nixosModules.<host> = import ./hosts/<host>/nixos.nix;
 *     homeModules.<host>.<user> = import ./hosts/<host>/home/<user>.nix; }
 *
 * Only `kind: nixos` hosts: plain-systemd and kubernetes hosts have no Nix modules.
 * Both attributes are always present (possibly empty) so a flake can refer to them
 * without `or`.
 */
import type { Plan } from '../plan/model.js';
import { apply, attrs, bind, v, type AttrEntry } from '../print/nix/ast.js';
import { printNixFile } from '../print/nix/print.js';
import { generatedHeader } from './header.js';
import type { GeneratedFile } from './types.js';
import { pathFromModule } from './nix-common/module-path.js';

export function emitDefaultNix(plan: Plan): GeneratedFile[] {
  const hosts = plan.hosts.filter((h) => h.kind === 'nixos');
  const importOf = (file: string) => apply(v('import'), pathFromModule('default.nix', file));
  const nixos: AttrEntry[] = hosts.map((h) => bind(h.name, importOf(`hosts/${h.name}/nixos.nix`)));
  const home: AttrEntry[] = hosts
    .filter((h) => h.users.length > 0)
    .map((h) => bind(h.name, attrs(h.users.map((u) => bind(u.name, importOf(`hosts/${h.name}/home/${u.name}.nix`))))));
  const expr = attrs([bind('nixosModules', attrs(nixos)), bind('homeModules', attrs(home))]);
  return [{ path: 'default.nix', contents: printNixFile(expr, generatedHeader('#', plan.sourceFile)) }];
}
