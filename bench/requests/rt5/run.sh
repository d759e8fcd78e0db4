#!/usr/bin/env bash
# RT5 peer benchmark: set up RT (fresh database unless RT5_FRESH=0), then for
# each auth mode run (a) creations only and (b) create + 3 status moves, each
# RUNS times for DURATION with CONNS connections (one wrk thread each), print
# the median requests/s and p99 latency, and stop RT.
#
#   bash bench/requests/rt5/run.sh
#   RUNS=3 DURATION=30s CONNS=8 AUTHS="cookie token" bash bench/requests/rt5/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-30s}"
CONNS="${CONNS:-8}"
AUTHS="${AUTHS:-cookie token}"
MOVES="${MOVES:-open,stalled,resolved}"
# Before each measured run, wait up to IDLE_WAIT seconds for the machine to
# be quiet (CPU busy below IDLE_PCT % of all cores over 3 s), so a parallel
# build does not skew the figures; 0 disables waiting.
IDLE_WAIT="${IDLE_WAIT:-0}"
IDLE_PCT="${IDLE_PCT:-15}"
OUT="${OUT:-$RT5_STATE/results}"
export MOVES

if [ "${RT5_FRESH:-1}" = 1 ]; then bash "$HERE/setup.sh" --fresh; else bash "$HERE/setup.sh"; fi
trap 'bash "$HERE/stop.sh"' EXIT
mkdir -p "$OUT"
PGID="$(cat "$RT5_STATE/rt-server.pid")"

wait_idle() {
  [ "$IDLE_WAIT" -gt 0 ] || return 0
  local t=0
  while [ "$t" -lt "$IDLE_WAIT" ] && [ "$(python3 "$HERE/cpu.py" busy 3)" -ge "$IDLE_PCT" ]; do
    sleep 2; t=$((t + 5))
  done
}

auth_header() {
  case "$1" in
    cookie) echo "Cookie: $(cat "$RT5_STATE/cookie")" ;;
    token)  echo "Authorization: token $(cat "$RT5_STATE/token")" ;;
    *) echo "unknown auth $1" >&2; exit 2 ;;
  esac
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores  RT $(dpkg-query -W -f='${Version}' request-tracker5)  workers=$RT5_WORKERS conns=$CONNS duration=$DURATION runs=$RUNS moves=$MOVES"
for auth in $AUTHS; do
  export RT5_AUTH="$(auth_header "$auth")"
  # warm-up: lets every Starlet worker load and compile what the workload uses
  MODE=mixed wrk -t"$CONNS" -c"$CONNS" -d10s --timeout 60s -s "$HERE/workload.lua" "$RT5_BASE" >"$OUT/warmup-$auth.txt" 2>&1
  for mode in create mixed; do
    for i in $(seq 1 "$RUNS"); do
      wait_idle
      f="$OUT/$auth-$mode-$i.txt"
      load_before="$(cut -d' ' -f1 /proc/loadavg)"
      busy_before="$(python3 "$HERE/cpu.py" busy 1)"
      python3 "$HERE/cpu.py" snap "$PGID" >"$OUT/cpu-before.json"
      MODE=$mode wrk -t"$CONNS" -c"$CONNS" -d"$DURATION" --timeout 60s --latency \
        -s "$HERE/workload.lua" "$RT5_BASE" >"$f" 2>&1
      cpu="$(python3 "$HERE/cpu.py" diff "$OUT/cpu-before.json" "$PGID")"
      echo "RT5 load1_before=$load_before busy_pct_before=$busy_before $cpu" >>"$f"
      echo "$auth $mode run$i: $(grep '^RT5 ' "$f" | tr '\n' ' ')"
    done
  done
done

echo
python3 "$HERE/summarise.py" "$OUT" "$AUTHS" "$RUNS" | tee "$OUT/summary.txt"
