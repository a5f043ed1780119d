#!/usr/bin/env bash
# Quick start on a fresh machine: installs what is needed, ingests German federal law from the
# shared folder into the embedded store (./data), shows a search and a citation lookup, then starts
# the chat service on 127.0.0.1 and prints its URL (Ctrl-C stops it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools/setup.sh
shared="${LEGALRAG_SHARED:-$root/../shared}"
if [[ ! -d "$shared/corpora/de-bundesrecht" ]]; then
  cat >&2 <<MSG
quickstart: no corpus found at $shared/corpora/de-bundesrecht.
Place the shared data folder beside the repository (../shared) or set LEGALRAG_SHARED, or ingest
any folder of statutes yourself:  tools/legalrag ingest /path/to/acts --corpus my-law --lang de
MSG
  exit 2
fi
tools/legalrag ingest --corpus de-bundesrecht
echo
echo "$ tools/legalrag search \"Kündigung wegen Eigenbedarf\" --k 5"
tools/legalrag search "Kündigung wegen Eigenbedarf" --k 5
echo
echo "$ tools/legalrag show \"BGB § 573\""
tools/legalrag show "BGB § 573"
echo
port="${LEGALRAG_PORT:-5000}"
echo "$ tools/legalrag serve --urls http://127.0.0.1:$port"
exec tools/legalrag serve --urls "http://127.0.0.1:$port"
