#!/usr/bin/env bash
# Runs the public question sets against their own corpora and writes reports under evals/reports/
# (gitignored):
#   GerLayQA dev (../shared/evals/gerlayqa/bgb_dev.json) against its BGB (bgb.json), corpus "gerlayqa-bgb"
#   COLIEE (every ../shared/evals/coliee/riteval_*.xml) against its Civil Code (articlesFull.json), corpus "coliee-civil-code"
#
# Usage: tools/eval-public.sh [--mode lexical|dense|hybrid|...] [--only gerlayqa|coliee] [--limit N]
#                             [--baseline-dir DIR] [--tolerance 0.01]
#   --baseline-dir DIR  compare with DIR/<set>-<mode>/report.json from an earlier run; exits 1 on a regression
#
# Environment:
#   LEGALRAG_SHARED  the shared data folder (default: ../shared next to the repository)
#   LEGALRAG         how to call the CLI (default: build src/LegalRag.Cli in Release once and run its dll);
#                    store location and other settings follow the CLI's own configuration
#   GERLAYQA_SET     another GerLayQA split of the same shape (e.g. the held-back one) instead of bgb_dev.json
#   COLIEE_SET       another COLIEE file or folder of riteval_*.xml instead of the shipped years
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LEGALRAG_SHARED:-$root/../shared}"
mode="lexical"
only=""
limit=""
baseline_dir=""
tolerance="0.01"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --baseline-dir) baseline_dir="$2"; shift 2 ;;
    --tolerance) tolerance="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "eval-public: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -d "$shared/evals" ]]; then
  echo "eval-public: no public sets at $shared/evals; set LEGALRAG_SHARED to the shared data folder" >&2
  exit 2
fi
cd "$root"

if [[ -n "${LEGALRAG:-}" ]]; then
  read -r -a cli <<< "$LEGALRAG"
else
  echo "eval-public: building the CLI (Release)…" >&2
  dotnet build src/LegalRag.Cli -c Release -v q -nologo >&2
  cli=(dotnet "$root/src/LegalRag.Cli/bin/Release/net10.0/legalrag.dll")
fi

status=0
# run_set NAME FORMAT CORPUS_FORMAT CORPUS_FILE CORPUS_NAME SET_PATH
run_set() {
  local name="$1" format="$2" corpus_format="$3" corpus_file="$4" corpus_name="$5" set_path="$6"
  if [[ -n "$only" && "$only" != "$name" ]]; then return 0; fi
  if [[ ! -e "$corpus_file" || ! -e "$set_path" ]]; then
    echo "eval-public: skipping $name: $corpus_file or $set_path not found" >&2
    return 0
  fi
  local out="evals/reports/$name-$mode"
  echo "== $name ($mode) ==" >&2
  # Re-importing an unchanged corpus file is a no-op in the store (documents are keyed by content hash).
  "${cli[@]}" eval import-corpus "$corpus_file" --format "$corpus_format" --corpus "$corpus_name"
  local args=(eval run --set "$set_path" --format "$format" --corpus "$corpus_name" --mode "$mode" --out "$out" --tolerance "$tolerance")
  [[ -n "$limit" ]] && args+=(--limit "$limit")
  if [[ -n "$baseline_dir" ]]; then
    if [[ -f "$baseline_dir/$name-$mode/report.json" ]]; then
      args+=(--baseline "$baseline_dir/$name-$mode/report.json")
    else
      echo "eval-public: no baseline $baseline_dir/$name-$mode/report.json; running without comparison" >&2
    fi
  fi
  local code=0
  "${cli[@]}" "${args[@]}" || code=$?
  if [[ $code -eq 1 ]]; then
    echo "eval-public: $name regressed against the baseline" >&2
    status=1
  elif [[ $code -ne 0 ]]; then
    echo "eval-public: $name failed (exit $code)" >&2
    exit "$code"
  fi
  echo "report: $out/report.html" >&2
}

run_set gerlayqa gerlayqa gerlayqa "$shared/evals/gerlayqa/bgb.json" gerlayqa-bgb "${GERLAYQA_SET:-$shared/evals/gerlayqa/bgb_dev.json}"
run_set coliee coliee coliee "$shared/evals/coliee/articlesFull.json" coliee-civil-code "${COLIEE_SET:-$shared/evals/coliee}"
exit "$status"
