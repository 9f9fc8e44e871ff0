/**
 * The NixOS target: for every `kind: nixos` host, its module `hosts/<host>/nixos.nix` and
 * the scripts of its system mounts. Job scripts and the runtime library are written by the
 * scripts target; the module only refers to them (`builtins.readFile`, script-package.ts).
 */
import type { Plan } from '../../plan/model.js';
import { printNixFile } from '../../print/nix/print.js';
import { generatedHeader } from '../header.js';
import type { GeneratedFile } from '../types.js';
import { relativeFromModule } from '../nix-common/module-path.js';
import { scriptPackage } from '../nix-common/script-package.js';
import { hostModule, nixosModulePath } from './host-module.js';
import { mountScriptPath, mountUnitName, renderMountScript } from '../scripts/mount-script.js';
import type { MountScript } from './mount-service.js';

export function emitNixos(plan: Plan): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const host of plan.hosts) {
    if (host.kind !== 'nixos') continue;
    const moduleFile = nixosModulePath(host);
    const mounts: MountScript[] = host.mounts.map((mount) => {
      const script = renderMountScript(plan, host, mount);
      files.push({ path: script.path, contents: script.text, executable: true });
      const unitName = mountUnitName(mount);
      return {
        mount,
        unitName,
        package: scriptPackage(
          { unitName },
          [relativeFromModule(moduleFile, mountScriptPath(host, mount))],
          script.runtimeInputs,
        ),
        configInState: script.configInState,
        secrets: script.secrets,
      };
    });
    files.push({ path: moduleFile, contents: printNixFile(hostModule(plan, host, mounts), generatedHeader('#', plan.sourceFile)) });
  }
  return files;
}
