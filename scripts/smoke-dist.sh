#!/usr/bin/env bash
# The production build starts and serves: runs dist/main.js (what `npm start` runs, after
# `npm run build`) on a fresh embedded database in a temporary folder, waits for /readyz, checks
# that the prebuilt web app is served, then the worker CLI from dist/ runs one job. Used by CI
# (.ci/run); needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f dist/main.js ] || { echo "dist/main.js is missing: run npm run build first" >&2; exit 1; }
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# Started from another folder: every file the build needs is found from dist/, not the working directory.
(cd "$dir" && PORT=$port HOST=127.0.0.1 LOOPDESK_DATA_DIR="$dir/data" LOOPDESK_DEMO_DATA=false LOG_LEVEL=warn \
  exec node "$OLDPWD/dist/main.js" >"$dir/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "dist/main.js exited:" >&2; cat "$dir/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" | grep -q '"ready"' || { echo "no /readyz" >&2; cat "$dir/server.log" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/" | grep -qi '<!doctype html>' || { echo "the web app is not served from web/dist" >&2; exit 1; }
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=

# The worker from dist/: one housekeeping run on the same data folder, then it stops on SIGTERM.
(cd "$dir" && LOOPDESK_DATA_DIR="$dir/data" LOG_LEVEL=warn exec node "$OLDPWD/dist/jobs/worker-cli.js" housekeeping >"$dir/worker.log" 2>&1) &
pid=$!
sleep 5
kill -0 "$pid" 2>/dev/null || { echo "the worker exited:" >&2; cat "$dir/worker.log" >&2; exit 1; }
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=
echo "dist/ starts, answers /readyz, serves the web app; the worker runs"
