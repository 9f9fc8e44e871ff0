import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { obscuredOptions } from '../../src/plan/rclone-options.js';

/** Options `rclone help backend <type>` marks "Input to this must be obscured". */
async function rcloneObscured(backend: string): Promise<string[] | undefined> {
  const { stdout, exitCode } = await execa('rclone', ['help', 'backend', backend], { reject: false });
  if (exitCode !== 0) return undefined;
  const found = new Set<string>();
  let option = '';
  for (const line of stdout.split('\n')) {
    const flag = /^#### --(\S+)/.exec(line);
    if (flag) option = flag[1]!.slice(backend.length + 1).replace(/-/g, '_');
    if (line.includes('must be obscured')) found.add(option);
  }
  return [...found].sort();
}

describe('obscured rclone options', () => {
  it('match the installed rclone for every backend it knows', async () => {
    const { stdout } = await execa('rclone', ['help', 'backends']);
    const backends = stdout.split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0]!).filter((b) => /^[a-z0-9]+$/.test(b));
    const table = obscuredOptions();
    let checked = 0;
    for (const backend of backends) {
      const fromRclone = await rcloneObscured(backend);
      if (fromRclone === undefined) continue;
      expect([...(table[backend] ?? [])].sort(), backend).toEqual(fromRclone);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });
});
