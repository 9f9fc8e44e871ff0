/**
 * Thin wrappers over the real Nix CLI for tests: write the expression to a temporary file
 * (no argv length limit, no shell quoting) and run `nix-instantiate`. No nixpkgs, no
 * channel, no network: only builtins are available to the evaluated code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** Write `source` to a fresh temporary .nix file, hand its path to `run`, remove it after. */
async function withNixFile<T>(source: string, run: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'backupgen-nix-'));
  try {
    const file = join(dir, 'expr.nix');
    writeFileSync(file, source);
    return await run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `nix-instantiate --eval --strict --json` of Nix source text, parsed. */
export async function nixEvalJson(source: string): Promise<unknown> {
  return withNixFile(source, async (file) => {
    const { stdout } = await execa('nix-instantiate', ['--eval', '--strict', '--json', file]);
    return JSON.parse(stdout) as unknown;
  });
}

/** `nix-instantiate --parse` of Nix source text: resolves when it parses, rejects with Nix's error. */
export async function nixParse(source: string): Promise<void> {
  await withNixFile(source, async (file) => {
    await execa('nix-instantiate', ['--parse', file]);
  });
}
