/**
 * Evaluate a generated home-manager module's values with the real `nix-instantiate`, without
 * home-manager: the module function is applied to small stand-ins for `config`, `lib` and
 * `pkgs`, and only the selected attribute is forced (scripts read with builtins.readFile are
 * not there). This checks what Nix reads back from the printed text — escapes included.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const ARGS = `{
  config = {
    home.homeDirectory = "/home/mads";
    xdg = { configHome = "/home/mads/.config"; stateHome = "/home/mads/.local/state"; };
    sops.secrets = builtins.listToAttrs (map (n: { name = n; value.path = "/sops/" + n; }) names);
    age.secrets = builtins.listToAttrs (map (n: { name = n; value.path = "\\\${XDG_RUNTIME_DIR}/agenix/" + n; }) names);
  };
  lib = { getExe = p: "/exe/" + p.name; replaceStrings = builtins.replaceStrings; };
  pkgs = { writeShellApplication = a: a; };
}`;

/** `selector` is a Nix attribute path below the module's result (`programs.rclone`). */
export async function evalModuleAttr(moduleText: string, selector: string, secretNames: readonly string[] = []): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'backupgen-hm-eval-'));
  try {
    writeFileSync(join(dir, 'module.nix'), moduleText);
    const names = `[ ${secretNames.map((n) => JSON.stringify(n)).join(' ')} ]`;
    writeFileSync(join(dir, 'eval.nix'), `let names = ${names}; in (import ./module.nix ${ARGS}).${selector}\n`);
    const { stdout } = await execa('nix-instantiate', ['--eval', '--strict', '--json', join(dir, 'eval.nix')]);
    return JSON.parse(stdout) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
