#!/usr/bin/env python3
"""PM4Py's side of bench/analytics: the same figures as the engine, from the same log.

    pm4py_side.py EVENTS.csv          # the timed run: pandas CSV -> PM4Py
    pm4py_side.py --xes EVENTS.xes    # the check that PM4Py reads our XES the same way

Prints one JSON object like analytics-bench's: load_s (read the file into a DataFrame,
parse timestamps, pair each visit's start and complete rows), compute_s (the PM4Py calls),
total_s, per-call times under "steps", and the figures in seconds.

How the lifecycle rows become what PM4Py measures: each finished stage visit has exactly
one `start` and one `complete` row, in that order (suspend/resume rows in between), so the
n-th start row and the n-th complete row are the same visit. The visit frame has one row
per visit with `start_timestamp` (work start) and `time:timestamp` (end). On such a frame
`pm4py.discover_performance_dfg` measures each edge a -> b as b.start_timestamp -
a.time:timestamp, and `pm4py.discover_dfg` counts the edges. Case durations come from
`pm4py.get_all_case_durations` on the lifecycle rows (first row to last), activity counts
from `pm4py.get_event_attribute_values` on the visit frame (one per visit) and rework from
`pm4py.get_rework_cases_per_activity` on it (cases with an activity more than once).

PM4Py is AGPL-3.0: this script only runs it as an outside check, in its own venv. Okno
neither links nor ships it.
"""
import json
import sys
import time

T_IMPORT = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pm4py  # noqa: E402

IMPORT_S = time.perf_counter() - T_IMPORT

CASE, ACT, LC, TS, RES = "case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp", "org:resource"
KEYS = dict(case_id_key=CASE, activity_key=ACT, timestamp_key=TS)


def read_csv(path):
    try:
        import pyarrow  # noqa: F401  (pandas' fastest CSV engine, when installed)
        engine = "pyarrow"
    except ImportError:
        engine = "c"
    df = pd.read_csv(path, engine=engine)
    df = df.rename(columns={"case_id": CASE, "activity": ACT, "lifecycle": LC, "resource": RES})
    df[TS] = pd.to_datetime(df.pop("timestamp"), utc=True, format="ISO8601")
    return df, engine


def visits_of(df):
    lc = df[LC]
    starts = df[lc == "start"]
    ends = df[lc == "complete"]
    if len(starts) != len(ends) or not (
        (starts[CASE].to_numpy() == ends[CASE].to_numpy()).all() and (starts[ACT].to_numpy() == ends[ACT].to_numpy()).all()
    ):
        raise SystemExit("start and complete rows do not pair up one to one")
    visits = ends[[CASE, ACT, RES, TS]].reset_index(drop=True)
    visits["start_timestamp"] = starts[TS].to_numpy()
    return visits


def compute(df, visits):
    steps = {}

    def step(name, fn):
        t = time.perf_counter()
        out = fn()
        steps[name] = time.perf_counter() - t
        return out

    perf, _, _ = step("discover_performance_dfg", lambda: pm4py.discover_performance_dfg(visits, **KEYS))
    freq, _, _ = step("discover_dfg", lambda: pm4py.discover_dfg(visits, **KEYS))
    durations = step("get_all_case_durations", lambda: pm4py.get_all_case_durations(df, **KEYS))
    activities = step("get_event_attribute_values", lambda: pm4py.get_event_attribute_values(visits, ACT, case_id_key=CASE))
    rework = step("get_rework_cases_per_activity", lambda: pm4py.get_rework_cases_per_activity(visits, **KEYS))
    d = np.asarray(durations, dtype=float)
    figures = {
        "dfg": [[a, b, int(freq[(a, b)]), float(v["mean"]), float(v["median"])] for (a, b), v in perf.items()],
        "activities": {k: int(v) for k, v in activities.items()},
        "case_durations": {"count": int(len(d)), "mean_s": float(d.mean()), "median_s": float(np.median(d))},
        "rework": {k: int(v) for k, v in rework.items()},
    }
    return figures, steps


def main():
    args = sys.argv[1:]
    xes = args[:1] == ["--xes"]
    path = args[1] if xes else args[0]
    t0 = time.perf_counter()
    if xes:
        df = pm4py.read_xes(path)
        engine = "pm4py.read_xes"
    else:
        df, engine = read_csv(path)
    visits = visits_of(df)
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    figures, steps = compute(df, visits)
    compute_s = time.perf_counter() - t1
    out = {
        "tool": "pm4py " + pm4py.__version__ + (" (XES)" if xes else ""),
        "reader": engine,
        "rows": int(len(df)),
        "cases": int(df[CASE].nunique()),
        "import_s": IMPORT_S,
        "load_s": load_s,
        "compute_s": compute_s,
        "total_s": load_s + compute_s,
        "steps": steps,
        **figures,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
