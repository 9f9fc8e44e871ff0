/**
 * User paths (`~/GoogleDrive`, `~`) as Nix expressions in a home-manager module: `~` is
 * resolved against `config.home.homeDirectory` (plan/model.ts UserPath), never left for a
 * shell, because home-manager hands these strings to systemd, which does no tilde expansion.
 */
import { interp, sel, str, v, type NixExpr } from '../../print/nix/ast.js';

export const homeDirectory: NixExpr = sel(v('config'), 'home', 'homeDirectory');

/**
 * `~` -> `config.home.homeDirectory`, `~/x` -> `"${config.home.homeDirectory}/x"`, anything
 * else as written. `escape` is applied to the literal text only (the home directory is
 * home-manager's own value and is passed as is).
 */
export function homePathExpr(userPath: string, escape: (text: string) => string = (text) => text): NixExpr {
  if (userPath === '~') return homeDirectory;
  if (userPath.startsWith('~/')) return interp(homeDirectory, escape(userPath.slice(1)));
  return str(escape(userPath));
}
