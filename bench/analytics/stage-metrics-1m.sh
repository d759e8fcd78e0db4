#!/usr/bin/env bash
# The stage-metrics endpoint on a demo of a million requests (SQLite, release build):
# how long `okno demo --requests N` takes (wall time, peak RSS, database size), then
# GET /api/v1/offerings/{id}/stage-metrics for the busiest offering — the first call
# (loads the body's event log), 20 warm calls (median), and the call after one new
# request (incremental refresh), then 10 warm calls again.
#
#   bash bench/analytics/stage-metrics-1m.sh
#   N=200000 DATA=/tmp/okno-200k bash bench/analytics/stage-metrics-1m.sh
#   SKIP_GEN=1 DATA=/tmp/bulk1m bash bench/analytics/stage-metrics-1m.sh   # reuse a generated demo
#
# Needs curl, python3, sqlite3 and GNU time (/usr/bin/time). Deletes nothing: remove
# $DATA (about 4 GB for a million) when done.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
N="${N:-1000000}"
DATA="${DATA:-/tmp/okno-bench-1m}"
PORT="${PORT:-18089}"
OUT="${OUT:-/tmp/bench-stage-metrics-$(date -u +%Y%m%dT%H%M)}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
OKNO="${OKNO:-$TARGET/release/okno}"
mkdir -p "$OUT"
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$REPO" && cargo build --release -p okno-cli -q)

echo "load before: $(uptime)"
if [ "${SKIP_GEN:-0}" != 1 ]; then
  [ ! -e "$DATA" ] || { echo "$DATA exists: remove it or set SKIP_GEN=1" >&2; exit 1; }
  /usr/bin/time -v "$OKNO" demo --requests "$N" --no-serve --data "$DATA" >"$OUT/gen.out" 2>"$OUT/gen.err"
  echo "generate $N: wall $(grep -a 'Elapsed (wall clock)' "$OUT/gen.err" | awk '{print $NF}')," \
    "peak RSS $(grep -a 'Maximum resident' "$OUT/gen.err" | awk '{print $NF}') KB," \
    "user $(grep -a 'User time' "$OUT/gen.err" | awk '{print $NF}') s"
  grep -a '^… ' "$OUT/gen.err" | tail -n 1
fi
DB="$DATA/okno.sqlite"
echo "database: $(du -h "$DB" | cut -f1) ($(stat -c %s "$DB") bytes)"
sqlite3 "$DB" "SELECT COUNT(*) || ' requests, ' || SUM(phase = 'closed') || ' closed' FROM requests;
               SELECT COUNT(*) || ' events' FROM request_events; SELECT COUNT(*) || ' ratings' FROM request_ratings;"

"$OKNO" serve --data "$DATA" --listen "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q "serving on" "$OUT/server.log" && break; sleep 0.2; done
READ="$("$OKNO" admin token --email analyst@okno.example --scope read --label bench --data "$DATA" | tail -n 1)"
WRITE="$("$OKNO" admin token --email admin@okno.example --scope write --label bench --data "$DATA" | tail -n 1)"
read -r OFFERING COUNT < <(sqlite3 -separator ' ' "$DB" \
  "SELECT offering_id, COUNT(*) FROM requests GROUP BY offering_id ORDER BY 2 DESC LIMIT 1")
echo "busiest offering $OFFERING: $COUNT requests"
URL="http://127.0.0.1:$PORT/api/v1/offerings/$OFFERING/stage-metrics"

call() { curl -s -o "$OUT/last.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $READ" "$URL"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
ms() { awk '{printf "%.1f\n", $2 * 1000}'; }

# The first load of a body's log outlasts the server's 30 s request timeout (408); the
# load goes on in the background, so call again until it answers.
start=$(date +%s.%N)
while :; do
  first="$(call)"
  case "${first%% *}" in
    200) break ;;
    408) echo "  first calls: $first (timed out, the load goes on)" ;;
    *) echo "stage-metrics answered $first" >&2; cat "$OUT/last.json" >&2; exit 1 ;;
  esac
done
echo "cold (first call until an answer, loads the log): $(echo "$(date +%s.%N) - $start" | bc) s; last call $(echo "$first" | ms) ms"
echo "server RSS after the load: $(ps -o rss= -p $SERVER) KB"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("  stages:", [(s["stage"], s["count"], s["centricity_index"] and round(s["centricity_index"], 1)) for s in d["stages"]])' "$OUT/last.json" || true
for _ in $(seq 1 20); do call; done | ms >"$OUT/warm.txt"
echo "warm x20: median $(median <"$OUT/warm.txt") ms, min $(sort -n "$OUT/warm.txt" | head -n 1), max $(sort -n "$OUT/warm.txt" | tail -n 1)"

# One new request through the API; the next call refreshes the log incrementally.
FIELDS="$(sqlite3 "$DB" "SELECT fields_json FROM requests WHERE offering_id = '$OFFERING' LIMIT 1")"
BODY="{\"offering_id\":\"$OFFERING\",\"client_name\":\"Bench Client\",\"client_email\":\"bench@example.ru\",\"subject\":\"Created by the stage-metrics benchmark.\",\"fields\":$FIELDS}"
code="$(curl -s -o "$OUT/created.json" -w '%{http_code}' -H "Authorization: Bearer $WRITE" -H 'Content-Type: application/json' \
  -d "$BODY" "http://127.0.0.1:$PORT/api/v1/requests")"
[ "$code" = 201 ] || { echo "creating a request answered $code" >&2; cat "$OUT/created.json" >&2; exit 1; }
echo "after one new request (incremental refresh): $(call | ms) ms"
for _ in $(seq 1 10); do call; done | ms >"$OUT/warm2.txt"
echo "warm x10 after it: median $(median <"$OUT/warm2.txt") ms"
echo "load after: $(uptime)"
echo "server RSS: $(ps -o rss= -p $SERVER) KB"
