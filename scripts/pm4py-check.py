#!/usr/bin/env python3
"""Outside check: PM4Py reads Okno's XES and OCEL 2.0 exports and computes the same
per-stage figures as GET /api/v1/offerings/{id}/stage-metrics.

    scripts/pm4py-check.py --okno target/release/okno --data DIR
    scripts/pm4py-check.py --okno BIN --database postgres://… --url http://127.0.0.1:8080 --token okno_…

1. Exports `okno export events --format xes` and `--format ocel` from the same database.
2. Without --url, starts `okno serve` on a free loopback port over the same data; without
   --token, issues a read token for --email (default: the demo's admin@okno.example).
3. PM4Py reads the XES (pm4py.read_xes). Per offering (trace attribute okno:offering)
   and stage (concept:name), over finished visits: the count (`complete` rows, PM4Py's
   get_event_attribute_values), the mean service time (complete − start, PM4Py's
   get_service_time on the visit frame: one row per visit with start_timestamp), the
   mean client wait (suspend → resume) and the mean working time (service − client wait).
4. PM4Py reads the OCEL (pm4py.read_ocel2_json): the object types must be request, stage
   and client segment, and the `complete` events per stage of each offering's requests
   must equal the XES counts.
5. Asks the API for each offering over a period covering every request, and compares:
   finished ↔ count, working + client wait ↔ service time, client wait, working. Prints
   a table; exits 1 on any difference beyond rounding (1e-6 relative, 1 ms absolute).

PM4Py is AGPL-3.0: it runs here, in bench/analytics/.venv, as an outside check only.
Okno neither links nor ships it. Needs: pm4py, pandas (installed with it).
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import urllib.request
from datetime import datetime, timedelta, timezone

import pandas as pd
import pm4py

CASE, ACT, LC, TS = "case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def okno_cmd(args, extra):
    cmd = [args.okno, *extra]
    if args.data:
        cmd += ["--data", args.data]
    if args.database:
        cmd += ["--database", args.database]
    return cmd


def run(args, extra):
    out = subprocess.run(okno_cmd(args, extra), capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"okno {' '.join(extra)} failed:\n{out.stderr}")
    return out.stdout


def api(url, token, path):
    req = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def visit_frame(df):
    """One row per finished visit: start_timestamp (work start), time:timestamp (end),
    and the client wait (sum of suspend → resume), pairing rows in order within a case."""
    rows = []
    for case, g in df.groupby(CASE, sort=False):
        start, susp, client = None, None, 0.0
        for act, lc, ts, off in zip(g[ACT], g[LC], g[TS], g["case:okno:offering"]):
            if lc == "start":
                start, susp, client = ts, None, 0.0
            elif lc == "suspend":
                susp = ts
            elif lc == "resume" and susp is not None:
                client += (ts - susp).total_seconds()
                susp = None
            elif lc == "complete":
                rows.append({CASE: case, ACT: act, "offering": off, "start_timestamp": start, TS: ts, "client_s": client})
    return pd.DataFrame(rows)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(1e-3, 1e-6 * max(abs(a), abs(b)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--okno", default="target/release/okno")
    p.add_argument("--data")
    p.add_argument("--database")
    p.add_argument("--url", help="a running okno over the same database")
    p.add_argument("--token")
    p.add_argument("--email", default="admin@okno.example")
    a = p.parse_args()
    if not a.data and not a.database:
        sys.exit("give --data DIR or --database URL (the database okno serves)")

    tmp = tempfile.mkdtemp(prefix="okno-pm4py-")
    xes, ocel_path = os.path.join(tmp, "events.xes"), os.path.join(tmp, "events.json")
    print(run(a, ["export", "events", "--format", "xes", xes]).strip())
    print(run(a, ["export", "events", "--format", "ocel", ocel_path]).strip())

    server = None
    token = a.token or run(a, ["admin", "token", "--email", a.email, "--scope", "read", "--label", "pm4py-check"]).strip().splitlines()[-1]
    url = a.url
    if not url:
        cmd = okno_cmd(a, ["serve", "--listen", f"127.0.0.1:{free_port()}"])
        server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in server.stdout:
            m = re.match(r"Okno is serving on (http://\S+)", line)
            if m:
                url = m.group(1)
                break
        if not url:
            sys.exit("okno serve did not start")
    try:
        ok = check(xes, ocel_path, url.rstrip("/"), token)
    finally:
        if server:
            server.terminate()
            server.wait()
    sys.exit(0 if ok else 1)


def check(xes, ocel_path, url, token):
    df = pm4py.read_xes(xes)
    visits = visit_frame(df)
    ocel = pm4py.read_ocel2_json(ocel_path)
    types = sorted(ocel.objects["ocel:type"].unique())
    print(f"PM4Py {pm4py.__version__}: XES {len(df)} rows, {df[CASE].nunique()} traces, {len(visits)} visits; "
          f"OCEL {len(ocel.events)} events, object types {types}")
    ok = True
    if set(types) != {"request", "stage", "client segment"}:
        print("OCEL object types differ from request, stage, client segment")
        ok = False
    # OCEL: complete events per (offering, stage name).
    ev = ocel.events
    completes = ev[ev["lifecycle"] == "complete"][["ocel:eid", "ocel:activity"]]
    rel = ocel.relations[ocel.relations["ocel:type"] == "request"][["ocel:eid", "ocel:oid"]]
    req = ocel.objects[ocel.objects["ocel:type"] == "request"][["ocel:oid", "offering"]]
    oc = completes.merge(rel, on="ocel:eid").merge(req, on="ocel:oid")
    ocel_counts = oc.groupby(["offering", "ocel:activity"]).size().to_dict()

    first = df[TS].min().to_pydatetime() - timedelta(days=60)
    period = f"from={first:%Y-%m-%d}&to={(datetime.now(timezone.utc) + timedelta(days=1)):%Y-%m-%d}"
    header = f"{'offering':8} {'stage':34} {'n pm4py':>7} {'n api':>6} {'n ocel':>6} {'service s pm4py':>15} {'api':>12} {'client s pm4py':>14} {'api':>12} {'work s pm4py':>12} {'api':>12}  ok"
    print(header)
    print("-" * len(header))
    for off, vo in visits.groupby("offering", sort=True):
        api_m = api(url, token, f"/api/v1/offerings/{off}/stage-metrics?{period}")
        by_name = {}
        for s in api_m["stages"]:
            by_name.setdefault(s["name"], []).append(s)
        counts = pm4py.get_event_attribute_values(vo, ACT, case_id_key=CASE)
        service = pm4py.get_service_time(vo, aggregation_measure="mean", activity_key=ACT, timestamp_key=TS,
                                          start_timestamp_key="start_timestamp", case_id_key=CASE)
        client = vo.groupby(ACT)["client_s"].mean().to_dict()
        names = sorted(set(counts) | set(by_name))
        for name in names:
            n = int(counts.get(name, 0))
            ss = by_name.get(name, [])
            if len(ss) > 1:
                print(f"{off[:8]} {name[:34]:34} two stages share this name; compared by the first")
            s = ss[0] if ss else None
            n_api = s["finished"] if s else 0
            n_ocel = int(ocel_counts.get((off, name), 0))
            sv, cl = service.get(name), client.get(name)
            wk = None if sv is None or cl is None else sv - cl
            api_work = s["working"]["mean_s"] if s else None
            api_client = s["client_wait"]["mean_s"] if s else None
            api_service = None if api_work is None or api_client is None else api_work + api_client
            if n == 0 and n_api == 0:
                # Only open visits: no figures on either side.
                row_ok = n_ocel == 0
            else:
                row_ok = n == n_api == n_ocel and close(sv, api_service) and close(cl, api_client) and close(wk, api_work)
            ok &= row_ok
            f = lambda x: "-" if x is None else f"{x:.3f}"
            print(f"{off[:8]} {name[:34]:34} {n:7} {n_api:6} {n_ocel:6} {f(sv):>15} {f(api_service):>12} {f(cl):>14} {f(api_client):>12} {f(wk):>12} {f(api_work):>12}  {'yes' if row_ok else 'NO'}")
    print("agree" if ok else "DISAGREE")
    return ok


if __name__ == "__main__":
    main()
