#!/usr/bin/env bash
# Quick start on a fresh machine, ending on the best retrieval path: installs what is needed, ingests German
# federal law from the shared folder (without one, fetches it from gesetze-im-internet.de), trains the corpus model (dense retrieval) from it, embeds the chunks with
# that model, trains the learned ranker where this build has one, shows a hybrid search and a citation lookup,
# then serves the chat (hybrid retrieval) on 127.0.0.1 and prints its URL (Ctrl-C stops it).
#
# Usage: tools/quickstart.sh [--no-serve] [--retrain] [--data DIR]
#   --no-serve  do everything but serve; prints the command that serves
#   --retrain   train the corpus model again even when the model folder already holds one
#   --data DIR  data folder (default: LEGALRAG__DataDirectory, else ./data); the model goes to DIR/models/de-bundesrecht
# Each step says how long it took; a summary follows the last one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

serve=1
retrain=0
data="${LEGALRAG__DataDirectory:-data}"
while (( $# )); do
  case "$1" in
    --no-serve) serve=0 ;;
    --retrain) retrain=1 ;;
    --data) [[ $# -ge 2 ]] || { echo "quickstart: --data needs a folder" >&2; exit 2; }; data="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "quickstart: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
# Relative folders are taken from the repository root, which is where the CLI runs.
data="$(realpath -m "$data")"
model="$data/models/de-bundesrecht"
cli=(tools/legalrag --data "$data")

timings=()
step() {
  local name="$1"; shift
  local started=$SECONDS
  echo
  echo "== $name"
  "$@"
  local took=$((SECONDS - started))
  timings+=("$(printf '%-44s %5d s' "$name" "$took")")
  echo "== $name: ${took} s"
}

step "setup (packages, NuGet)" tools/setup.sh
shared="${LEGALRAG_SHARED:-$root/../shared}"
if [[ -d "$shared/corpora/de-bundesrecht" ]]; then
  step "ingest German federal law (lexical index)" "${cli[@]}" ingest --corpus de-bundesrecht
else
  # No local copy: the law comes from its publisher, gesetze-im-internet.de (the ministry's XML, one xml.zip per act).
  # The corpus keeps the name the later steps and the eval sets use. An interrupted fetch resumes where it stopped.
  cat >&2 <<MSG
quickstart: no local copy at $shared/corpora/de-bundesrecht, so German federal law is fetched from its publisher,
www.gesetze-im-internet.de: the index and about 6,800 per-act xml.zip files, at most 4 requests a second to
be polite. Estimate 30-60 minutes, depending on the line; Ctrl-C and running the quick start again resumes.
Without a network, copy the files to a folder and run: tools/legalrag corpus fetch de-gii --corpus de-bundesrecht --from DIR
MSG
  step "fetch German federal law from gesetze-im-internet.de" "${cli[@]}" corpus fetch de-gii --corpus de-bundesrecht
fi

splits="$data/splits"
if [[ -f "$shared/evals/gerlayqa/bgb_dev.json" ]]; then tools/split-set.sh "$shared/evals/gerlayqa/bgb_dev.json" "$splits"; fi

if [[ $retrain -eq 0 && -f "$model/legalrag-embedding.json" ]]; then
  echo
  echo "== corpus model: $model exists, kept (--retrain trains it again)"
else
  # Labelled pairs teach the model lay wording. GerLayQA dev is split 80/20 (tools/split-set.sh): the model learns
  # from the 80 %, the ranker from the 20 % it never saw, so the ranker does not learn to over-trust dense scores
  # that were fitted to its own training questions.
  if [[ -f "$splits/bgb_dev_train.json" ]]; then
    step "train the corpus model (+ GerLayQA 80 % pairs)" "${cli[@]}" model train --corpus de-bundesrecht --out "$model" --pairs "$splits/bgb_dev_train.json" --pairs-corpus de-bundesrecht
  else
    step "train the corpus model" "${cli[@]}" model train --corpus de-bundesrecht --out "$model"
  fi
fi
cli+=(--model "$model")

step "embed the chunks with the model" "${cli[@]}" ingest --corpus de-bundesrecht

# The learned ranker exists in builds that have 'model train-ranker'; older builds skip the step. An unknown
# subcommand with --help prints the parent's help and exits 0, so the usage line itself is checked.
ranker_help="$("${cli[@]}" model train-ranker --help 2>/dev/null || true)"
if grep -q "model train-ranker" <<<"$ranker_help"; then
  pairs=()
  # SET@CORPUS: the corpus the set's gold citations resolve in.
  for set in evals/everyday/de.train.jsonl "$splits/bgb_dev_heldout.json"; do
    if [[ -f "$set" ]]; then pairs+=("$set@de-bundesrecht"); else echo "quickstart: ranker pairs $set not found, left out" >&2; fi
  done
  if (( ${#pairs[@]} )); then
    step "train the learned ranker" "${cli[@]}" model train-ranker --pairs "${pairs[@]}" --out "$model"
  else
    echo "quickstart: no ranker pairs found; the ranker is not trained" >&2
  fi
fi

showcase() {
  echo "$ tools/legalrag --data $data --model $model search \"Kündigung wegen Eigenbedarf\" --mode hybrid --k 5"
  "${cli[@]}" search "Kündigung wegen Eigenbedarf" --mode hybrid --k 5
  echo
  echo "$ tools/legalrag --data $data show \"BGB § 573\""
  "${cli[@]}" show "BGB § 573"
}
step "showcase: hybrid search and citation lookup" showcase

echo
echo "Step times:"
printf '  %s\n' "${timings[@]}"

port="${LEGALRAG_PORT:-5000}"
serve_command=(tools/legalrag --data "$data" --model "$model" serve --urls "http://127.0.0.1:$port")
echo
if [[ $serve -eq 0 ]]; then
  echo "Everything is in place. To serve the chat with hybrid retrieval:"
  echo "  ${serve_command[*]}"
  exit 0
fi
echo "$ ${serve_command[*]}"
# The server reads its settings itself too: the environment carries the data folder and the model to it.
export LEGALRAG__DataDirectory="$data" LEGALRAG__Embedding__ModelDirectory="$model"
exec "${serve_command[@]}"
