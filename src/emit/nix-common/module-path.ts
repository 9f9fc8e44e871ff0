/**
 * Nix path expressions from a generated module to another file of the output tree (a script)
 * or of the user's repository (a sops file). Paths stay relative to the module so the output
 * works wherever the user's flake puts it, and Nix copies the file into the store itself.
 */
import { posix } from 'node:path';
import { binop, path, str, type NixExpr } from '../../print/nix/ast.js';
import { nixPathLiteralProblem } from '../../print/nix/escape.js';

/**
 * A fake absolute root deep enough that `..` segments of `configDirFromOutput` never reach
 * the real `/` (where posix.resolve would silently clamp them).
 */
const ROOT = '/' + Array.from({ length: 64 }, (_, i) => `r${i}`).join('/');

/**
 * The relative path (posix, starting with `./` or `../`) from the directory of `moduleFile`
 * to `target`; both are relative to the output root.
 */
export function relativeFromModule(moduleFile: string, target: string): string {
  const from = posix.resolve(ROOT, posix.dirname(moduleFile));
  const rel = posix.relative(from, posix.resolve(ROOT, target));
  if (rel === '') throw new Error(`relativeFromModule: ${target} is the module's own directory`);
  return rel.startsWith('../') ? rel : `./${rel}`;
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
