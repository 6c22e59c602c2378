#!/usr/bin/env bash
# Runs the given command with CREDO_TEST_MONGODB_URI pointing at a MongoDB wire-protocol
# server: the real MongoDB in MONGODB_URI when set, otherwise an embedded FerretDB started
# here (on a free loopback port) for the duration of the command.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${MONGODB_URI:-}" ]; then
  CREDO_TEST_MONGODB_URI="$MONGODB_URI" exec "$@"
fi
tmp="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$root/store/mongo/ferretdbtest" && go build -o "$tmp/ferretdb-dev" ./cmd/ferretdb-dev)
"$tmp/ferretdb-dev" -addr 127.0.0.1:0 -dir "$tmp/data" >"$tmp/uri" 2>"$tmp/ferretdb.log" &
pid=$!
for _ in $(seq 1 300); do
  [ -s "$tmp/uri" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/ferretdb.log" >&2; exit 1; }
  sleep 0.1
done
uri="$(head -n 1 "$tmp/uri")"
[ -n "$uri" ] || { echo "ferretdb-dev did not start" >&2; cat "$tmp/ferretdb.log" >&2; exit 1; }
echo "MongoDB backend tests against embedded FerretDB at $uri"
CREDO_TEST_MONGODB_URI="$uri" "$@"
