/**
 * shellQuote round trips through a real bash: a script sets the positional parameters from
 * quoted words and prints each one NUL-terminated; the output is split and compared with
 * the input. One bash process per batch.
 */
import { execa } from 'execa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellArray, shellQuote } from '../../src/print/shell/quote.js';
import { HOSTILE_STRINGS } from './hostile-strings.js';

/** What bash sees after parsing `set -- <words>`: one entry per positional parameter. */
async function bashWords(words: string): Promise<string[]> {
  const script = `set -- ${words}\nfor arg in "$@"; do printf '%s\\0' "$arg"; done\n`;
  // The script goes in on stdin, so the quoted words never pass through another parser.
  const { stdout } = await execa('bash', ['-s'], { input: script, stripFinalNewline: false, encoding: 'utf8' });
  return stdout === '' ? [] : stdout.slice(0, -1).split('\0');
}

describe('shellQuote round trips through bash', () => {
  it('hostile strings', async () => {
    expect(await bashWords(shellArray(HOSTILE_STRINGS))).toEqual(HOSTILE_STRINGS);
  });

  it('each word stays one word, even next to another', async () => {
    expect(await bashWords(`${shellQuote("a'b")}${shellQuote(' c ')}`)).toEqual(["a'b c "]);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('arbitrary unicode strings (one bash per run)', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 20 }), async (values) => {
        expect(await bashWords(shellArray(values))).toEqual(values);
      }),
      { numRuns: 100 },
    );
  });

  it('the check can fail: unquoted words split and expand', async () => {
    expect(await bashWords('a\\ b $((1+1))')).toEqual(['a b', '2']);
  });

  it('refuses NUL', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});
