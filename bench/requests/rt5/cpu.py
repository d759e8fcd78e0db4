#!/usr/bin/env python3
"""CPU accounting around one wrk run, so results taken while other work
(e.g. a cargo build) shares the 2 cores can be judged.

  cpu.py snap PGID > before.json
  cpu.py diff before.json PGID     -> one line: busy/RT/other core-seconds
  cpu.py busy SECONDS              -> machine busy % (all cores = 100) over SECONDS
"""
import json, os, sys

HZ = os.sysconf("SC_CLK_TCK")

def busy_total():
    f = open("/proc/stat").readline().split()[1:]
    v = list(map(int, f))
    idle = v[3] + v[4]
    return sum(v[:8]) - idle

def group_cpu(pgid):
    t = 0
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            s = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        rest = s[s.rfind(")") + 2:].split()
        if int(rest[2]) != pgid:  # field 5: pgrp
            continue
        utime, stime, cutime, cstime = map(int, rest[11:15])
        t += utime + stime + cutime + cstime
    return t

def snap(pgid):
    return {"busy": busy_total(), "rt": group_cpu(pgid)}

if sys.argv[1] == "busy":
    import time
    def tot():
        v = list(map(int, open("/proc/stat").readline().split()[1:9]))
        return sum(v), v[3] + v[4]
    t0, i0 = tot(); time.sleep(float(sys.argv[2])); t1, i1 = tot()
    print(round(100 * (1 - (i1 - i0) / max(t1 - t0, 1))))
elif sys.argv[1] == "snap":
    print(json.dumps(snap(int(sys.argv[2]))))
else:
    a = json.load(open(sys.argv[2]))
    b = snap(int(sys.argv[3]))
    busy = (b["busy"] - a["busy"]) / HZ
    rt = (b["rt"] - a["rt"]) / HZ
    print(f"cpu_busy_s={busy:.1f} cpu_rt_s={rt:.1f} cpu_other_s={busy - rt:.1f}")
