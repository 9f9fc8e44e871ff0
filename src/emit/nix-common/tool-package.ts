import type { HostTool } from '../tools/index.js';
import { interp, sel, v, type NixExpr } from '../../print/nix/ast.js';
import { relativeFromModule } from './module-path.js';
import { scriptExe, scriptPackage } from './script-package.js';

/**
 * A host tool as a package: like a job script, the host's runtime library followed by the
 * tool's own text (templates/scripts/partials/tool-prologue.sh.hbs skips its `source` of the
 * library when the library is already in front), wrapped by writeShellApplication.
 */
export function toolPackage(tool: HostTool, moduleFile: string): NixExpr {
  return scriptPackage(
    { unitName: tool.name },
    [relativeFromModule(moduleFile, tool.runtimePath), relativeFromModule(moduleFile, tool.path)],
    tool.runtimeInputs,
  );
}

/** The `let` name of a module's tool packages (NixOS host module, home-manager user module). */
export const TOOLS_BINDING = 'tools';

/**
 * A unit's `{ kind: 'host-tool' }` command (src/emit/units/unit.ts): the tool's executable
 * from the module's `tools` binding, then its arguments (Exec= text already).
 */
export function toolExec(tool: string, args: string): NixExpr {
  return interp(scriptExe(sel(v(TOOLS_BINDING), tool)), ` ${args}`);
}
