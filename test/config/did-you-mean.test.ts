import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/config/did-you-mean.js';

describe('did you mean', () => {
  it.each([
    ['schedule', 'schedule', 0], ['scheduel', 'schedule', 1], ['nsa', 'nas', 1], ['kitten', 'sitting', 3], ['', 'abc', 3],
  ])('editDistance(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it.each([
    ['scheduel', ['schedule', 'sources'], 'schedule'],
    ['requireMountPoint', ['requireMountpoint', 'path'], 'requireMountpoint'],
    ['kidn', ['kind', 'fuse'], 'kind'],
    ['abcd', ['dcba'], undefined],
    ['xyz', ['schedule'], undefined],
  ])('closestMatch(%j)', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });
});
