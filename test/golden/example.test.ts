/**
 * The bundled example's generated output is committed so readers see real output; it must
 * be exactly what this version generates (`npm run example` rewrites it), the same check
 * users' CI runs with `backupgen build --check`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/cli/compile.js';
import { configJsonSchema } from '../../src/config/schema/config.js';
import { checkOutput } from '../../src/write/check-output.js';
import { repoRoot } from './fixture-cases.js';

const example = join(repoRoot, 'examples/homelab');

describe('examples/homelab', () => {
  it('committed output is up to date (npm run example)', async () => {
    const out = join(example, 'backupgen');
    const { files } = await compile(join(example, 'backupgen.yaml'), out);
    expect(await checkOutput(out, files)).toEqual([]);
  });

  it('committed JSON Schema is up to date (npm run example)', async () => {
    const committed = await readFile(join(example, 'backupgen.schema.json'), 'utf8');
    expect(JSON.parse(committed)).toEqual(configJsonSchema());
  });
});
