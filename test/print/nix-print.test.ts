/**
 * Layout of printNix: a table of expression -> exact text (nixfmt, RFC 166 style), and a
 * realistic NixOS module that must parse with the real `nix-instantiate --parse`.
 */
import { describe, expect, it } from 'vitest';
import {
  apply,
  attrs,
  attrsOf,
  bind,
  binop,
  bool,
  inherit,
  int,
  interp,
  lambda,
  lambdaSet,
  letIn,
  list,
  nul,
  path,
  sel,
  selOr,
  str,
  v,
  type NixExpr,
} from '../../src/print/nix/ast.js';
import { printNix, printNixFile } from '../../src/print/nix/print.js';
import { nixEvalJson, nixParse } from '../nix-harness/nix-cli.js';

const cases: [string, NixExpr, string][] = [
  ['empty attrs', attrs([]), '{ }'],
  ['empty rec attrs', { kind: 'attrs', entries: [], rec: true }, 'rec { }'],
  ['one binding still breaks', attrsOf({ a: int(1) }), '{\n  a = 1;\n}'],
  ['rec attrs', { kind: 'attrs', entries: [bind('a', int(1))], rec: true }, 'rec {\n  a = 1;\n}'],
  ['empty list', list([]), '[ ]'],
  ['one atom stays inline', list([str('a')]), '[ "a" ]'],
  ['two atoms break', list([str('a'), str('b')]), '[\n  "a"\n  "b"\n]'],
  ['one attrs item breaks', list([attrs([])]), '[\n  { }\n]'],
  ['negative int in list', list([int(-1)]), '[\n  (-1)\n]'],
  ['scalars', list([int(0), bool(true), bool(false), nul]), '[\n  0\n  true\n  false\n  null\n]'],
  ['path literal', path('./scripts/home.sh'), './scripts/home.sh'],
  ['attribute path with quoted part', attrs([bind(['a', 'b c', 'd'], int(1))]), '{\n  a."b c".d = 1;\n}'],
  ['comment above binding', attrs([bind('a', int(1), 'why\n\nbecause')]), '{\n  # why\n  #\n  # because\n  a = 1;\n}'],
  ['inherit', attrs([inherit(['a', 'b']), inherit(['c'], v('pkgs'))]), '{\n  inherit a b;\n  inherit (pkgs) c;\n}'],
  ['nested attrs', attrsOf({ a: attrsOf({ b: str('x') }) }), '{\n  a = {\n    b = "x";\n  };\n}'],
  ['selection', sel(v('config'), 'sops', 'secrets', 'b2-key', 'path'), 'config.sops.secrets.b2-key.path'],
  ['selection with quoting', sel(v('config'), 'age', 'secrets', 'rclone:gdrive', 'path'), 'config.age.secrets."rclone:gdrive".path'],
  ['or default', selOr(v('x'), ['a'], apply(v('f'), int(1))), 'x.a or (f 1)'],
  ['application', apply(v('lib.getExe'), sel(v('pkgs'), 'rsync')), 'lib.getExe pkgs.rsync'],
  ['nested application flattens', apply(apply(v('f'), int(1)), int(2)), 'f 1 2'],
  ['argument in parentheses', apply(v('f'), apply(v('g'), int(1)), int(-2)), 'f (g 1) (-2)'],
  [
    'last argument hugs',
    apply(v('lib.mkIf'), sel(v('cfg'), 'enable'), attrsOf({ a: int(1) })),
    'lib.mkIf cfg.enable {\n  a = 1;\n}',
  ],
  [
    'hugging inside a binding',
    attrs([bind('x', apply(v('pkgs.writeShellApplication'), attrsOf({ name: str('n') })))]),
    '{\n  x = pkgs.writeShellApplication {\n    name = "n";\n  };\n}',
  ],
  [
    'earlier multi-line argument breaks every argument',
    apply(v('f'), attrsOf({ a: int(1) }), int(2)),
    'f\n  {\n    a = 1;\n  }\n  2',
  ],
  ['interpolation', interp(sel(v('pkgs'), 'rsync'), '/bin/rsync'), '"${pkgs.rsync}/bin/rsync"'],
  ['interpolation after $', interp('$', v('x')), '"\\$${x}"'],
  ['module lambda', lambdaSet(['config', 'lib'], attrs([])), '{\n  config,\n  lib,\n  ...\n}:\n{ }'],
  ['lambda without ellipsis', lambdaSet(['a'], v('a'), false), '{ a }:\na'],
  ['lambda with default', { kind: 'lambda', param: { kind: 'set', names: [{ name: 'user', default: str('me') }], ellipsis: true }, body: v('user') }, '{ user ? "me", ... }:\nuser'],
  ['name lambda', lambda('x', v('x')), 'x: x'],
  ['name lambda hugs attrs', lambda('x', attrsOf({ y: v('x') })), 'x: {\n  y = x;\n}'],
  ['let', letIn([bind('a', int(1))], v('a')), 'let\n  a = 1;\nin\na'],
  ['let as a value goes on its own line', attrs([bind('x', letIn([bind('a', int(1))], v('a')))]), '{\n  x =\n    let\n      a = 1;\n    in\n    a;\n}'],
  ['binop inline', binop('++', list([str('a')]), v('extra')), '[ "a" ] ++ extra'],
  ['binop precedence', binop('++', binop('++', v('a'), v('b')), v('c')), '(a ++ b) ++ c'],
  ['binop right assoc', binop('++', v('a'), binop('++', v('b'), v('c'))), 'a ++ b ++ c'],
  ['binop tighter child', binop('||', binop('&&', v('a'), v('b')), binop('==', v('c'), int(1))), 'a && b || c == 1'],
  ['binop looser child', binop('&&', binop('||', v('a'), v('b')), v('c')), '(a || b) && c'],
  ['binop multi-line', binop('//', attrsOf({ a: int(1) }), attrsOf({ b: int(2) })), '{\n  a = 1;\n}\n// {\n  b = 2;\n}'],
  ['multi-line string', str('set -eu\n\necho "$HOME"\n'), "''\n  set -eu\n\n  echo \"$HOME\"\n''"],
  ['multi-line string without final newline', str('a\nb'), "''\n  a\n  b''"],
  ['multi-line string in a binding', attrs([bind('text', str('a\n  b\n'))]), "{\n  text = ''\n    a\n      b\n  '';\n}"],
  ['indented text falls back to "..."', str('  a\n  b\n'), '"  a\\n  b\\n"'],
];

describe('printNix layout', () => {
  it.each(cases)('%s', (_name, expr, expected) => {
    expect(printNix(expr)).toBe(expected);
  });

  it('printNixFile puts the header first and ends with a newline', () => {
    expect(printNixFile(attrs([]), '# generated by backupgen')).toBe('# generated by backupgen\n{ }\n');
    expect(printNixFile(attrs([]), 'generated')).toBe('# generated\n{ }\n');
    expect(() => printNixFile(attrs([]), 'a\nb')).toThrow(/one line/);
  });

  it('refuses names that cannot be printed safely', () => {
    expect(() => printNix(v('a b'))).toThrow(/not an identifier/);
    expect(() => printNix(lambdaSet(['a-b c'], v('x')))).toThrow(/not an identifier/);
    expect(() => printNix(path('./has space'))).toThrow(/use a string/);
    expect(() => printNix(attrs([bind([], int(1))]))).toThrow(/empty attribute path/);
    expect(() => printNix({ kind: 'int', value: 1.5 })).toThrow(/safe integer/);
  });

  it('every case that is closed evaluates', async () => {
    // Cases without free variables evaluate; this checks the text, not just its shape.
    const closed = cases.filter(([name]) => /string|scalars|empty|nested attrs|rec attrs|quoted part/.test(name));
    expect(closed.length).toBeGreaterThan(8);
    await nixEvalJson(printNix(list(closed.map(([, expr]) => expr))));
  });
});

/** A module shaped like the NixOS emitter's output. */
const realisticModule = lambdaSet(
  ['config', 'lib', 'pkgs'],
  letIn(
    [
      bind('cfg', sel(v('config'), 'services', 'backupgen')),
      bind(
        'homeScript',
        apply(
          v('pkgs.writeShellApplication'),
          attrsOf({
            name: str('backupgen-home'),
            runtimeInputs: list([sel(v('pkgs'), 'rsync'), sel(v('pkgs'), 'coreutils')]),
            text: apply(v('builtins.readFile'), path('./scripts/home.sh')),
          }),
        ),
      ),
    ],
    attrs([
      bind(
        ['systemd', 'services', 'backupgen-home'],
        apply(
          v('lib.mkIf'),
          sel(v('cfg'), 'enable'),
          attrsOf({
            description: str('backupgen job "home" (${HOME} → b2)'),
            after: list([str('network-online.target')]),
            wants: list([str('network-online.target')]),
            serviceConfig: attrsOf({
              Type: str('oneshot'),
              ExecStart: interp(v('homeScript'), '/bin/backupgen-home'),
              Environment: list([interp('RSYNC=', sel(v('pkgs'), 'rsync'), '/bin/rsync')]),
              LoadCredential: interp('b2:', sel(v('config'), 'sops', 'secrets', 'b2_key', 'path')),
              Nice: int(19),
            }),
          }),
        ),
        'job home',
      ),
      bind(['systemd', 'timers', 'backupgen-home'], attrsOf({
        wantedBy: list([str('timers.target')]),
        timerConfig: attrsOf({ OnCalendar: str('*-*-* 03:00:00'), Persistent: bool(true) }),
      })),
      bind(['sops', 'secrets', 'b2_key'], attrsOf({ sopsFile: path('../../secrets/b2.yaml') })),
      bind(['environment', 'systemPackages'], binop('++', list([v('homeScript')]), apply(v('lib.optional'), v('cfg.tools'), sel(v('pkgs'), 'rclone')))),
    ]),
  ),
);

describe('a realistic module', () => {
  it('parses with nix-instantiate --parse', async () => {
    const text = printNixFile(realisticModule, '# generated by backupgen from backupgen.yaml — do not edit');
    await expect(nixParse(text)).resolves.toBeUndefined();
    expect(text).toContain('{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\nlet\n  cfg = config.services.backupgen;\n');
    expect(text).toContain('  systemd.services.backupgen-home = lib.mkIf cfg.enable {\n');
    expect(text).toContain('      ExecStart = "${homeScript}/bin/backupgen-home";\n');
    expect(text).toContain('    description = "backupgen job \\"home\\" (\\${HOME} → b2)";\n');
  });

  it('a broken print is caught by the parser (the check can fail)', async () => {
    await expect(nixParse('{ a = "${HOME}"; }x')).rejects.toThrow();
  });
});

describe('set-pattern lambdas, as nixfmt lays them out', () => {
  it('keeps one name on one line and expands two or more', () => {
    expect(printNix(lambdaSet(['lib'], v('lib')))).toBe('{ lib, ... }:\nlib');
    expect(printNix(lambdaSet(['config', 'lib'], v('lib'), false))).toBe('{\n  config,\n  lib,\n}:\nlib');
  });
});
