#!/usr/bin/env node
/**
 * Checks .dependency-cruiser.cjs against src/. TypeScript 7 ships no JS compiler API, so
 * dependency-cruiser cannot parse .ts itself; this script parses every source file with the
 * oxc parser that vitest already brings (rolldown/parseAst), writes a skeleton tree of
 * `import '<relative>'` lines (type-only imports included) under a temporary folder, and runs
 * dependency-cruiser on that tree. Package imports are left out: the rules are about src/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--root DIR` checks another tree against the same rules (the rules' own tests use it).
const rootFlag = process.argv.indexOf('--root');
const root = rootFlag === -1 ? packageRoot : process.argv[rootFlag + 1];

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Every module specifier in the file: imports, re-exports, `import('...')` with a literal. */
function specifiers(node, found = []) {
  if (node === null || typeof node !== 'object') return found;
  if (Array.isArray(node)) {
    for (const child of node) specifiers(child, found);
    return found;
  }
  const isModuleNode = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].includes(node.type);
  if (isModuleNode && node.source?.type === 'Literal' && typeof node.source.value === 'string') found.push(node.source.value);
  for (const [key, value] of Object.entries(node)) if (key !== 'source') specifiers(value, found);
  return found;
}

const skeleton = mkdtempSync(join(tmpdir(), 'backupgen-deps-'));
try {
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const ast = parseAst(text, { lang: 'ts', sourceType: 'module' }, file);
    const imports = specifiers(ast.body).filter((s) => s.startsWith('.'));
    const target = join(skeleton, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, imports.map((s) => `import ${JSON.stringify(s)};\n`).join(''));
  }
  const depcruise = join(packageRoot, 'node_modules', '.bin', 'depcruise');
  execFileSync(depcruise, ['--config', join(packageRoot, '.dependency-cruiser.cjs'), '--output-type', 'err', 'src'], {
    cwd: skeleton,
    stdio: 'inherit',
  });
} catch (error) {
  // depcruise has printed the violations; its status says how many.
  process.exitCode = typeof error.status === 'number' ? error.status : 1;
  if (typeof error.status !== 'number') console.error(error);
} finally {
  rmSync(skeleton, { recursive: true, force: true });
}
