#!/usr/bin/env python3
"""Benchmark: `erdiag history` and `erdiag diff @T @T+1d` on one circuit of a store.

The store is the history store's own benchmark database (BENCHMARKS.md,
"History store"): `target/release/examples/store_bench --dir DIR` leaves
DIR/history.sqlite. This times, --runs times each (whole process: start, open,
read, rebuild, diff, JSON out; median, min and max of wall time):

1. `erdiag history CIRCUIT --since FROM --until TO -o json`: every poll of the
   circuit between FROM and TO (default: its first and last poll);
2. `erdiag diff @DAY @DAY+1d --store … --circuit CIRCUIT -o json`, DAY the
   middle day of that window.

usage: bench/history.py --store DIR/history.sqlite [--circuit er-ckt-0000] [--since T] [--until T]
                        [--runs 8] [--exe target/release/erdiag]
"""
import argparse, json, os, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--store", required=True)
ap.add_argument("--circuit", default="er-ckt-0000")
ap.add_argument("--since")
ap.add_argument("--until")
ap.add_argument("--runs", type=int, default=8)
ap.add_argument("--exe", default=os.path.join(root, "target/release/erdiag"))
a = ap.parse_args()


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse(s):
    return int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


def erdiag(args):
    p = subprocess.run([a.exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.exit(f"erdiag {' '.join(args)}: exit {p.returncode}: {p.stderr.decode()}")
    return p.stdout


listed = json.loads(erdiag(["history", "--list", "--store", a.store, "-o", "json"]))
c = next((c for c in listed if a.circuit in (c["name"], c["id"])), None) or sys.exit(f"no circuit {a.circuit} in {a.store}")
since, until = a.since or c["firstPoll"], a.until or c["lastPoll"]
day = parse(since) + (parse(until) - parse(since)) // 2 // 86400 * 86400
cases = [
    (f"history {since} → {until}", ["history", c["id"], "--store", a.store, "--since", since, "--until", until, "-o", "json"]),
    (f"diff @{rfc3339(day)} @+1d", ["diff", "@" + rfc3339(day), "@" + rfc3339(day + 86400), "--store", a.store, "--circuit", c["id"], "-o", "json"]),
]
for name, args in cases:
    times = []
    for _ in range(a.runs):
        t = time.perf_counter()
        out = erdiag(args)
        times.append((time.perf_counter() - t) * 1000)
    doc = json.loads(out)
    what = f"{doc['polls']} polls, {len(doc['events'])} events" if "events" in doc else f"{len(doc['changes'])} changes"
    print(f"{name}: median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}) over {a.runs} runs; {what}")
