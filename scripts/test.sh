#!/usr/bin/env bash
# The test command (`npm test`), meant to work on a fresh Debian 12 machine with Node >= 20.12:
#   1. installs the system tools the lanes run for real (apt, only what is missing),
#   2. installs node_modules when absent or older than package-lock.json (npm ci),
#   3. builds (tsc), lints (tsc --noEmit + dependency direction), runs every vitest lane,
#   4. ends with one line "N passed, N failed"; the exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }

# --- 1. system tools: command -> Debian package ----------------------------------------
tools=(
  nix-instantiate:nix-bin shellcheck:shellcheck rsync:rsync rclone:rclone zstd:zstd
  xz:xz-utils bzip2:bzip2 pbzip2:pbzip2 pigz:pigz zip:zip unzip:unzip flock:util-linux
  systemd-analyze:systemd curl:curl python3:python3 jq:jq fusermount3:fuse3 gawk:gawk
  promtool:prometheus prometheus-node-exporter:prometheus-node-exporter
  kubectl:kubernetes-client setpriv:util-linux unshare:util-linux nsenter:util-linux
  pivot_root:util-linux findmnt:util-linux useradd:passwd age:age
)
missing=()
for pair in "${tools[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]} > 0)); then
  # One package can provide several commands (util-linux); install each once.
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  say "installing missing system packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "missing packages (${missing[*]}) and not root; install them and run again" >&2
    exit 1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# --- 2. node_modules --------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install; older than the lock = stale.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# --- 3. build, lint, tests --------------------------------------------------------------
say "npm run build"
npm run build --silent

lint_failed=0
say "npm run lint"
npm run lint --silent || lint_failed=1

report=$(mktemp -t backupgen-vitest.XXXXXX.json)
trap 'rm -f "$report"' EXIT
say "vitest run"
vitest_status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || vitest_status=$?

# --- 4. summary -------------------------------------------------------------------------
read -r passed failed < <(node -e '
  const fs = require("node:fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
  // A file that fails to load has no failed tests but a failed suite: count it too.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed")).length;
  console.log(r.numPassedTests ?? 0, (r.numFailedTests ?? 0) + brokenFiles);
' "$report")
if ((vitest_status != 0 && failed == 0)); then failed=1; fi
if ((lint_failed)); then
  echo "lint failed (counted as one failure)" >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
