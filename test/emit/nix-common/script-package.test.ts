import { describe, expect, it } from 'vitest';
import { apply, attrs, bind, list, path, sel, str, v } from '../../../src/print/nix/ast.js';
import { scriptExe, scriptPackage } from '../../../src/emit/nix-common/script-package.js';
import { snapshotJob } from '../../support/plan-builders.js';

describe('scriptPackage', () => {
  it('wraps the script file in writeShellApplication with its runtimeInputs', () => {
    const pkg = scriptPackage(snapshotJob({ name: 'home' }), './scripts/home.sh', ['coreutils', 'rsync']);
    expect(pkg).toEqual(
      apply(
        sel(v('pkgs'), 'writeShellApplication'),
        attrs([
          bind('name', str('backupgen-home')),
          bind('runtimeInputs', list([sel(v('pkgs'), 'coreutils'), sel(v('pkgs'), 'rsync')])),
          bind('text', apply(sel(v('builtins'), 'readFile'), path('./scripts/home.sh'))),
        ]),
      ),
    );
    expect(scriptExe(pkg)).toEqual(apply(sel(v('lib'), 'getExe'), pkg));
  });
});
