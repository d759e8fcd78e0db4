#!/usr/bin/env bash
# Stop the rt-server started by setup.sh (only that process group, by pid).
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
PIDFILE="$RT5_STATE/rt-server.pid"
[ -f "$PIDFILE" ] || { echo "[rt5] no pid file, nothing to stop"; exit 0; }
pid="$(cat "$PIDFILE")"
if kill -0 "$pid" 2>/dev/null; then
  # setup.sh starts rt-server with setsid, so its pid is its process group:
  # TERM the group (the Starlet master and its prefork workers).
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
  echo "[rt5] stopped rt-server pid $pid"
else
  echo "[rt5] rt-server pid $pid not running"
fi
rm -f "$PIDFILE"
