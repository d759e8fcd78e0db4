#!/usr/bin/env python3
"""Summary of a run.sh results file: medians over runs, MB/s per core (wall time / threads) and
MB per CPU second (robust to other load on the machine), ratios, peak memory.

    python summarise.py RESULTS.jsonl
"""

import json
import statistics
import sys


def main():
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    by_name = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    summary = {}
    print(f"{'pipeline':<42}{'runs':>5}{'MB read':>9}{'MB/s':>8}{'MB/s/core':>11}{'min..max MB/s':>16}{'max RSS MB':>12}{'MB/CPU-s':>13}")
    for name, group in by_name.items():
        speeds = [g["result"]["mb_per_s"] for g in group]
        threads = group[0]["result"].get("threads", 1)
        median = statistics.median(speeds)
        rss = max(g["max_rss_kib"] for g in group) / 1024
        mb = group[0]["result"]["bytes"] / 1e6
        cpu = statistics.median(g["result"]["mb_per_cpu_s"] for g in group)
        summary[name] = {"median": median, "per_core": median / threads, "rss": rss, "threads": threads, "cpu": cpu}
        print(f"{name:<42}{len(group):>5}{mb:>9.1f}{median:>8.3f}{median / threads:>11.3f}"
              f"{min(speeds):>8.3f}..{max(speeds):<6.3f}{rss:>12.1f}{cpu:>13.3f}")
    ours = [n for n in summary if n.startswith("okno-clarity")]
    single = next((n for n in ours if summary[n]["threads"] == 1), None)
    print()
    for python in (n for n in summary if not n.startswith("okno-clarity")):
        for name in ours:
            ratio = summary[name]["per_core"] / summary[python]["per_core"]
            cpu = summary[name]["cpu"] / summary[python]["cpu"]
            print(f"{name} / {python}: {ratio:.1f}× per core by wall time, {cpu:.1f}× per CPU second")
    if single:
        for name in ours:
            if name != single:
                s = summary[name]["median"] / summary[single]["median"]
                print(f"scaling: {name} / {single} = {s:.2f}×")
    loads = [g["load_before"] for g in rows]
    print(f"\nload average before the commands: {min(loads):.2f}..{max(loads):.2f} (other work on the machine)")


if __name__ == "__main__":
    main()
