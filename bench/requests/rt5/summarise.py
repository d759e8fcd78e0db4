#!/usr/bin/env python3
"""Median requests/s and p99 over the runs written by run.sh.

usage: summarise.py OUTDIR "cookie token" RUNS
req/RT-cpu-s = requests per CPU-second used by the rt-server process group,
a figure that stays meaningful when other work shares the cores.
other cpu % = share of the machine's busy CPU time not used by rt-server
(wrk plus anything else running, e.g. a build)."""
import re, statistics, sys

out, auths, runs = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
print("median of %d runs" % runs)
print("%-7s %-7s %9s %9s %13s %7s %12s  %s" % ("auth", "mode", "req/s", "p99 ms",
      "req/RT-cpu-s", "failed", "other cpu %", "per run: req/s | p99 ms"))
for auth in auths:
    for mode in ("create", "mixed"):
        rps, p99, eff, other, fail = [], [], [], [], 0
        for i in range(1, runs + 1):
            t = open(f"{out}/{auth}-{mode}-{i}.txt").read()
            g = lambda k: float(re.search(k + r"=([\d.]+)", t).group(1))
            rps.append(g("rps"))
            p99.append(g("p99_ms"))
            eff.append(g("requests") / max(g("cpu_rt_s"), 0.01))
            busy = g("cpu_busy_s")
            other.append(100 * g("cpu_other_s") / busy if busy else 0)
            fail += int(g("failed")) + int(g("errors"))
        print("%-7s %-7s %9.2f %9.1f %13.2f %7d %12.0f  %s | %s" % (
            auth, mode, statistics.median(rps), statistics.median(p99),
            statistics.median(eff), fail, statistics.median(other),
            " ".join("%.2f" % r for r in rps), " ".join("%.0f" % p for p in p99)))
