#!/usr/bin/env bash
# Writes the train and test parts of the everyday question sets from their split tags.
# The tagged files evals/everyday/<lang>.jsonl are the single source of truth; every question carries exactly one
# of the tags split:train or split:test (how they were assigned: evals/everyday/README.md). This script copies each
# line, byte for byte, into <lang>.train.jsonl or <lang>.test.jsonl, so `legalrag eval run --set …test.jsonl`
# evaluates the held-out part only. Run it after editing a set and commit the outputs with it.
#
# Usage: tools/split-everyday.sh [--check] [DIR]   (DIR defaults to evals/everyday)
#   --check  writes nothing; exits 1 when a part file is missing or differs from what its tagged file gives.
set -euo pipefail
check=0
if [[ "${1:-}" == "--check" ]]; then check=1; shift; fi
dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/evals/everyday}"
command -v jq >/dev/null || { echo "split-everyday: jq is required" >&2; exit 2; }
[[ -d "$dir" ]] || { echo "split-everyday: no folder $dir" >&2; exit 2; }

status=0
shopt -s nullglob
for set in "$dir"/*.jsonl; do
  case "$set" in *.train.jsonl|*.test.jsonl) continue ;; esac
  name="$(basename "$set" .jsonl)"
  # A question without exactly one split tag would silently fall out of both parts: refuse instead.
  bad="$(jq -r 'select(([.tags[]? | select(startswith("split:"))] | length) != 1
                      or ([.tags[]? | select(. == "split:train" or . == "split:test")] | length) != 1) | .id' "$set")"
  if [[ -n "$bad" ]]; then
    echo "split-everyday: $set: these questions need exactly one tag split:train or split:test: $(echo $bad)" >&2
    exit 2
  fi
  for part in train test; do
    out="$dir/$name.$part.jsonl"
    # jq -c re-serialises; select the original lines instead so the parts stay byte-identical to the source.
    lines="$(jq -c --arg t "split:$part" 'any(.tags[]?; . == $t)' "$set")"
    expected="$(paste -d '\t' <(echo "$lines") "$set" | awk -F '\t' '$1 == "true" { sub(/^true\t/, ""); print }')"
    if [[ $check -eq 1 ]]; then
      if [[ ! -f "$out" ]] || [[ "$(cat "$out")" != "$expected" ]]; then
        echo "split-everyday: $out is out of date; run tools/split-everyday.sh" >&2; status=1
      fi
    else
      printf '%s\n' "$expected" > "$out"
      echo "$out: $(grep -c . "$out") questions" >&2
    fi
  done
done
exit $status
