// Bundles the compiled CLI (dist/cli/main.js, from tsc) and its dependencies into
// dist/bundle/ with rolldown, so `backupgen` starts by parsing a few files instead of
// resolving and loading ~400 modules (dist, zod, yaml, handlebars, commander): about 0.13 s
// of a ~1 s fleet build. bin/backupgen.js runs the bundle when it is there and dist/cli/
// otherwise, so a build without it (rolldown's native binding missing) still works, slower.
// jiti and @iarna/toml stay external: they are loaded only for a .config.ts or a .toml config
// (lazily, so bundling them saves nothing), jiti resolves files of its own, and the TOML
// parser uses a direct eval of `require` that a bundle would break.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package folder to bundle (its dist/cli/ in, its dist/bundle/ out): this checkout, or
// the one given (test/cli/bin.test.ts bundles a scratch copy).
const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'bundle');
rmSync(outDir, { recursive: true, force: true });

let rolldown;
try {
  ({ rolldown } = await import('rolldown'));
} catch (error) {
  console.warn(`bundle: rolldown is not available (${error.message.split('\n')[0]}); the CLI runs from dist/cli/`);
  process.exit(0);
}

const bundle = await rolldown({
  input: join(root, 'dist', 'cli', 'main.js'),
  platform: 'node',
  external: ['jiti', '@iarna/toml'],
  logLevel: 'warn',
});
await bundle.write({ dir: outDir, format: 'esm', entryFileNames: 'backupgen.js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();
