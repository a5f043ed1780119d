#!/usr/bin/env bash
# Splits a GerLayQA-shaped question set (a JSON array) into a train part and a held-out part, deterministically:
# every 5th question (index 4, 9, 14, …) is held out (20 %), the rest is the train part (80 %).
# Train a model with --pairs on the train part; evaluate on the held-out part only.
#
# Usage: tools/split-set.sh SET.json OUT_DIR   → OUT_DIR/<name>_train.json, OUT_DIR/<name>_heldout.json
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 SET.json OUT_DIR" >&2; exit 2; }
command -v jq >/dev/null || { echo "split-set: jq is required" >&2; exit 2; }
name="$(basename "$1" .json)"
mkdir -p "$2"
jq '[to_entries[] | select(.key % 5 != 4) | .value]' "$1" > "$2/${name}_train.json"
jq '[to_entries[] | select(.key % 5 == 4) | .value]' "$1" > "$2/${name}_heldout.json"
echo "$(jq length "$2/${name}_train.json") train, $(jq length "$2/${name}_heldout.json") held out → $2" >&2
