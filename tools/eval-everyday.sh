#!/usr/bin/env bash
# Runs the everyday question sets' TEST splits (evals/everyday/*.test.jsonl) against their corpora with the
# answer path, exactly as the chat serves them (no --mode: Search:DefaultMode; the configured model and rankers),
# and prints one line per set. Reports go to evals/reports/everyday-<lang>/ (gitignored).
#   de → de-bundesrecht, fr → fr-code-civil, nl → nl-wetten (each must be ingested; missing ones are skipped)
#
# Usage: tools/eval-everyday.sh [--k 10] [--only de|fr|nl] [any further eval-run options, e.g. --mode lexical]
# Environment: LEGALRAG (how to call the CLI; default tools/legalrag), and the CLI's own settings
#   (LEGALRAG__DataDirectory, LEGALRAG__Embedding__ModelDirectory, …).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
k=10; only=""; extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --k) k="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
read -r -a cli <<< "${LEGALRAG:-$root/tools/legalrag}"
corpora="$("${cli[@]}" corpus list 2>/dev/null || true)"
status=0
for pair in de:de-bundesrecht fr:fr-code-civil nl:nl-wetten; do
  lang="${pair%%:*}"; corpus="${pair#*:}"
  [[ -n "$only" && "$only" != "$lang" ]] && continue
  if ! grep -q "$corpus" <<< "$corpora"; then echo "everyday-$lang: corpus $corpus is not ingested; skipped" >&2; continue; fi
  out="evals/reports/everyday-$lang"; mkdir -p evals/reports
  "${cli[@]}" eval run --set "evals/everyday/$lang.test.jsonl" --corpus "$corpus" --answers --k "$k" --out "$out" "${extra[@]}" > "$out.log" 2>&1 || status=$?
  python3 - "$out/report.json" "$lang" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); m = r.get("metrics") or r.get("summary", {}).get("metrics", {})
def g(name):
    v = m.get(name); v = v.get("value") if isinstance(v, dict) else v
    return "—" if v is None else f"{v:.3f}"
print(f"everyday-{sys.argv[2]} test: R@10 {g('recall@10')}  MRR@10 {g('mrr@10')}  precision {g('answer_citation_precision')}  "
      f"recall {g('answer_citation_recall')}  refusal {g('refusal_accuracy')}  false refusals {g('false_refusal_rate')}  "
      f"p50 {g('latency_p50_ms')} ms  p95 {g('latency_p95_ms')} ms")
PY
done
exit $status
