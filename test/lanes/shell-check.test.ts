/**
 * Every golden shell script passes `bash -n` (bash itself parses it) and `shellcheck -s
 * bash` with no findings at any severity: on NixOS writeShellApplication runs shellcheck at
 * build time, so a finding here would be a failed `nixos-rebuild` on the user's machine.
 *
 * A job script (`hosts/<host>/scripts/...`) or host tool (`hosts/<host>/tools/...`) is
 * checked the way the Nix module builds it: the host's `lib/runtime.sh` followed by the
 * script, one text (script-package.ts). The library is not checked alone: it reads values
 * only a job script (or a tool's prologue) sets. The job scripts a kubernetes host's
 * ConfigMap carries are checked the same way, library first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { goldenFilesEndingIn, type GoldenFile } from './golden-files.js';

const scripts = goldenFilesEndingIn('.sh');
const JOB_SCRIPT = /^[^/]+\/hosts\/[^/]+\/(scripts|tools)\//;

/** `hosts/<host>/lib/runtime.sh` of a job script's host (user scripts sit one folder deeper). */
function runtimeOf(file: GoldenFile): string {
  const hosts = file.absolute.lastIndexOf('/hosts/');
  const hostDir = file.absolute.slice(0, file.absolute.indexOf('/', hosts + '/hosts/'.length));
  return join(hostDir, 'lib', 'runtime.sh');
}

/** The text writeShellApplication gets for this golden file. */
function installedText(file: GoldenFile): string {
  const own = readFileSync(file.absolute, 'utf8');
  if (!JOB_SCRIPT.test(file.name)) return own;
  const runtime = runtimeOf(file);
  if (!existsSync(runtime)) throw new Error(`${file.name}: no runtime library at ${runtime}`);
  return readFileSync(runtime, 'utf8') + own;
}

describe('shell scripts', () => {
  it('has .sh goldens to check, job scripts among them', () => {
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((file) => JOB_SCRIPT.test(file.name)).length).toBeGreaterThan(0);
  });

  it.each(scripts.map((file) => [file.name, file] as const))('%s', async (_name, file) => {
    const syntax = await execa('bash', ['-n', file.absolute], { reject: false });
    expect(syntax.stderr).toBe('');
    expect(syntax.exitCode).toBe(0);
    const lint = await execa('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], {
      input: installedText(file),
      cwd: dirname(file.absolute),
      reject: false,
    });
    expect(lint.stdout).toBe('');
    expect(lint.exitCode).toBe(0);
  });
});

/** Each `scripts.<job>.sh` of a golden kubernetes ConfigMap, after its `lib.runtime.sh`. */
const configMapScripts = goldenFilesEndingIn('/kubernetes/configmap.yaml').flatMap((file) => {
  const data = (parse(readFileSync(file.absolute, 'utf8')) as { data: Record<string, string> }).data;
  return Object.keys(data)
    .filter((key) => key.startsWith('scripts.'))
    .map((key) => [`${file.name}: ${key}`, `${data['lib.runtime.sh']}${data[key]}`] as const);
});

describe('job scripts in kubernetes ConfigMaps', () => {
  it('has some to check', () => expect(configMapScripts.length).toBeGreaterThan(0));

  it.each(configMapScripts)('%s', async (_name, text) => {
    const syntax = await execa('bash', ['-n'], { input: text, reject: false });
    expect(syntax.stderr).toBe('');
    const lint = await execa('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: text, reject: false });
    expect(lint.stdout).toBe('');
    expect(lint.exitCode).toBe(0);
  });
});
