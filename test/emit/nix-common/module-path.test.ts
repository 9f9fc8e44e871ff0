import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binop, path, str } from '../../../src/print/nix/ast.js';
import {
  configFileFromModule,
  nixRelativePath,
  relativeFromModule,
} from '../../../src/emit/nix-common/module-path.js';

describe('relativeFromModule', () => {
  it.each([
    ['hosts/laptop/nixos.nix', 'hosts/laptop/scripts/home.sh', './scripts/home.sh'],
    ['hosts/laptop/home/mads.nix', 'hosts/laptop/scripts/mads/sync.sh', '../scripts/mads/sync.sh'],
    ['hosts/laptop/nixos.nix', '../secrets/shared.yaml', '../../../secrets/shared.yaml'],
    ['hosts/laptop/nixos.nix', './secrets/shared.yaml', '../../secrets/shared.yaml'],
    ['hosts/laptop/nixos.nix', '../../cfg/secrets/a.age', '../../../../cfg/secrets/a.age'],
    ['default.nix', 'hosts/laptop/nixos.nix', './hosts/laptop/nixos.nix'],
    ['hosts/laptop/nixos.nix', 'hosts/laptop/lib/runtime.sh', './lib/runtime.sh'],
    ['hosts/laptop/home/mads.nix', 'hosts/laptop/lib/runtime.sh', '../lib/runtime.sh'],
    ['hosts/laptop/nixos.nix', 'hosts/other/x/../nixos.nix', '../other/nixos.nix'],
    ['hosts/a/home/u.nix', 'hosts/ab/x.sh', '../../ab/x.sh'],
  ])('%s -> %s = %s', (from, to, expected) => {
    expect(relativeFromModule(from, to)).toBe(expected);
  });

  it("refuses the module's own directory as a target", () => {
    expect(() => relativeFromModule('hosts/laptop/nixos.nix', 'hosts/laptop')).toThrow(/own directory/);
  });

  it('agrees with posix.relative over generated trees', () => {
    const segment = fc.constantFrom('hosts', 'a', 'b', 'lib', 'scripts', 'x.sh');
    const inside = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
    const target = fc.tuple(fc.array(fc.constant('..'), { maxLength: 3 }), inside).map(([ups, rest]) => [...ups, rest].join('/'));
    fc.assert(
      fc.property(inside, target, (moduleFile, to) => {
        const root = '/r1/r2/r3/r4';
        const expected = posix.relative(posix.resolve(root, posix.dirname(moduleFile)), posix.resolve(root, to));
        fc.pre(expected !== '');
        const got = relativeFromModule(moduleFile, to);
        expect(got).toBe(expected.startsWith('../') ? expected : `./${expected}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('configFileFromModule', () => {
  it('joins configDirFromOutput and the config-relative file', () => {
    expect(configFileFromModule('..', 'hosts/h/nixos.nix', 'secrets/shared.yaml')).toEqual(path('../../../secrets/shared.yaml'));
    expect(configFileFromModule('.', 'hosts/h/nixos.nix', 'secrets/shared.yaml')).toEqual(path('../../secrets/shared.yaml'));
  });
});

describe('nixRelativePath', () => {
  it('uses a path literal when the lexer accepts it', () => {
    expect(nixRelativePath('./scripts/a-b_c.sh')).toEqual(path('./scripts/a-b_c.sh'));
  });
  it('falls back to path + string for characters a path literal cannot hold', () => {
    expect(nixRelativePath('../../my secrets/a.yaml')).toEqual(binop('+', path('../..'), str('/my secrets/a.yaml')));
    expect(nixRelativePath('./scripts/my job.sh')).toEqual(binop('+', path('./.'), str('/scripts/my job.sh')));
  });
});
