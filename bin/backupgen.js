#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the "prepare" script) and bundled
// into dist/bundle/ (scripts/bundle.mjs) for a faster start; dist/cli/ when there is no bundle.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/backupgen.js', import.meta.url);
const entry = existsSync(bundle) ? bundle.href : new URL('../dist/cli/main.js', import.meta.url).href;
import(entry).then((cli) => cli.main(process.argv));
