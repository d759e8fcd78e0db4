#!/usr/bin/env bash
# The requests benchmark, both sides in one run: Okno (SQLite, then PostgreSQL) and
# Request Tracker 5 (REST2, the peer), the same workload shape on each: (a) creations
# only, (b) one creation then three moves. Prints the medians and the ratios.
#
#   bash bench/requests/run.sh
#   RUNS=3 DURATION=30s CONNS=8 bash bench/requests/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${OUT:-/tmp/bench-requests-$(date -u +%Y%m%dT%H%M)}"
mkdir -p "$OUT"
OUT="$OUT/okno" bash "$HERE/okno/run.sh" | tee "$OUT/okno.txt"
OUT="$OUT/rt5" AUTHS=cookie bash "$HERE/rt5/run.sh" | tee "$OUT/rt5.txt"
python3 - "$OUT" <<'PY'
import re, sys, pathlib
out = pathlib.Path(sys.argv[1])
okno = dict(((b, m), float(r)) for b, m, r in re.findall(r"okno (\w+) (\w+): median rps=([\d.]+)", (out / "okno.txt").read_text()))
rt = dict((m, float(r)) for m, r in re.findall(r"^cookie\s+(\w+)\s+([\d.]+)", (out / "rt5.txt").read_text(), re.M))
for (backend, mode), rps in sorted(okno.items()):
    if mode in rt and rt[mode] > 0:
        print(f"{backend:8} {mode:6} okno {rps:8.1f} req/s   RT5 {rt[mode]:6.2f} req/s   ratio {rps / rt[mode]:6.1f}x")
PY
