import { describe, expect, it } from 'vitest';
import { mountOptionsToAttrs } from '../../src/config/mount-options.js';

describe('mountOptionsToAttrs', () => {
  it.each([
    [['--vfs-cache-mode writes', '--dir-cache-time 5s'], [['vfs-cache-mode', 'writes'], ['dir-cache-time', '5s']]],
    [['--dir-cache-time=5s'], [['dir-cache-time', '5s']]],
    [['--vfs-cache-mode', 'full', '--allow-other'], [['vfs-cache-mode', 'full'], ['allow-other', true]]],
    [['--allow-other', '--read-only'], [['allow-other', true], ['read-only', true]]],
    [['--user-agent=a b=c'], [['user-agent', 'a b=c']]],
    [['--bwlimit 10M:off'], [['bwlimit', '10M:off']]],
    [[], []],
  ] as const)('%j', (input, expected) => {
    expect(mountOptionsToAttrs(input)).toEqual(expected);
  });

  it.each([
    [['writes'], /expected an rclone flag/],
    [['--a 1', '--a=2'], /given twice/],
    [['--bad_name x'], /not an rclone flag name/],
  ] as const)('rejects %j', (input, message) => {
    expect(() => mountOptionsToAttrs(input)).toThrow(message);
  });
});
