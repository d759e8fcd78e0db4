#!/usr/bin/env python3
"""Summarises a bench/analytics results file and checks that the tools agree.

    compare.py RESULTS.jsonl [TRUTH.json]

Prints, per tool, the medians over runs of: load (file to memory), compute (the figures),
in-process total (load + compute, without interpreter start-up and imports), process wall
time, CPU time and peak RSS; then each tool's ratio to okno-analytics. Then it compares
the figures of every tool with ours: each DFG edge (count equal, mean and median within
1e-6 s), activity counts and rework per activity (equal), case durations (count equal,
mean and median within 1e-6 s). TRUTH.json, the engine's report on the original log
(before the lifecycle export), is compared the same way. Exits 1 on any disagreement.
"""
import json
import statistics
import sys
from collections import defaultdict

OURS = "okno-analytics"
TOL = 1e-6


def load(path):
    runs = defaultdict(list)
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                runs[r["name"]].append(r)
    return runs


def med(rs, key):
    vals = [r["result"].get(key) if key in r["result"] else r.get(key) for r in rs]
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, unit=""):
    if v is None:
        return "—"
    return f"{v:.3f}{unit}" if v < 10 else f"{v:.2f}{unit}"


def figures_of_truth(path):
    """The figures, keyed like the tools', from the engine's JSON report."""
    with open(path) as f:
        g = json.load(f)["groups"][0]
    s = lambda ms: None if ms is None else ms / 1000.0  # noqa: E731
    tp = g["cases"]["throughput"]
    return {
        "dfg": [[e["from"], e["to"], e["count"], s(e["mean_ms"]), s(e["median_ms"])] for e in g["edges"]],
        "activities": {st["stage"]: st["finished"] for st in g["stages"]},
        "case_durations": {"count": tp["count"], "mean_s": s(tp["mean_ms"]), "median_s": s(tp["median_ms"])},
        "rework": {st["stage"]: st["rework_cases"] for st in g["stages"] if st["rework_cases"] > 0},
    }


def close(a, b):
    return a is not None and b is not None and abs(a - b) <= TOL * max(1.0, abs(b))


def disagreements(ours, theirs):
    out = []
    mine = {(a, b): (n, m, md) for a, b, n, m, md in ours["dfg"]}
    other = {(a, b): (n, m, md) for a, b, n, m, md in theirs["dfg"]}
    if set(mine) != set(other):
        out.append(f"DFG edges differ: only ours {sorted(set(mine) - set(other))}, only theirs {sorted(set(other) - set(mine))}")
    for edge in sorted(set(mine) & set(other)):
        (n1, m1, d1), (n2, m2, d2) = mine[edge], other[edge]
        if n1 != n2 or not close(m2, m1) or not close(d2, d1):
            out.append(f"edge {edge[0]} -> {edge[1]}: ours {n1} / {m1} / {d1}, theirs {n2} / {m2} / {d2}")
    for key in ("activities", "rework"):
        if ours[key] != theirs[key]:
            out.append(f"{key}: ours {ours[key]}, theirs {theirs[key]}")
    c1, c2 = ours["case_durations"], theirs["case_durations"]
    if c1["count"] != c2["count"] or not close(c2["mean_s"], c1["mean_s"]) or not close(c2["median_s"], c1["median_s"]):
        out.append(f"case durations: ours {c1}, theirs {c2}")
    return out


def main():
    runs = load(sys.argv[1])
    truth = sys.argv[2] if len(sys.argv) > 2 else None
    if OURS not in runs:
        raise SystemExit(f"no {OURS} runs in {sys.argv[1]}")
    names = [OURS] + sorted(n for n in runs if n != OURS)
    rows = []
    for n in names:
        rs = runs[n]
        rows.append({
            "name": n,
            "tool": rs[-1]["result"].get("tool", n),
            "runs": len(rs),
            "load": med(rs, "load_s"),
            "compute": med(rs, "compute_s"),
            "total": med(rs, "total_s"),
            "import": med(rs, "import_s"),
            "wall": med(rs, "wall_s"),
            "cpu": med(rs, "cpu_s"),
            "rss": (med(rs, "max_rss_kib") or 0) / 1024,
            "loadavg": med(rs, "load_before"),
        })
    print("\nMedians over runs (seconds; RSS in MiB):\n")
    print("| tool | runs | load | compute | load + compute | imports | process wall | CPU | peak RSS | load avg before |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['tool']} | {r['runs']} | {fmt(r['load'])} | {fmt(r['compute'])} | {fmt(r['total'])} | {fmt(r['import'])} "
              f"| {fmt(r['wall'])} | {fmt(r['cpu'])} | {r['rss']:.0f} | {fmt(r['loadavg'])} |")
    base = rows[0]
    print(f"\nRatios (tool ÷ {OURS}; above 1 means we are faster or smaller):\n")
    print("| tool | compute | load + compute | process wall | CPU | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    ratio = lambda a, b: "—" if not a or not b else f"{a / b:.1f}×"  # noqa: E731
    for r in rows[1:]:
        if r["name"].endswith("-xes"):
            continue
        print(f"| {r['tool']} | {ratio(r['compute'], base['compute'])} | {ratio(r['total'], base['total'])} "
              f"| {ratio(r['wall'], base['wall'])} | {ratio(r['cpu'], base['cpu'])} | {ratio(r['rss'], base['rss'])} |")
    steps = {n: runs[n][-1]["result"].get("steps") for n in names if runs[n][-1]["result"].get("steps")}
    for n, st in steps.items():
        print(f"\n{n} steps (last run): " + ", ".join(f"{k} {v:.3f}s" for k, v in st.items()))

    ours = runs[OURS][-1]["result"]
    others = [(n, runs[n][-1]["result"]) for n in names[1:]]
    if truth:
        others.append(("engine on the original log (truth.json)", figures_of_truth(truth)))
    failed = False
    print(f"\nAgreement with {OURS} ({len(ours['dfg'])} DFG edges, {len(ours['activities'])} activities, "
          f"{ours['case_durations']['count']} cases):")
    for n, theirs in others:
        d = disagreements(ours, theirs)
        failed |= bool(d)
        print(f"  {n}: " + ("agrees" if not d else "DISAGREES\n    " + "\n    ".join(d)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
