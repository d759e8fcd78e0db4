#!/usr/bin/env bash
# The analytics engine against PM4Py and DuckDB on one synthetic log, side by side.
#
#   bench/analytics/run.sh
#
# 1. Creates bench/analytics/.venv if missing: `pip install pm4py duckdb` from PyPI (PM4Py
#    is AGPL-3.0 and used only here, as an outside check; Okno never depends on it).
# 2. Builds the okno-analytics examples (release) into $TARGET: okno-synth (the generator)
#    and analytics-bench (our side). Never the whole workspace.
# 3. Generates $CASES requests with seed $SEED into $OUT: events.csv (the lifecycle view:
#    case_id,activity,lifecycle,timestamp,resource), events.xes and truth.json (the engine
#    on the original log). Kept between runs; same seed, same bytes.
# 4. $RUNS times, in turn: our engine (loading on 1 thread, then on 2; the computation is
#    one pass on one thread), PM4Py, DuckDB on events.csv, each a fresh process
#    under /usr/bin/time -v (wall, CPU and peak RSS). Each prints its timings and figures
#    as one JSON line, appended to $OUT/results-<time>.jsonl.
# 5. Once (XES_CHECK=1): PM4Py reads events.xes with pm4py.read_xes and computes the same
#    figures (not timed against the others; it checks the XES file).
# 6. compare.py prints medians, ratios and peak memory, and checks that the tools agree on
#    every DFG edge (count, mean, median), activity counts, case durations and rework.
#    It exits non-zero if they do not.
#
# Environment (defaults): OUT=/tmp/analytics-bench CASES=125000 SEED=42 RUNS=3
# TARGET=/work/target-analytics XES_CHECK=1 VENV=bench/analytics/.venv
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-/tmp/analytics-bench}"
CASES="${CASES:-125000}"
SEED="${SEED:-42}"
RUNS="${RUNS:-3}"
TARGET="${TARGET:-/work/target-analytics}"
XES_CHECK="${XES_CHECK:-1}"
VENV="${VENV:-$HERE/.venv}"
SYNTH="$TARGET/release/examples/okno-synth"
BENCH="$TARGET/release/examples/analytics-bench"
LOG="$OUT/events-$CASES-$SEED"
RESULTS="$OUT/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pm4py, duckdb' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pm4py duckdb
fi

(cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release -q -p okno-analytics --examples)

if [ ! -s "$LOG.csv" ] || [ ! -s "$LOG.xes" ]; then
  "$SYNTH" --cases "$CASES" --seed "$SEED" --csv "$LOG.csv" --xes "$LOG.xes" --report "$LOG.truth.json"
fi

# measure NAME COMMAND…: runs COMMAND under /usr/bin/time -v and appends one JSON line to
# $RESULTS: the name, the run, wall and CPU seconds, peak RSS in KiB, the load average
# before it, and the command's own JSON (the last line it printed).
measure() {
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  local timefile="$OUT/time.txt"
  local line
  line="$(/usr/bin/time -v -o "$timefile" "$@" 2>"$OUT/stderr.txt" | tail -n 1)" || {
    echo "$name failed:" >&2; cat "$OUT/stderr.txt" >&2; exit 1; }
  local rss wall user sys
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timefile")"
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$timefile" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
  user="$(awk -F': ' '/User time/ {print $2}' "$timefile")"
  sys="$(awk -F': ' '/System time/ {print $2}' "$timefile")"
  printf '{"name":"%s","run":%d,"wall_s":%s,"cpu_s":%s,"max_rss_kib":%s,"load_before":%s,"result":%s}\n' \
    "$name" "$run" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$rss" "$load" "$line" >> "$RESULTS"
  echo "  $name: run $run, wall ${wall}s, peak RSS $((rss / 1024)) MiB (load average before: $load)"
}

echo "log: $LOG.csv ($(stat -c %s "$LOG.csv") bytes); results: $RESULTS"
for run in $(seq 1 "$RUNS"); do
  measure "okno-analytics" "$BENCH" "$LOG.csv" --threads 1
  measure "okno-analytics-2t" "$BENCH" "$LOG.csv" --threads 2
  measure "pm4py" "$VENV/bin/python" "$HERE/pm4py_side.py" "$LOG.csv"
  measure "duckdb" "$VENV/bin/python" "$HERE/duckdb_side.py" "$LOG.csv"
done
if [ "$XES_CHECK" = 1 ]; then
  run=1
  measure "pm4py-xes" "$VENV/bin/python" "$HERE/pm4py_side.py" --xes "$LOG.xes"
fi

"$VENV/bin/python" "$HERE/compare.py" "$RESULTS" "$LOG.truth.json"
