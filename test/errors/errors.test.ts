/**
 * Error goldens: each invalid config here sits beside a .txt holding the exact lines a user
 * sees. Set UPDATE_GOLDEN=1 to rewrite the .txt files, then review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';

const DIR = 'test/errors';
const CASES = readdirSync(DIR).filter((f) => /\.(ya?ml|toml|json|config\.ts)$/.test(f)).sort();

async function errorLines(file: string): Promise<string[]> {
  try {
    await loadConfig(`${DIR}/${file}`);
  } catch (error) {
    if (error instanceof ConfigError) return error.lines();
    throw error;
  }
  throw new Error(`${file} loaded without errors`);
}

describe('error goldens', () => {
  it('has the cases the brief lists', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(14);
  });

  it.each(CASES)('%s', async (file) => {
    const golden = `${DIR}/${file.replace(/\.(ya?ml|toml|json|config\.ts)$/, '')}.txt`;
    const lines = await errorLines(file);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, `${lines.join('\n')}\n`);
    expect(lines.join('\n') + '\n').toBe(readFileSync(golden, 'utf8'));
  });
});
