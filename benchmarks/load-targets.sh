#!/usr/bin/env bash
# The four speed-under-load targets of issue 13 §5, each one run of the load tool (benchmarks/README.md, "Load tool")
# against `legalrag serve` started as its own process, extractive, over all German federal law:
#   sessions200  200 hub sessions with 2 s ±50 % think time: zero errors, full answer p95 < 1 s
#   sessions50    50 hub sessions with the same think time: first token p95 ≤ 150 ms
#   rest         REST search, 8 connections back to back: ≥ 300 requests/s, p95 < 50 ms
#   memory       200 hub sessions and 2 REST workers together: no memory growth over the second half (anon RSS, GC committed)
# Run it on an otherwise idle 2-core machine. Prints a summary table; exits 1 when a target is missed, 2 when a run failed.
#
#   benchmarks/load-targets.sh                     # all four, 300 s each (about 23 minutes)
#   DURATION_S=60 benchmarks/load-targets.sh rest  # a short version of one
# Environment: DATA (an ingested store; default /tmp/load-data, never written to but for the server's usual files),
# CORPUS (de-bundesrecht), DURATION_S (300), WARMUP_S (15), OUT (folder for logs and JSON reports).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-/tmp/load-data}"
corpus="${CORPUS:-de-bundesrecht}"
duration="${DURATION_S:-300}"
warmup="${WARMUP_S:-15}"
out="${OUT:-$(mktemp -d /tmp/legalrag-load-targets.XXXXXX)}"
runs=("$@")
[[ ${#runs[@]} -eq 0 ]] && runs=(sessions200 sessions50 rest memory)

if [[ ! -f "$data/legalrag.db" ]]; then
  echo "load-targets: no store at $data; ingest first: tools/legalrag --data $data ingest --corpus $corpus" >&2
  exit 2
fi
mkdir -p "$out"
echo "load-targets: building the server (tools/legalrag) and the load tool (Release)…" >&2
"$root/tools/legalrag" --help >/dev/null || exit 2
dotnet build "$root/benchmarks/LegalRag.Benchmarks" -c Release -nologo -v q >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
tool=(dotnet "$root/benchmarks/LegalRag.Benchmarks/bin/Release/net10.0/LegalRag.Benchmarks.dll" load
      --data "$data" --corpus "$corpus" --questions "$root/evals/everyday/de.jsonl"
      --duration-s "$duration" --warmup-s "$warmup" --server-dll "$root/src/LegalRag.Cli/bin/Release/net10.0/legalrag.dll")

worst=0
for run in "${runs[@]}"; do
  case "$run" in
    sessions200) args=(--sessions 200 --think-ms 2000 --expect-zero-errors --expect-full-p95-ms 1000) ;;
    sessions50)  args=(--sessions 50 --think-ms 2000 --expect-zero-errors --expect-ttft-p95-ms 150) ;;
    rest)        args=(--sessions 0 --rest-workers 8 --expect-zero-errors --expect-rest-rps 300 --expect-rest-p95-ms 50) ;;
    memory)      args=(--sessions 200 --think-ms 2000 --rest-workers 2 --expect-no-growth) ;;
    *) echo "load-targets: unknown run '$run' (sessions200, sessions50, rest, memory)" >&2; exit 2 ;;
  esac
  echo "load-targets: $run ($duration s; load average $(cut -d' ' -f1-3 /proc/loadavg))…" >&2
  (cd "$root" && "${tool[@]}" "${args[@]}" --label "$run" --json "$out/$run.json") >"$out/$run.log" 2>&1
  rc=$?
  grep -v '^RESULT|' "$out/$run.log" >&2
  (( rc > worst )) && worst=$rc
done

echo
echo "Speed under load, $(nproc) cores, corpus $corpus, $duration s per run ($(date -u +%Y-%m-%dT%H:%MZ)); reports in $out"
{
  echo "run|sessions|REST workers|s|answers/s|first token p95 ms|full answer p95 ms|REST req/s|REST p95 ms|errors|anon RSS MB/min|GC committed MB/min|targets"
  for run in "${runs[@]}"; do grep -h '^RESULT|' "$out/$run.log" | cut -d'|' -f2- || echo "$run|(no result: see $out/$run.log)"; done
} | column -t -s '|'
exit "$worst"
