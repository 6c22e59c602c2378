#!/usr/bin/env bash
# Starts Credo on a fresh embedded store with the demo tenant, on loopback, and drives it
# with `credo bench`: once flat out (throughput) and once paced (latency; BENCH_RATE,
# default 1,000 creates/s). BENCH_DURATION sets each run's length (default 10s). With the
# reference plugins installed in bin/plugins (`make plugins`), every create is scored and
# fraud-checked through them; BENCH_PLUGINS=0 runs without.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin/credo"
tmp="$(mktemp -d)"
port="${BENCH_PORT:-18181}"
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
plugin_dir=""
if [ "${BENCH_PLUGINS:-1}" != 0 ] && [ -d "$root/bin/plugins" ]; then plugin_dir="$root/bin/plugins"; fi
echo "== plugins: ${plugin_dir:-none}"
CREDO_PLUGIN_DIR="$plugin_dir" CREDO_DEMO=true CREDO_ADDR="127.0.0.1:$port" CREDO_SQLITE_PATH="$tmp/credo.db" CREDO_LOG_LEVEL=warn \
  CREDO_ADMIN_PASSWORD=bench-admin-password "$bin" serve >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
# The demo's cockpit rollups are built 2 s after their dashboard is installed; until
# then (and a second after, until every cache has seen it) each create also reads how
# far the build has come. A running server has long built them.
sleep 4
echo "== throughput (unbounded)"
"$bin" bench -target "http://127.0.0.1:$port" -duration "${BENCH_DURATION:-10s}" -concurrency 32
echo "== latency at ${BENCH_RATE:-1000} creates/s"
"$bin" bench -target "http://127.0.0.1:$port" -duration "${BENCH_DURATION:-10s}" -concurrency 64 -rate "${BENCH_RATE:-1000}"
