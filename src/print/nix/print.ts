import type { NixExpr } from './ast.js';

/**
 * Print a Nix expression as nixfmt would format it. PLACEHOLDER: being implemented
 * (see the printer work); the signature is the contract.
 */
export function printNix(expr: NixExpr): string {
  throw new Error(`printNix: not implemented yet (${expr.kind})`);
}
