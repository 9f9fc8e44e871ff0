#!/usr/bin/env node
// `npm run bench [-- compile|runtime] [--runs N]` (BENCH_DIR=folder to place the files): the benchmarks whose figures the README
// reports. Needs `npm run build` (the CLI runs from dist/). Not part of the test suite:
// speed is measured here, never asserted by timed tests.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runCompileBench } from './bench/compile.mjs';
import { runRuntimeBench } from './bench/runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 5;
const only = args.find((a) => a === 'compile' || a === 'runtime');
// Where fleets, trees and outputs go (BENCH_DIR; default .bench/ in the checkout).
const benchDir = process.env.BENCH_DIR ?? join(root, '.bench');

console.log(`# backupgen benchmarks (${new Date().toISOString().slice(0, 10)}, node ${process.version})`);
if (!only || only === 'compile') runCompileBench({ benchDir, root, runs });
if (!only || only === 'runtime') runRuntimeBench({ benchDir, root, runs });
