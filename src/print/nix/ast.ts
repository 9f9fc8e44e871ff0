/**
 * A small Nix expression tree. Emitters build these nodes; `printNix` (print.ts) turns them
 * into text formatted as nixfmt would. Emitters never concatenate Nix source text: the
 * printer's escaper is the only code that knows Nix's quoting rules.
 */

export type NixExpr =
  | { readonly kind: 'string'; readonly value: string }
  /** A string with interpolations: parts are literal text or expressions (`"${pkgs.x}/bin"`). */
  | { readonly kind: 'interp'; readonly parts: readonly (string | NixExpr)[] }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** A relative path literal (`./scripts/home.sh`, `../../secrets/a.yaml`). */
  | { readonly kind: 'path'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly NixExpr[] }
  | { readonly kind: 'attrs'; readonly entries: readonly AttrEntry[]; readonly rec?: boolean }
  /** A variable (`pkgs`, `lib`, `config`, `cfg`). */
  | { readonly kind: 'var'; readonly name: string }
  /** Attribute selection (`config.sops.secrets."b2_key".path`), with an optional `or` default. */
  | { readonly kind: 'select'; readonly from: NixExpr; readonly path: readonly string[]; readonly orDefault?: NixExpr }
  /** Function application (`lib.mkIf cond value`, `pkgs.writeShellApplication { ... }`). */
  | { readonly kind: 'apply'; readonly fn: NixExpr; readonly args: readonly NixExpr[] }
  /** `{ a, b ? d, ... }: body` (params given) or `x: body` (name given). */
  | { readonly kind: 'lambda'; readonly param: LambdaParam; readonly body: NixExpr }
  | { readonly kind: 'let'; readonly bindings: readonly AttrEntry[]; readonly body: NixExpr }
  | { readonly kind: 'binop'; readonly op: '++' | '//' | '+' | '==' | '&&' | '||'; readonly left: NixExpr; readonly right: NixExpr };

export type LambdaParam =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'set'; readonly names: readonly { name: string; default?: NixExpr }[]; readonly ellipsis: boolean };

export type AttrEntry =
  /** `a.b."c d" = value;` — the path is a list of attribute names, quoted by the printer. */
  | { readonly kind: 'binding'; readonly path: readonly string[]; readonly value: NixExpr; readonly comment?: string }
  /** `inherit (from) a b;` or `inherit a b;` */
  | { readonly kind: 'inherit'; readonly names: readonly string[]; readonly from?: NixExpr };

// ---------------------------------------------------------------------------------------
// Constructors: short names so emitters read like the Nix they produce.
// ---------------------------------------------------------------------------------------

export const str = (value: string): NixExpr => ({ kind: 'string', value });
export const interp = (...parts: (string | NixExpr)[]): NixExpr => ({ kind: 'interp', parts });
export const int = (value: number): NixExpr => {
  if (!Number.isSafeInteger(value)) throw new Error(`nix int: not a safe integer: ${value}`);
  return { kind: 'int', value };
};
export const bool = (value: boolean): NixExpr => ({ kind: 'bool', value });
export const nul: NixExpr = { kind: 'null' };
export const path = (value: string): NixExpr => ({ kind: 'path', value });
export const list = (items: readonly NixExpr[]): NixExpr => ({ kind: 'list', items });
export const v = (name: string): NixExpr => ({ kind: 'var', name });
/** `sel(v('config'), 'sops', 'secrets', name, 'path')` */
export const sel = (from: NixExpr, ...pathParts: string[]): NixExpr => ({ kind: 'select', from, path: pathParts });
export const selOr = (from: NixExpr, pathParts: readonly string[], orDefault: NixExpr): NixExpr => ({
  kind: 'select',
  from,
  path: pathParts,
  orDefault,
});
export const apply = (fn: NixExpr, ...args: NixExpr[]): NixExpr => ({ kind: 'apply', fn, args });
export const lambdaSet = (names: readonly string[], body: NixExpr, ellipsis = true): NixExpr => ({
  kind: 'lambda',
  param: { kind: 'set', names: names.map((name) => ({ name })), ellipsis },
  body,
});
export const lambda = (name: string, body: NixExpr): NixExpr => ({ kind: 'lambda', param: { kind: 'name', name }, body });
export const letIn = (bindings: readonly AttrEntry[], body: NixExpr): NixExpr => ({ kind: 'let', bindings, body });
export const binop = (op: Extract<NixExpr, { kind: 'binop' }>['op'], left: NixExpr, right: NixExpr): NixExpr => ({
  kind: 'binop',
  op,
  left,
  right,
});

export const bind = (pathParts: string | readonly string[], value: NixExpr, comment?: string): AttrEntry => ({
  kind: 'binding',
  path: typeof pathParts === 'string' ? [pathParts] : pathParts,
  value,
  ...(comment === undefined ? {} : { comment }),
});
export const inherit = (names: readonly string[], from?: NixExpr): AttrEntry => ({
  kind: 'inherit',
  names,
  ...(from === undefined ? {} : { from }),
});

/** Attribute set from entries. */
export const attrs = (entries: readonly AttrEntry[]): NixExpr => ({ kind: 'attrs', entries });
/** Attribute set from a plain record, in the record's key order (one binding per key). */
export const attrsOf = (record: Readonly<Record<string, NixExpr>>): NixExpr =>
  attrs(Object.entries(record).map(([key, value]) => bind(key, value)));
