#!/usr/bin/env bash
# Throughput of okno-clarity against a ruts + pymorphy3 pipeline, side by side in one run.
#
#   bench/clarity/run.sh
#
# 1. Creates two venvs if missing: $VENV with `pip install ruts pymorphy3` (what the issue
#    names; pymorphy3 then reads its dictionary with the pure-Python DAWG2-Python) and
#    $VENV_FAST with `pip install ruts "pymorphy3[fast]"` (the DAWG2 C extension).
# 2. Builds the checker's `bench` example (release) into $TARGET; never the whole workspace.
# 3. Generates a $MB MB corpus with gen_corpus.py into $OUT (kept between runs, same seed).
# 4. $RUNS times: our checker on the whole corpus with 1 thread and with $THREADS threads;
#    the Python pipeline (python_pipeline.py) on the first $PY_MB MB of the same corpus in
#    four variants (pure/fast DAWG × with/without an lru_cache of parses). Every command runs
#    under /usr/bin/time -v for its peak memory (max RSS).
# 5. summarise.py prints medians, MB/s per core, the ratios and peak memory.
#
# Environment (defaults): OUT=/tmp/clarity-bench MB=55 PY_MB=5 RUNS=3 THREADS=$(nproc)
# VENV=/tmp/clarity-venv VENV_FAST=/tmp/clarity-venv-fast TARGET=/work/target-clarity
# PY_VARIANTS="pure pure-cache fast fast-cache"
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-/tmp/clarity-bench}"
MB="${MB:-55}"
PY_MB="${PY_MB:-5}"
RUNS="${RUNS:-3}"
THREADS="${THREADS:-$(nproc)}"
VENV="${VENV:-/tmp/clarity-venv}"
VENV_FAST="${VENV_FAST:-/tmp/clarity-venv-fast}"
TARGET="${TARGET:-/work/target-clarity}"
# An empty PY_VARIANTS ("") runs no Python pipeline: only our checker.
PY_VARIANTS="${PY_VARIANTS-pure pure-cache fast fast-cache}"
BENCH="$TARGET/release/examples/bench"
CORPUS="$OUT/corpus-${MB}mb.txt"
RESULTS="$OUT/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import ruts, pymorphy3' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q ruts pymorphy3
fi
if [ ! -x "$VENV_FAST/bin/python" ] || ! "$VENV_FAST/bin/python" -c 'import ruts, pymorphy3, dawg' 2>/dev/null; then
  python3 -m venv "$VENV_FAST"
  "$VENV_FAST/bin/pip" install -q ruts "pymorphy3[fast]"
fi

(cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release -q -p okno-clarity --examples)

if [ ! -s "$CORPUS" ]; then
  "$VENV/bin/python" "$HERE/gen_corpus.py" "$CORPUS" "$MB" 6
fi

# measure NAME COMMAND…: runs COMMAND under /usr/bin/time -v, appends its JSON line to
# $RESULTS with the name, the run, the peak RSS in KiB and the load average before it.
measure() {
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  local timefile="$OUT/time.txt"
  local line
  line="$(/usr/bin/time -v -o "$timefile" "$@")"
  local rss; rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timefile")"
  local wall; wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$timefile")"
  printf '{"name":"%s","run":%d,"max_rss_kib":%s,"load_before":%s,"wall":"%s","result":%s}\n' \
    "$name" "$run" "$rss" "$load" "$wall" "$line" | tee -a "$RESULTS"
}

echo "corpus: $CORPUS ($(stat -c %s "$CORPUS") bytes); results: $RESULTS"
for run in $(seq 1 "$RUNS"); do
  measure "okno-clarity 1 thread" "$BENCH" throughput "$CORPUS" 1
  measure "okno-clarity $THREADS threads" "$BENCH" throughput "$CORPUS" "$THREADS"
  for variant in $PY_VARIANTS; do
    case "$variant" in
      pure) measure "ruts+pymorphy3 (pure DAWG)" "$VENV/bin/python" "$HERE/python_pipeline.py" "$CORPUS" "$PY_MB" ;;
      pure-cache) measure "ruts+pymorphy3 (pure DAWG, lru_cache)" "$VENV/bin/python" "$HERE/python_pipeline.py" "$CORPUS" "$PY_MB" --cache ;;
      fast) measure "ruts+pymorphy3[fast] (C DAWG)" "$VENV_FAST/bin/python" "$HERE/python_pipeline.py" "$CORPUS" "$PY_MB" ;;
      fast-cache) measure "ruts+pymorphy3[fast] (C DAWG, lru_cache)" "$VENV_FAST/bin/python" "$HERE/python_pipeline.py" "$CORPUS" "$PY_MB" --cache ;;
    esac
  done
done

"$VENV/bin/python" "$HERE/summarise.py" "$RESULTS"
