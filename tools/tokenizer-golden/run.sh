#!/usr/bin/env bash
# Regenerates tests/LegalRag.Embeddings.Tests/TestData/*-golden.json with transformers.js.
# transformers.js is installed into a temp folder outside the repo (--ignore-scripts: its postinstall would try to
# download native onnxruntime binaries, which tokenization does not need).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${LEGALRAG_SHARED:-${repo_root}/../shared}"
minilm="${shared}/models/tokenizers/all-MiniLM-L6-v2"
[[ -f "${minilm}/tokenizer.json" ]] || { echo "missing ${minilm}/tokenizer.json (set LEGALRAG_SHARED)" >&2; exit 1; }

work="${TOKENIZER_GOLDEN_WORKDIR:-$(mktemp -d)}"
if [[ ! -d "${work}/node_modules/@huggingface/transformers" ]]; then
  (cd "${work}" && npm init -y >/dev/null && npm install --ignore-scripts --no-audit --no-fund --silent @huggingface/transformers@4.3.1)
fi
node "$(dirname "${BASH_SOURCE[0]}")/generate.mjs" \
  "${work}/node_modules/@huggingface/transformers/dist/transformers.node.mjs" "${repo_root}" "${minilm}"
