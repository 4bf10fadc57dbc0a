#!/usr/bin/env python3
"""Benchmark: does the ARM emulator slow down as it ages?

Starts one `erdiag emulate --fleet circuits=N,...` at `--speed S` (an
accelerated clock, as bench/soak.py runs it; a timeline, empty unless
--timeline is given, so that its metrics are made and its states move with
the clock), then runs `erdiag fleet -o jsonl` against it --fleets times in a
row. For each fleet: the wall time of the client, and the CPU (user +
system) the emulator used meanwhile, read from /proc/PID/stat. A fresh
emulator and an aged one should cost the same per fleet; the last line
gives the ratio of the last fleet's emulator CPU to the first's.

usage: bench/emulator_age.py [--exe target/release/erdiag] [--circuits 200]
                             [--subscriptions 4] [--regions 2] [--speed 25]
                             [--fleets 10] [--timeline FILE]
"""
import argparse, os, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulated_fleet import add_fleet_args, emulate

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
add_fleet_args(ap)
ap.add_argument("--speed", type=float, default=25.0)
ap.add_argument("--fleets", type=int, default=10)
ap.add_argument("--timeline")
a = ap.parse_args()

work = tempfile.mkdtemp(prefix="erdiag-emulator-age-")
em, url, cert, spec = emulate(a, work, a.speed, a.timeline)
tick = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


first = None
try:
    print(f"emulator: {spec} at --speed {a.speed:g}", flush=True)
    for k in range(1, a.fleets + 1):
        c0, t0 = cpu(em.pid), time.time()
        r = subprocess.run([a.exe, "fleet", "--arm-endpoint", url, "--ca-cert", cert, "--access-token", "age", "-o", "jsonl"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall, used = time.time() - t0, cpu(em.pid) - c0
        if r.returncode not in (0, 1):
            sys.exit(f"fleet {k} failed (exit {r.returncode}): {r.stderr[-2000:]}")
        first = first or used
        print(f"fleet {k}: {wall:.2f} s wall, emulator CPU {used:.2f} s, emulator RSS {rss(em.pid) / 1024:.0f} MiB", flush=True)
    print(f"emulator CPU, last fleet / first: {used / first:.2f}")
finally:
    em.send_signal(signal.SIGTERM)
    em.wait(timeout=30)
