#!/usr/bin/env bash
# Runs the given command with CREDO_TEST_MONGODB_URI pointing at a MongoDB wire-protocol
# server: the real MongoDB in MONGODB_URI when set, otherwise an embedded FerretDB started
# here for the duration of the command.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${MONGODB_URI:-}" ]; then
  CREDO_TEST_MONGODB_URI="$MONGODB_URI" exec "$@"
fi
tmp="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$root/store/mongo/ferretdbtest" && go build -o "$tmp/ferretdb-dev" ./cmd/ferretdb-dev)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 27018)
"$tmp/ferretdb-dev" -addr "127.0.0.1:$port" -dir "$tmp/data" >"$tmp/ferretdb.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
CREDO_TEST_MONGODB_URI="mongodb://127.0.0.1:$port/" "$@"
