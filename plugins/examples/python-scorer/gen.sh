#!/bin/sh
# Regenerates the protocol modules from ../../proto/credo_plugin.proto (and the local
# health.proto), then refreshes manifest.json's checksum of the executable. Run it after
# changing the protocol or plugin.py; the Go test fails while the manifest is stale.
set -eu
cd "$(dirname "$0")"

# Debian's python3-grpcio and grpc_tools live under /usr/bin/python3, not a pyenv python3.
PY=/usr/bin/python3

"$PY" -m grpc_tools.protoc -I ../../proto --python_out=. --grpc_python_out=. credo_plugin.proto
"$PY" -m grpc_tools.protoc -I . --python_out=. --grpc_python_out=. health.proto

"$PY" - <<'PYEOF'
import hashlib, json

with open("manifest.json", encoding="utf-8") as f:
    manifest = json.load(f)
with open(manifest["executable"], "rb") as f:
    manifest["sha256"] = hashlib.sha256(f.read()).hexdigest()
with open("manifest.json", "w", encoding="utf-8") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
PYEOF
