/**
 * Every golden shell script passes `bash -n` (bash itself parses it) and `shellcheck -s
 * bash` with no findings at any severity: on NixOS writeShellApplication runs shellcheck at
 * build time, so a finding here would be a failed `nixos-rebuild` on the user's machine.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { goldenFilesEndingIn } from './golden-files.js';

const scripts = goldenFilesEndingIn('.sh');

describe('shell scripts', () => {
  it('has .sh goldens to check', () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  it.each(scripts.map((file) => [file.name, file] as const))('%s', async (_name, file) => {
    const syntax = await execa('bash', ['-n', file.absolute], { reject: false });
    expect(syntax.stderr).toBe('');
    expect(syntax.exitCode).toBe(0);
    const lint = await execa('shellcheck', ['-s', 'bash', '-f', 'gcc', file.absolute], { reject: false });
    expect(lint.stdout).toBe('');
    expect(lint.exitCode).toBe(0);
  });
});
