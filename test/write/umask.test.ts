/**
 * Modes are exact whatever the umask: a restrictive umask (077, as in a hardened shell or a
 * systemd unit) must not leave scripts unreadable to others or the manifest private.
 * Its own file: atomic-file.ts reads the umask once per process (vitest forks per file).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/write/write-output.js';

let dir: string;
let previous: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backupgen-umask-'));
  previous = process.umask(0o077);
});
afterAll(async () => {
  process.umask(previous);
  await rm(dir, { recursive: true, force: true });
});

describe('writeOutput under umask 077', () => {
  it('writes 0755 scripts and 0644 files and manifest', async () => {
    await writeOutput(join(dir, 'out'), [
      { path: 'default.nix', contents: '{ }\n' },
      { path: 'hosts/a/scripts/home.sh', contents: 'echo hi\n', executable: true },
    ]);
    const mode = async (path: string) => (await stat(join(dir, 'out', path))).mode & 0o777;
    expect(await mode('hosts/a/scripts/home.sh')).toBe(0o755);
    expect(await mode('default.nix')).toBe(0o644);
    expect(await mode('.backupgen-manifest.json')).toBe(0o644);
  });
});
