#!/usr/bin/env bash
# Regenerates the README's pictures (docs/images/*.png) from the running product: the chat, the provision panel
# and the eval report, taken by the browser test ScreenshotTests against a test-made fixture corpus.
# Needs Debian's chromium (tools/setup.sh installs it). Usage: tools/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/LegalRag.Server.Tests -c Release -v q -nologo
LEGALRAG_SCREENSHOTS=docs/images dotnet test tests/LegalRag.Server.Tests -c Release --no-build \
  --filter "FullyQualifiedName~LegalRag.Server.Tests.ScreenshotTests"
ls -l docs/images/*.png
