/** Every golden .nix file parses with the real Nix parser (`nix-instantiate --parse`). */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { goldenFilesEndingIn } from './golden-files.js';

const files = goldenFilesEndingIn('.nix');

describe('nix-instantiate --parse', () => {
  it('has .nix goldens to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [file.name, file] as const))('%s', async (_name, file) => {
    const result = await execa('nix-instantiate', ['--parse', file.absolute], { reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
