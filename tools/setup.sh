#!/usr/bin/env bash
# Installs everything LegalRag needs on a fresh Debian machine: poppler and tesseract (PDF text and
# OCR), Chromium (browser tests), npm packages of the web UI, and the NuGet packages (ONNX Runtime
# included: its natives come with Microsoft.ML.OnnxRuntime). Idempotent: a second run only checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# What the CLI and the server need at run time (PDF text and OCR). The Dockerfile installs the same list:
# tests/LegalRag.Server.Tests/DeploymentConsistencyTests checks that it does.
runtime_packages=(poppler-utils tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-eng)
# Only for development and tests: jq for the scripts, Chromium for the browser tests.
dev_packages=(jq chromium)

need=()
for pkg in "${runtime_packages[@]}" "${dev_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if (( ${#need[@]} )); then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [[ -f src/LegalRag.Server/package.json ]]; then (cd src/LegalRag.Server && npm ci --ignore-scripts --no-audit --no-fund --silent); fi

dotnet restore LegalRag.sln -v q
