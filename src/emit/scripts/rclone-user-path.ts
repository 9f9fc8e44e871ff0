import type { UserPath } from '../../plan/model.js';

/**
 * A user path split for a template: `~/x` becomes `{ home: true, path: 'x' }`, rendered as
 * `"$HOME"/'x'` (model.ts: `~/` resolves against $HOME in scripts); anything else is literal.
 */
export interface ScriptPathData {
  readonly home: boolean;
  readonly path: string;
}

export function scriptPath(path: UserPath): ScriptPathData {
  if (path === '~') return { home: true, path: '' };
  return path.startsWith('~/') ? { home: true, path: path.slice(2) } : { home: false, path };
}
