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
import argparse, json, os, signal, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--exe", default=os.path.join(root, "target/release/erdiag"))
ap.add_argument("--circuits", type=int, default=200)
ap.add_argument("--subscriptions", type=int, default=4)
ap.add_argument("--regions", type=int, default=2)
ap.add_argument("--speed", type=float, default=25.0)
ap.add_argument("--fleets", type=int, default=10)
ap.add_argument("--timeline")
a = ap.parse_args()

work = tempfile.mkdtemp(prefix="erdiag-emulator-age-")
timeline = a.timeline
if not timeline:
    timeline = os.path.join(work, "empty.json")
    json.dump({"events": []}, open(timeline, "w"))
cert = os.path.join(work, "ca.pem")
spec = f"circuits={a.circuits},subscriptions={a.subscriptions},regions={a.regions},faulty=0,seed=1"
em = subprocess.Popen(
    [a.exe, "emulate", "--fleet", spec, "--cert-out", cert, "-q", "--max-connections", "1024", "--speed", f"{a.speed:g}", "--timeline", timeline],
    stdout=subprocess.PIPE, stderr=open(os.path.join(work, "emulate.log"), "w"), text=True,
)
url = em.stdout.readline().strip()
if not url.startswith("https://"):
    em.kill()
    sys.exit(f"the emulator did not start: {url!r} (see {work}/emulate.log)")
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
