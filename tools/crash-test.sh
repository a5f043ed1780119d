#!/usr/bin/env bash
# Crash test: kills `legalrag ingest` with SIGKILL at random moments, N times, while it ingests a corpus; after
# each kill `legalrag verify` must pass. A final run to completion must then give the same `stats --json` as a
# clean ingest, field by field, and the same stored content (documents with their content hashes, provisions,
# chunk hashes). With --faults (root, tmpfs mounts allowed) it also fills the disk and makes the data folder
# read-only under a running ingest: one clear error line, and the store intact.
#
#   tools/crash-test.sh                         # 20 kills, all of ../shared/corpora/de-bundesrecht
#   tools/crash-test.sh --kills 5 --include 'a/*/index.md'   # a short run on the acts under a/
#   tools/crash-test.sh --faults --include 'a/*/index.md'     # plus disk full and read-only
#
# Options: --kills N (20), --include GLOB (the manifest's '*/*/index.md'), --data DIR (a fresh temp folder),
# --seed N (random), --faults, --dll PATH (a built legalrag.dll to run instead of building one; lets a long run
# go on while the sources change). Exit 0 when every check held, 1 otherwise; figures on stdout at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills=20 include='*/*/index.md' data="" seed=$RANDOM faults=0 dll=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) kills="$2"; shift 2 ;;
    --include) include="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --faults) faults=1; shift ;;
    --dll) dll="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "crash-test: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source_dir="${LEGALRAG_SHARED:-$root/../shared}/corpora/de-bundesrecht"
if [[ ! -d "$source_dir" ]]; then
  echo "crash-test: $source_dir is absent; it needs the shared corpora" >&2
  exit 2
fi
data="${data:-$(mktemp -d /tmp/legalrag-crash-XXXXXX)}"
mkdir -p "$data"
RANDOM=$seed
if [[ -z "$dll" ]]; then
  "$root/tools/legalrag" --help >/dev/null   # builds the CLI once, so no kill lands in a build
  dll="$root/src/LegalRag.Cli/bin/Release/net10.0/legalrag.dll"
fi
cli() { dotnet "$dll" "$@"; }
ingest_args=(ingest "$source_dir" --corpus de-bundesrecht --lang de --include "$include" --json)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Stored content, independent of time: documents with their content hashes, provision keys, chunk hashes.
content_digest() {
  python3 - "$1/legalrag.db" <<'EOF'
import hashlib, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
h = hashlib.sha256()
for q in ("SELECT source_path, content_hash FROM documents ORDER BY 1",
          "SELECT key, paragraphs FROM provisions ORDER BY 1",
          "SELECT p.key, k.ordinal, k.content_hash FROM chunks k JOIN provisions p ON p.id = k.provision_id ORDER BY 1, 2",
          "SELECT p.key, r.act_key, r.number_norm, q.key FROM provision_references r JOIN provisions p ON p.id = r.from_id LEFT JOIN provisions q ON q.id = r.to_id ORDER BY 1, 2, 3, 4"):
    for row in db.execute(q):
        h.update(repr(row).encode())
print(h.hexdigest())
EOF
}

# Documents a store holds now (0 before its schema exists), read-only, while an ingest may be writing.
stored_documents() {
  python3 -c "
import sqlite3, sys
try:
    print(sqlite3.connect('file:$1/legalrag.db?mode=ro', uri=True).execute('SELECT COUNT(*) FROM documents').fetchone()[0])
except Exception:
    print(0)"
}

echo "crash-test: data $data, kills $kills, include '$include', seed $seed"
start_all=$(date +%s)

# 1. The reference: one clean ingest (kept from an earlier run into the same --data folder, when there is one).
if [[ -f "$data/clean/legalrag.db" && -s "$data/clean-stats.json" ]]; then
  clean_seconds="(kept)"
  echo "clean ingest: kept from $data/clean, stats $(cat "$data/clean-stats.json")"
else
  t0=$(date +%s.%N)
  cli --data "$data/clean" "${ingest_args[@]}" > "$data/clean-ingest.json" 2> "$data/clean-ingest.err"
  t1=$(date +%s.%N)
  clean_seconds="$(python3 -c "print(round($t1 - $t0, 1))") s"
  cli --data "$data/clean" stats --json > "$data/clean-stats.json"
  echo "clean ingest: ${clean_seconds}, stats $(cat "$data/clean-stats.json")"
fi

# 2. Kills at random moments, each followed by verify.
verify_passes=0 killed_mid=0 finished_first=0 restarts=0
verify_ms=()
for i in $(seq 1 "$kills"); do
  # A random moment by progress, not by clock (start-up alone takes seconds under load): the kill comes once the
  # store holds a random number of further documents, from one more up to all of them (which kills it in the
  # final reference pass). Once a run has stored everything, the next starts from an empty store, so every kill
  # can land among document writes.
  total=$(jq .documents "$data/clean-stats.json")
  stored=$(stored_documents "$data/crash")
  if [[ $stored -ge $total ]]; then
    rm -rf "$data/crash"; stored=0; restarts=$((restarts + 1))
  fi
  target=$(( stored + 1 + (RANDOM * 32768 + RANDOM) % (total - stored) ))
  # dotnet itself in the background, not the cli function: $! must be the ingest's own process, or the kill would
  # hit a subshell and leave the ingest running.
  dotnet "$dll" --data "$data/crash" "${ingest_args[@]}" > "$data/crash-ingest-$i.json" 2> "$data/crash-ingest-$i.err" &
  pid=$!
  started=$(date +%s%N)
  while kill -0 "$pid" 2>/dev/null && [[ $(stored_documents "$data/crash") -lt $target ]]; do sleep 0.1; done
  delay_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    killed_mid=$((killed_mid + 1))
    what="killed after ${delay_ms} ms at $(stored_documents "$data/crash")/$target documents"
  else
    finished_first=$((finished_first + 1))
    what="had finished before ${delay_ms} ms"
  fi
  wait "$pid" 2>/dev/null || true
  if pgrep -f -- "--data $data/crash ingest" >/dev/null; then fail "kill $i: an ingest process outlived its SIGKILL"; fi
  v0=$(date +%s%N)
  if cli --data "$data/crash" verify --json > "$data/verify-$i.json" 2> "$data/verify-$i.err"; then
    verify_passes=$((verify_passes + 1))
    verdict="verify passed"
  else
    verdict="verify FAILED"
    cp "$data/crash/legalrag.db" "$data/inconsistent-$i.db" 2>/dev/null || true
    fail "kill $i ($what): $(jq -c '.problems' "$data/verify-$i.json" 2>/dev/null || cat "$data/verify-$i.err")"
  fi
  verify_ms+=($(( ($(date +%s%N) - v0) / 1000000 )))
  echo "kill $i/$kills: ingest $what; $verdict; $(jq -c '[.counts[] | select(.corpus == null) | .documents, .chunks]' "$data/verify-$i.json" 2>/dev/null) documents/chunks"
done

# 3. A final run to completion equals the clean ingest, field by field.
cli --data "$data/crash" "${ingest_args[@]}" > "$data/final-ingest.json" 2> "$data/final-ingest.err"
cli --data "$data/crash" stats --json > "$data/final-stats.json"
if ! python3 - "$data/clean-stats.json" "$data/final-stats.json" <<'EOF'
import json, sys
clean, final = (json.load(open(p)) for p in sys.argv[1:3])
# stats --json holds counts only; none of its fields depends on time, so every field is compared.
diff = {k: (clean.get(k), final.get(k)) for k in sorted(set(clean) | set(final)) if clean.get(k) != final.get(k)}
for k, (a, b) in diff.items(): print(f"  stats field {k}: clean {a}, after kills {b}")
sys.exit(1 if diff else 0)
EOF
then fail "stats --json after the kills differ from the clean ingest's"; fi
if [[ "$(content_digest "$data/clean")" != "$(content_digest "$data/crash")" ]]; then
  fail "stored content after the kills differs from the clean ingest's"
fi
cli --data "$data/crash" verify > /dev/null || fail "verify after the final run"
echo "final: stats $(cat "$data/final-stats.json") ($(cmp -s <(jq -S . "$data/clean-stats.json") <(jq -S . "$data/final-stats.json") && echo equal || echo DIFFERENT) to the clean ingest's)"

# 4. Disk full and read-only (root and tmpfs only: a real full disk and a real read-only mount).
fault_summary="not run (--faults not given)"
if [[ $faults == 1 ]]; then
  if [[ $(id -u) != 0 ]]; then
    fault_summary="skipped: needs root to mount a small tmpfs"
  else
    mnt="$data/tmpfs"; mkdir -p "$mnt"
    db_bytes=$(stat -c %s "$data/clean/legalrag.db")
    # Room for about a third of the corpus: the ingest must hit the full disk part-way.
    size_kb=$(( db_bytes / 1024 / 3 + 256 ))
    if mount -t tmpfs -o "size=${size_kb}k" tmpfs "$mnt" 2>/dev/null; then
      set +e
      cli --data "$mnt/data" "${ingest_args[@]}" > "$data/full-ingest.json" 2> "$data/full-ingest.err"; full_rc=$?
      set -e
      full_line=$(grep -m1 '^error:' "$data/full-ingest.err" || true)
      stack=$(grep -c '^   at ' "$data/full-ingest.err" || true)
      [[ $full_rc != 0 && -n "$full_line" && $stack == 0 ]] || fail "disk full: rc $full_rc, no single clear error line (see $data/full-ingest.err)"
      # The store must be intact even before any space is freed (SQLite reads need no new pages).
      full_verify=$(cli --data "$mnt/data" verify --json 2>&1 | jq -r '.consistent' 2>/dev/null || echo "unreadable")
      [[ $full_verify == true ]] || fail "disk full: verify on the full disk says $full_verify"
      before=$(cli --data "$mnt/data" stats --json 2>/dev/null || echo "{}")
      # Read-only: the same folder remounted read-only, then an ingest.
      mount -o remount,ro "$mnt"
      set +e
      cli --data "$mnt/data" "${ingest_args[@]}" > "$data/ro-ingest.json" 2> "$data/ro-ingest.err"; ro_rc=$?
      set -e
      ro_line=$(grep -m1 '^error:' "$data/ro-ingest.err" || true)
      ro_stack=$(grep -c '^   at ' "$data/ro-ingest.err" || true)
      [[ $ro_rc != 0 && -n "$ro_line" && $ro_stack == 0 ]] || fail "read-only: rc $ro_rc, no single clear error line (see $data/ro-ingest.err)"
      mount -o remount,rw "$mnt"
      after=$(cli --data "$mnt/data" stats --json 2>/dev/null || echo "{}")
      ro_verify=$(cli --data "$mnt/data" verify --json 2>&1 | jq -r '.consistent' 2>/dev/null || echo "unreadable")
      [[ $ro_verify == true && "$before" == "$after" ]] || fail "read-only: store changed or inconsistent (verify $ro_verify)"
      umount "$mnt"
      fault_summary="disk full (${size_kb} KiB tmpfs): rc $full_rc, '$full_line', verify consistent=$full_verify; read-only remount: rc $ro_rc, '$ro_line', store unchanged=$([[ "$before" == "$after" ]] && echo yes || echo no), verify consistent=$ro_verify"
    else
      fault_summary="skipped: mounting a tmpfs was refused (no CAP_SYS_ADMIN)"
    fi
  fi
fi

total=$(( $(date +%s) - start_all ))
median_verify=$(printf '%s\n' "${verify_ms[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}')
echo
echo "kills: $kills ($killed_mid mid-ingest, $finished_first after the ingest had finished; $restarts restarts from an empty store); verify passed after $verify_passes of $kills (median $median_verify ms)"
echo "clean ingest ${clean_seconds}; whole test ${total} s; faults: $fault_summary"
echo "data kept in $data"
if [[ $failures -gt 0 ]]; then echo "crash-test: $failures FAILURES"; exit 1; fi
echo "crash-test: all checks held"
