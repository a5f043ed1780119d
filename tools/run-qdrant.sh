#!/usr/bin/env bash
# Runs a local Qdrant binary for development and the Qdrant conformance tests, without Docker.
#
#   tools/run-qdrant.sh                 # storage in .data/qdrant, gRPC on 127.0.0.1:6334 (REST on 6333)
#   QDRANT_BIN=/opt/qdrant/qdrant QDRANT_GRPC_PORT=7334 tools/run-qdrant.sh
#
# LegalRag talks gRPC only. Then, in another shell:
#   QDRANT_URL=http://127.0.0.1:6334 dotnet test tests/LegalRag.Storage.Tests
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${QDRANT_BIN:-}"
if [[ -z "$bin" ]]; then
  for candidate in "$root/.native/qdrant/qdrant" "$(command -v qdrant 2>/dev/null || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then bin="$candidate"; break; fi
  done
fi

if [[ -z "$bin" || ! -x "$bin" ]]; then
  cat >&2 <<MSG
run-qdrant: no Qdrant binary found.
  Looked at: \$QDRANT_BIN, $root/.native/qdrant/qdrant, and 'qdrant' on PATH.
  Either put a qdrant executable (v1.19.x, from the Qdrant releases page) at one of those places,
  or use Docker instead:   docker compose --profile qdrant up -d qdrant
MSG
  exit 2
fi

grpc_port="${QDRANT_GRPC_PORT:-6334}"
# Qdrant always serves REST as well (dashboard, snapshot recovery); it sits one below the gRPC port.
port="${QDRANT_PORT:-$((grpc_port - 1))}"
storage="${QDRANT_STORAGE:-$root/.data/qdrant}"
mkdir -p "$storage/storage" "$storage/snapshots"

echo "run-qdrant: $("$bin" --version 2>/dev/null || echo "$bin"): gRPC http://127.0.0.1:$grpc_port (LegalRag__Qdrant__Url), REST :$port (storage: $storage)" >&2
export QDRANT__SERVICE__HOST=127.0.0.1
export QDRANT__SERVICE__HTTP_PORT="$port"
export QDRANT__SERVICE__GRPC_PORT="$grpc_port"
export QDRANT__STORAGE__STORAGE_PATH="$storage/storage"
export QDRANT__STORAGE__SNAPSHOTS_PATH="$storage/snapshots"
export QDRANT__TELEMETRY_DISABLED=true
if [[ -n "${LEGALRAG_QDRANT_API_KEY:-}" ]]; then export QDRANT__SERVICE__API_KEY="$LEGALRAG_QDRANT_API_KEY"; fi
exec "$bin"
