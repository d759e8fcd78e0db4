#!/usr/bin/env python3
"""DuckDB's side of bench/analytics: the same figures in SQL over the same CSV.

    duckdb_side.py EVENTS.csv

load_s is `CREATE TABLE ev AS SELECT … FROM read_csv(…)` with the column types given (no
sniffing); compute_s is the four queries below. DuckDB uses every core it sees (2 here).

The performance DFG orders each case's start/complete rows by time with a window and
pairs every `start` row with the row before it, which is the previous visit's `complete`:
edge a -> b, duration b.start - a.complete. (Rows inside a case have distinct times in
the synthetic log, so the order is unambiguous.) Case durations are last row - first row;
activity counts are complete rows; rework counts cases with an activity completed more
than once.
"""
import json
import sys
import time

T_IMPORT = time.perf_counter()
import duckdb  # noqa: E402

IMPORT_S = time.perf_counter() - T_IMPORT

DFG = """
WITH v AS (
  SELECT activity, lifecycle, ts,
         lag(activity) OVER w AS prev_activity,
         lag(lifecycle) OVER w AS prev_lifecycle,
         lag(ts) OVER w AS prev_ts
  FROM ev WHERE lifecycle IN ('start', 'complete')
  WINDOW w AS (PARTITION BY case_id ORDER BY ts)
)
SELECT prev_activity, activity, count(*)::BIGINT,
       avg(epoch_ms(ts) - epoch_ms(prev_ts)) / 1000.0,
       median(epoch_ms(ts) - epoch_ms(prev_ts)) / 1000.0
FROM v WHERE lifecycle = 'start' AND prev_lifecycle = 'complete'
GROUP BY ALL
"""
DURATIONS = """
SELECT count(*)::BIGINT, avg(d), median(d) FROM (
  SELECT (epoch_ms(max(ts)) - epoch_ms(min(ts))) / 1000.0 AS d FROM ev GROUP BY case_id
)
"""
ACTIVITIES = "SELECT activity, count(*)::BIGINT FROM ev WHERE lifecycle = 'complete' GROUP BY activity"
REWORK = """
SELECT activity, count(*)::BIGINT FROM (
  SELECT case_id, activity FROM ev WHERE lifecycle = 'complete' GROUP BY case_id, activity HAVING count(*) > 1
) GROUP BY activity
"""


def main():
    path = sys.argv[1]
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(
        "CREATE TABLE ev AS SELECT case_id, activity, lifecycle, timestamp AS ts, resource FROM read_csv(?, header = true, "
        "columns = {'case_id': 'VARCHAR', 'activity': 'VARCHAR', 'lifecycle': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'resource': 'VARCHAR'})",
        [path],
    )
    load_s = time.perf_counter() - t0
    steps = {}

    def q(name, sql):
        t = time.perf_counter()
        rows = con.execute(sql).fetchall()
        steps[name] = time.perf_counter() - t
        return rows

    t1 = time.perf_counter()
    dfg = q("dfg", DFG)
    (count, mean, median), = q("case_durations", DURATIONS)
    activities = q("activities", ACTIVITIES)
    rework = q("rework", REWORK)
    compute_s = time.perf_counter() - t1
    rows, cases = con.execute("SELECT count(*), count(DISTINCT case_id) FROM ev").fetchone()
    out = {
        "tool": "duckdb " + duckdb.__version__,
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "rows": rows,
        "cases": cases,
        "import_s": IMPORT_S,
        "load_s": load_s,
        "compute_s": compute_s,
        "total_s": load_s + compute_s,
        "steps": steps,
        "dfg": [[a, b, n, m, med] for a, b, n, m, med in dfg],
        "activities": dict(activities),
        "case_durations": {"count": count, "mean_s": mean, "median_s": median},
        "rework": dict(rework),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
