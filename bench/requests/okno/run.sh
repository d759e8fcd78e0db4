#!/usr/bin/env bash
# Okno's side of the requests benchmark: `okno serve` (release build) on SQLite and on a
# throwaway PostgreSQL, each with an administrator token and a published offering with
# the 210-FZ chain (4 stages); then (a) creations only and (b) create + 3 moves, each RUNS
# times for DURATION with CONNS connections; prints the median requests/s and p99.
#
#   bash bench/requests/okno/run.sh
#   RUNS=3 DURATION=30s CONNS=8 BACKENDS="sqlite postgres" bash bench/requests/okno/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-30s}"
CONNS="${CONNS:-8}"
BACKENDS="${BACKENDS:-sqlite postgres}"
OUT="${OUT:-/tmp/okno-bench-requests}"
PORT="${PORT:-18181}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mkdir -p "$OUT"
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$REPO" && cargo build --release --bin okno -q)
OKNO="$REPO/target/release/okno"
# shellcheck source=../../../scripts/pg-throwaway.sh
. "$REPO/scripts/pg-throwaway.sh"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run_backend() {
  local backend=$1 data db_args=()
  data="$(mktemp -d)"
  if [ "$backend" = postgres ]; then
    pg_throwaway_start >/dev/null
    db_args=(--database "$OKNO_TEST_POSTGRES_URL")
  fi
  "$OKNO" demo --data "$data" "${db_args[@]}" --requests 0 --listen "127.0.0.1:$PORT" >"$OUT/server-$backend.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q "serving on" "$OUT/server-$backend.log" && break; sleep 0.2; done
  local token offering
  token="$("$OKNO" admin token --email admin@okno.example --scope write --data "$data" "${db_args[@]}" | tail -n 1)"
  # A published 210-FZ service of the demo: its chain has 4 stages, so 3 moves fit.
  offering="$(curl -s "http://127.0.0.1:$PORT/api/v1/offerings?status=published&kind=service&service_kind=regulated&per_page=50" \
    | python3 -c 'import json,sys; print(next(o["id"] for o in json.load(sys.stdin)["items"] if "обращени" not in o["name"]))')"
  export OKNO_TOKEN="$token" OFFERING="$offering"
  MODE=mixed wrk -t"$CONNS" -c"$CONNS" -d5s -s "$HERE/workload.lua" "http://127.0.0.1:$PORT" >"$OUT/warmup-$backend.txt" 2>&1
  for mode in create mixed; do
    for i in $(seq 1 "$RUNS"); do
      MODE=$mode wrk -t"$CONNS" -c"$CONNS" -d"$DURATION" --latency -s "$HERE/workload.lua" "http://127.0.0.1:$PORT" >"$OUT/$backend-$mode-$i.txt" 2>&1
    done
    local rps p99 failed
    rps="$(grep -h '^OKNO rps=' "$OUT/$backend-$mode-"*.txt | sed 's/.*rps=\([0-9.]*\).*/\1/' | median)"
    p99="$(grep -h '^OKNO rps=' "$OUT/$backend-$mode-"*.txt | sed 's/.*p99_ms=\([0-9.]*\).*/\1/' | median)"
    failed="$(grep -h '^OKNO created=' "$OUT/$backend-$mode-"*.txt | sed 's/.*failed=\([0-9]*\).*/\1/' | paste -sd+ | bc)"
    echo "okno $backend $mode: median rps=$rps p99_ms=$p99 (runs=$RUNS, failed=$failed)"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ "$backend" = postgres ] && pg_throwaway_stop
  rm -rf "$data"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores  conns=$CONNS duration=$DURATION runs=$RUNS"
for b in $BACKENDS; do run_backend "$b"; done
