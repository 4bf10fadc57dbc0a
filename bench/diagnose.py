#!/usr/bin/env python3
"""Benchmark: whole-process time and peak memory of `erdiag diagnose` on a
snapshot with two peerings and 10,000 routes per path (40,000 MSEE routes).

usage: bench/diagnose.py [RUNS=30]   (builds the release binary first)
Prints min / median / max wall time and the peak RSS of the slowest run.
"""
import os, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=root, check=True)
exe = os.path.join(root, "target", "release", "erdiag")
snap = os.path.join(tempfile.mkdtemp(), "large.json")
subprocess.run([sys.executable, os.path.join(root, "bench", "make-large-snapshot.py"), snap, "10000"], check=True)

times, peaks = [], []
for i in range(runs + 2):
    t = time.perf_counter()
    p = subprocess.run([exe, "diagnose", "--snapshot", snap, "-o", "json"], stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"erdiag exited {p.returncode}: the large snapshot must diagnose healthy")
    if i >= 2:  # two warm-up runs
        times.append(dt)
# Peak memory of erdiag alone (GNU time's maximum resident set size, in KB).
for _ in range(3):
    p = subprocess.run(["/usr/bin/time", "-f", "%M", exe, "diagnose", "--snapshot", snap, "-o", "json"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks.append(int(p.stderr.strip().splitlines()[-1]))
ms = [t * 1000 for t in times]
print(f"runs: {runs}")
print(f"wall time ms: min {min(ms):.1f}  median {statistics.median(ms):.1f}  max {max(ms):.1f}")
print(f"peak RSS: {max(peaks) / 1024:.1f} MB (max of 3 runs under /usr/bin/time)")
