/**
 * `backupgen.config.ts` via jiti. The module name `backupgen` is aliased to our own entry
 * so `import { defineConfig } from 'backupgen'` works without installing anything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createJiti } from 'jiti';
import { packageRoot, runningFromSource } from '../../package-root.js';
import { SyntaxProblems, type ParsedSource } from './source.js';

/** src/index.ts when running from source (tests), dist/index.js otherwise. */
function ownEntry(): string {
  const path = join(packageRoot(), runningFromSource ? 'src/index.ts' : 'dist/index.js');
  if (!existsSync(path)) throw new Error(`backupgen: cannot find its own index module ${path}`);
  return path;
}

export async function loadTypeScriptSource(absolutePath: string): Promise<ParsedSource> {
  const jiti = createJiti(import.meta.url, { alias: { backupgen: ownEntry() }, moduleCache: false, fsCache: false });
  let data: unknown;
  try {
    data = await jiti.import(absolutePath, { default: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const loc = (error as { loc?: { line?: number; column?: number } }).loc;
    const position = loc?.line !== undefined ? { line: loc.line, column: (loc.column ?? 0) + 1 } : undefined;
    throw new SyntaxProblems([{ message: `cannot load: ${message.split('\n')[0]!.trim()}`, position: position }]);
  }
  return { data, locate: () => undefined };
}
