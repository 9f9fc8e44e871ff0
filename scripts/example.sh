#!/usr/bin/env bash
# `npm run example`: builds the bundled example config (examples/homelab/backupgen.yaml) into
# examples/homelab/backupgen/, installing and compiling backupgen first when a fresh checkout
# has not been set up yet. Nothing but Node.js (>= 20.12) and npm is needed for this.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund # also compiles dist/ (the "prepare" script)
elif [[ ! -f dist/cli/main.js ]]; then
  npm run build --silent
fi
node bin/backupgen.js build --config examples/homelab/backupgen.yaml --out examples/homelab/backupgen
node bin/backupgen.js schema > examples/homelab/backupgen.schema.json
