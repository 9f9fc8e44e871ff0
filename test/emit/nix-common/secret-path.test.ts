import { describe, expect, it } from 'vitest';
import { interp, sel, str, v } from '../../../src/print/nix/ast.js';
import { secretEnvironment, secretPathExpr } from '../../../src/emit/nix-common/secret-path.js';
import { agenixSecret, fileSecret, sopsSecret } from '../../support/plan-builders.js';

describe('secretPathExpr', () => {
  it('reads the provider option for sops and agenix', () => {
    expect(secretPathExpr(sopsSecret('b2_key'))).toEqual(sel(v('config'), 'sops', 'secrets', 'b2_key', 'path'));
    expect(secretPathExpr(agenixSecret('proton'))).toEqual(sel(v('config'), 'age', 'secrets', 'proton', 'path'));
  });
  it('uses the file path for file secrets, resolving ~ only with a home directory', () => {
    expect(secretPathExpr(fileSecret('t', '/etc/backup/token'))).toEqual(str('/etc/backup/token'));
    const home = sel(v('config'), 'home', 'homeDirectory');
    expect(secretPathExpr(fileSecret('t', '~/.tok'), { homeDirectory: home })).toEqual(interp(home, '/.tok'));
    expect(() => secretPathExpr(fileSecret('t', '~/.tok'))).toThrow(/home directory/);
  });
  it('binds one BACKUPGEN_SECRET_ variable per secret', () => {
    const entries = secretEnvironment([sopsSecret('b2.key'), fileSecret('tok', '/x')]);
    expect(entries.map((e) => (e.kind === 'binding' ? e.path : []))).toEqual([['BACKUPGEN_SECRET_B2_KEY'], ['BACKUPGEN_SECRET_TOK']]);
  });
});
