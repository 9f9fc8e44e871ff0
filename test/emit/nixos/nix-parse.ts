import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Parse `contents` with the real `nix-instantiate --parse` (Nix 2.8). Path literals are
 * resolved relative to the file, so it is written to a directory shaped like the output.
 * Throws with Nix's message on a syntax error.
 */
export function nixParse(contents: string, relPath = 'hosts/h/nixos.nix'): string {
  const dir = mkdtempSync(join(tmpdir(), 'backupgen-nixparse-'));
  const file = join(dir, relPath.replaceAll('/', '_'));
  writeFileSync(file, contents);
  return execFileSync('nix-instantiate', ['--parse', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
