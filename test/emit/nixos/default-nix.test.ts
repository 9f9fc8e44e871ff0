import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitDefaultNix } from '../../../src/emit/default-nix.js';
import { host, plan, user } from '../../support/plan-builders.js';

describe('emitDefaultNix', () => {
  it('imports each nixos host module and its users home modules, and evaluates', () => {
    const p = plan([
      host({ name: 'laptop', users: [user({ name: 'mads' })] }),
      host({ name: 'server' }),
      host({ name: 'vps', kind: 'systemd' }),
    ]);
    const [file] = emitDefaultNix(p);
    expect(file!.path).toBe('default.nix');
    expect(file!.contents).toContain('laptop = import ./hosts/laptop/nixos.nix;');
    expect(file!.contents).toContain('mads = import ./hosts/laptop/home/mads.nix;');
    expect(file!.contents).not.toContain('vps');
    // Evaluate for real: each import must resolve to the file the emitters write.
    const root = mkdtempSync(join(tmpdir(), 'backupgen-default-nix-'));
    const write = (rel: string, text: string) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    write('default.nix', file!.contents);
    write('hosts/laptop/nixos.nix', '"laptop-module"');
    write('hosts/server/nixos.nix', '"server-module"');
    write('hosts/laptop/home/mads.nix', '"mads-module"');
    const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', join(root, 'default.nix')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      homeModules: { laptop: { mads: 'mads-module' } },
      nixosModules: { laptop: 'laptop-module', server: 'server-module' },
    });
  });
});
