import type { HostTool } from '../tools/index.js';
import type { NixExpr } from '../../print/nix/ast.js';
import { relativeFromModule } from './module-path.js';
import { scriptPackage } from './script-package.js';

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
