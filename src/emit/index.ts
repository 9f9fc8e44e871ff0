/**
 * The emit registry: every target, in one list. Each emitter is a pure `plan -> files`
 * function; this module only concatenates their output, checks that no two targets claim
 * the same path, and sorts by path so the writer, the manifest and the goldens see one
 * stable order whatever order the targets run in.
 */
import type { Plan } from '../plan/model.js';
import type { GeneratedFile } from './types.js';
import { emitDefaultNix } from './default-nix.js';
import { emitHomeManager } from './home-manager/index.js';
import { emitKubernetes } from './kubernetes/index.js';
import { emitMonitoring } from './monitoring/index.js';
import { emitNixos } from './nixos/index.js';
import { emitScripts } from './scripts/index.js';
import { emitSystemd } from './systemd/index.js';
import { emitTools } from './tools/index.js';

export interface EmitTarget {
  readonly name: string;
  readonly emit: (plan: Plan) => readonly GeneratedFile[];
}

export const targets: readonly EmitTarget[] = [
  { name: 'scripts', emit: emitScripts },
  { name: 'tools', emit: emitTools },
  { name: 'nixos', emit: emitNixos },
  { name: 'home-manager', emit: emitHomeManager },
  { name: 'systemd', emit: emitSystemd },
  { name: 'default.nix', emit: emitDefaultNix },
  { name: 'kubernetes', emit: emitKubernetes },
  { name: 'monitoring', emit: emitMonitoring },
];

export function emitAll(plan: Plan, registry: readonly EmitTarget[] = targets): GeneratedFile[] {
  const owners = new Map<string, string>();
  const files: GeneratedFile[] = [];
  for (const target of registry) {
    for (const file of target.emit(plan)) {
      const owner = owners.get(file.path);
      // Two targets (or one target twice) writing one path means one output silently
      // replaces the other: that is a bug in backupgen, never something a config can ask for.
      if (owner !== undefined) {
        throw new Error(`emit: ${file.path} is produced by both ${owner} and ${target.name}`);
      }
      owners.set(file.path, target.name);
      files.push(file);
    }
  }
  return files.sort((a, b) => compareCodeUnits(a.path, b.path));
}

/** Plain code-unit order: independent of the locale of the machine running the build. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
