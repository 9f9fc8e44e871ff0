/**
 * systemd escapers checked by systemd's own parser (systemd 252):
 * - executables with hostile names are created on disk; `systemd-analyze verify` only passes
 *   when the unquoted, unescaped, specifier-expanded path names the file exactly;
 * - hostile arguments must verify cleanly (no parse error, no specifier error);
 * - plain values go through `systemd-analyze condition ConditionPathExists=`, which prints
 *   whether the resolved path exists.
 * What cannot be observed without a running manager: the `$$` -> `$` substitution done at
 * exec time (systemd.service(5) "Command lines"); it is covered by the documented rule only.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  escapeSystemdExecArg,
  escapeSystemdExecutable,
  systemdExecLine,
  systemdUnitValue,
} from '../../src/print/systemd/escape.js';
import { HOSTILE_STRINGS } from './hostile-strings.js';

const dir = mkdtempSync(join(tmpdir(), 'backupgen-systemd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `systemd-analyze verify` of a oneshot service with these Exec lines; its output (empty = clean). */
async function verify(execStarts: readonly string[], description = 'backupgen test'): Promise<string> {
  const unit = join(dir, 'backupgen-test.service');
  const lines = ['[Unit]', `Description=${description}`, '[Service]', 'Type=oneshot'];
  for (const line of execStarts) lines.push(`ExecStart=${line}`);
  writeFileSync(unit, `${lines.join('\n')}\n`);
  const result = await execa('systemd-analyze', ['verify', '--man=no', unit], { reject: false, all: true });
  return `${result.all ?? ''}${result.exitCode === 0 ? '' : `\nexit ${result.exitCode}`}`.trim();
}

/** Create an executable file named `name` in a fresh directory; return its path. */
let counter = 0;
function executable(name: string): string {
  const sub = join(dir, `bin${counter++}`);
  mkdirSync(sub); // a fresh parent per file, so names never collide
  const path = join(sub, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

/** Names a file can have that systemd accepts as an executable (no `/`, quotes, `\`, controls). */
const executableNames = HOSTILE_STRINGS.filter((s) => s !== '' && !/[/"'\\\x00-\x1f\x7f]/.test(s)).map((s) => `x${s}`);

describe('escapeSystemdExecutable', () => {
  it('hostile file names resolve to exactly that file', async () => {
    const paths = executableNames.map(executable);
    expect(paths.length).toBeGreaterThan(20);
    expect(await verify(paths.map((p) => systemdExecLine(p)))).toBe('');
  });

  it('the check can fail: an undoubled % or a doubled $ names another file', async () => {
    const withPercent = executable('p%c');
    expect(await verify([`"${withPercent}"`])).toMatch(/not executable|Failed to resolve/);
    const withDollar = executable('a$b');
    expect(await verify([`"${withDollar.replace('$', () => '$$')}"`])).toMatch(/not executable/);
  });

  it('refuses what systemd would misread', () => {
    expect(() => escapeSystemdExecutable('-/bin/true')).toThrow(/absolute/);
    expect(() => escapeSystemdExecutable('rsync')).toThrow(/absolute/);
    expect(() => escapeSystemdExecutable('/bin/a"b')).toThrow(/refuses/);
    expect(() => escapeSystemdExecutable('/bin/a\nb')).toThrow(/refuses/);
  });
});

describe('escapeSystemdExecArg', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['a b', '"a b"'],
    ['$HOME ${X}', '"$$HOME $${X}"'],
    ['100%', '"100%%"'],
    ['"q" \\', '"\\"q\\" \\\\"'],
    ['a\nb\tc\rd\u0001', '"a\\nb\\tc\\rd\\x01"'],
    [';', '";"'],
    ['café \u{1F4BE}', '"café \u{1F4BE}"'],
  ])('%j -> %s', (arg, expected) => {
    expect(escapeSystemdExecArg(arg)).toBe(expected);
  });

  it('hostile arguments verify cleanly', async () => {
    expect(await verify([systemdExecLine('/bin/sh', HOSTILE_STRINGS)])).toBe('');
  });

  it('the check can fail: an unescaped specifier is an error', async () => {
    expect(await verify(['/bin/sh "%Q"'])).toMatch(/specifier/i);
  });

  it('arbitrary unicode arguments verify cleanly (one verify per run)', async () => {
    const arg = fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0') && !/[\uFDD0-\uFDEF]|\p{Noncharacter_Code_Point}/u.test(s));
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { maxLength: 10 }), async (args) => {
        expect(await verify([systemdExecLine('/bin/sh', args)])).toBe('');
      }),
      { numRuns: 25 },
    );
  });

  it('refuses NUL and the noncharacters systemd drops whole assignments for', async () => {
    expect(() => escapeSystemdExecArg('a\0b')).toThrow(/NUL/);
    for (const bad of ['\uFDD0', '\uFFFE', '\u{1FFFF}', '\u{10FFFE}']) {
      expect(() => escapeSystemdExecArg(bad)).toThrow(/noncharacter/);
      // The reason: systemd really does ignore the line.
      expect(await verify([`/bin/sh "${bad}"`])).toMatch(/not UTF-8 clean/);
    }
    expect(escapeSystemdExecArg('\uFDCF\uFFFD\u{1FFFD}')).toBe('"\uFDCF\uFFFD\u{1FFFD}"');
  });
});

describe('systemdUnitValue', () => {
  const conditionNames = executableNames.filter((n) => !/^[ \t]|[ \t]$/.test(n));

  it('values read back exactly (ConditionPathExists= on hostile file names)', async () => {
    const paths = conditionNames.map(executable);
    const { stdout, stderr } = await execa('systemd-analyze', [
      'condition',
      ...paths.map((p) => `ConditionPathExists=${systemdUnitValue(p)}`),
    ]);
    expect(`${stdout}${stderr}`).toContain('Conditions succeeded.');
  });

  it('the check can fail: an undoubled % names another path', async () => {
    const p = executable('p%c');
    const result = await execa('systemd-analyze', ['condition', `ConditionPathExists=${p}`], { reject: false, all: true });
    expect(result.all).not.toContain('Conditions succeeded.');
  });

  it('hostile values verify in a unit file', async () => {
    const values = HOSTILE_STRINGS.filter((s) => !/[\r\n]|^[ \t]|[ \t]$|\\$/.test(s) && s !== '');
    for (const value of values) expect(await verify(['/bin/true'], systemdUnitValue(value))).toBe('');
  });

  it.each([
    ['a\nb', /newline/],
    ['a\rb', /newline/],
    ['continued\\', /backslash/],
    [' leading', /whitespace/],
    ['trailing\t', /whitespace/],
  ])('refuses %j', (value, message) => {
    expect(() => systemdUnitValue(value)).toThrow(message);
  });

  it('doubles % and keeps NBSP and $', () => {
    expect(systemdUnitValue('%h 100% $x\u00a0')).toBe('%%h 100%% $x\u00a0');
  });
});
