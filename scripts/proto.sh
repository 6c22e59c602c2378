#!/usr/bin/env bash
# Regenerates the plugin protocol's Go code (plugins/proto) and the Python example's
# modules from plugins/proto/credo_plugin.proto, with pinned generator versions.
# Needs protoc (Debian: protobuf-compiler) and, for Python, python3-grpc-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PROTOC_GEN_GO=v1.36.12
PROTOC_GEN_GO_GRPC=v1.6.2
tools="$PWD/bin/tools"
mkdir -p "$tools"
GOBIN="$tools" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO"
GOBIN="$tools" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC"
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }
(cd plugins/proto && PATH="$tools:$PATH" protoc -I . \
	--go_out=. --go_opt=paths=source_relative \
	--go-grpc_out=. --go-grpc_opt=paths=source_relative credo_plugin.proto)
plugins/examples/python-scorer/gen.sh
echo "generated: plugins/proto/*.pb.go, plugins/examples/python-scorer/*_pb2*.py"
