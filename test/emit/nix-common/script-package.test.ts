import { describe, expect, it } from 'vitest';
import { apply, attrs, bind, binop, list, path, sel, str, v } from '../../../src/print/nix/ast.js';
import { jobTextFiles, scriptExe, scriptPackage } from '../../../src/emit/nix-common/script-package.js';
import { snapshotJob } from '../../support/plan-builders.js';

const readFile = (file: string) => apply(sel(v('builtins'), 'readFile'), path(file));

describe('scriptPackage', () => {
  it('wraps the text files, in order, in writeShellApplication with its runtimeInputs', () => {
    const pkg = scriptPackage(snapshotJob({ name: 'home' }), ['./lib/runtime.sh', './scripts/home.sh'], ['coreutils', 'rsync']);
    expect(pkg).toEqual(
      apply(
        sel(v('pkgs'), 'writeShellApplication'),
        attrs([
          bind('name', str('backupgen-home')),
          bind('runtimeInputs', list([sel(v('pkgs'), 'coreutils'), sel(v('pkgs'), 'rsync')])),
          bind('text', binop('+', readFile('./lib/runtime.sh'), readFile('./scripts/home.sh'))),
        ]),
      ),
    );
    expect(scriptExe(pkg)).toEqual(apply(sel(v('lib'), 'getExe'), pkg));
  });

  it('reads a single file as it is', () => {
    const pkg = scriptPackage({ unitName: 'backupgen-mount-x' }, ['./mounts/x.sh'], []);
    expect(pkg).toMatchObject({ args: [{ entries: [{}, {}, { value: readFile('./mounts/x.sh') }] }] });
  });

  it("puts the host's runtime library before a job's script, relative to the module", () => {
    const system = snapshotJob({ name: 'home', host: 'laptop' });
    expect(jobTextFiles(system, 'hosts/laptop/nixos.nix')).toEqual(['./lib/runtime.sh', './scripts/home.sh']);
    const user = { ...system, scriptPath: 'hosts/laptop/scripts/mads/home.sh' };
    expect(jobTextFiles(user, 'hosts/laptop/home/mads.nix')).toEqual(['../lib/runtime.sh', '../scripts/mads/home.sh']);
  });
});
