/**
 * Nix path expressions from a generated module to another file of the output tree (a script)
 * or of the user's repository (a sops file). Paths stay relative to the module so the output
 * works wherever the user's flake puts it, and Nix copies the file into the store itself.
 */
import { posix } from 'node:path';
import { binop, path, str, type NixExpr } from '../../print/nix/ast.js';
import { nixPathLiteralProblem } from '../../print/nix/escape.js';

/**
 * The relative path (posix, starting with `./` or `../`) from the directory of `moduleFile`
 * to `target`; both are relative to the output root. Plain segment arithmetic (this runs
 * twice per job of a fleet): drop the common leading folders, climb out of the rest of the
 * module's. `target` may start outside the output (`../secrets`, configDirFromOutput), the
 * module never does.
 */
export function relativeFromModule(moduleFile: string, target: string): string {
  const from = segmentsOf(posix.dirname(moduleFile));
  const to = segmentsOf(target);
  if (from[0] === '..') throw new Error(`relativeFromModule: module ${moduleFile} is outside the output`);
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  const rel = [...Array<string>(from.length - common).fill('..'), ...to.slice(common)].join('/');
  if (rel === '' || to.length === 0) throw new Error(`relativeFromModule: ${target} is the module's own directory`);
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** The segments of a normalized relative path; `.` (the output root itself) has none. */
function segmentsOf(relativePath: string): string[] {
  const normalized = posix.normalize(relativePath);
  return normalized === '.' || normalized === './' ? [] : normalized.replace(/\/$/, '').split('/');
}

/**
 * A Nix path expression for a relative path. A path literal when the lexer accepts it;
 * otherwise (spaces, `$`, unicode in a file name) the longest literal prefix of `..`
 * segments joined with a string, `../.. + "/my secrets/a.yaml"`, which is still a path
 * (Nix manual, "Path" + string concatenation) and still relative to the module.
 */
export function nixRelativePath(rel: string): NixExpr {
  if (nixPathLiteralProblem(rel) === undefined) return path(rel);
  const segments = rel.split('/');
  const ups = segments.findIndex((segment) => segment !== '..' && segment !== '.');
  const base = ups <= 0 ? '.' : segments.slice(0, ups).join('/');
  const rest = segments.slice(Math.max(ups, 1)).join('/');
  return binop('+', path(base === '.' ? './.' : base), str(`/${rest}`));
}

/** `nixRelativePath(relativeFromModule(moduleFile, target))`. */
export function pathFromModule(moduleFile: string, target: string): NixExpr {
  return nixRelativePath(relativeFromModule(moduleFile, target));
}

/**
 * A file of the user's configuration directory (a sops or age file, given relative to the
 * config file) as a path from `moduleFile`: `configDirFromOutput` locates the config's
 * directory from the output root (plan/model.ts).
 */
export function configFileFromModule(configDirFromOutput: string, moduleFile: string, configRelative: string): NixExpr {
  return pathFromModule(moduleFile, posix.join(configDirFromOutput, configRelative));
}
