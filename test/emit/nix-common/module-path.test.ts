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
  ])('%s -> %s = %s', (from, to, expected) => {
    expect(relativeFromModule(from, to)).toBe(expected);
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
