#!/usr/bin/env python3
"""Benchmark: how long a `/metrics` scrape of `erdiag watch` takes while polls run.

Starts `erdiag emulate --fleet circuits=N,...` and `erdiag watch` over it
(`--every`, no jitter, `--store` in a temporary directory), waits for the
first poll, then for --seconds requests `/metrics` back to back from one
client, as a scraper would but without pause, so that many requests land
while a poll is collecting and while it hands its results over. Prints the
latency percentiles, the maximum, and how many took over 50 ms (the soak's
criterion, bench/soak.py).

usage: bench/scrape_latency.py [--exe target/release/erdiag] [--circuits 200]
                               [--every 10] [--seconds 60]
"""
import argparse, os, signal, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulated_fleet import add_fleet_args, emulate, free_port

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
add_fleet_args(ap)
ap.add_argument("--every", type=float, default=10.0)
ap.add_argument("--seconds", type=float, default=60.0)
a = ap.parse_args()

work = tempfile.mkdtemp(prefix="erdiag-scrape-")
procs = []


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


try:
    em, url, cert, _ = emulate(a, work)
    procs.append(em)
    port = free_port()
    w = subprocess.Popen([a.exe, "watch", "--arm-endpoint", url, "--ca-cert", cert, "--access-token", "scrape", "--every", f"{a.every:g}s",
                          "--no-jitter", "--listen", f"127.0.0.1:{port}", "--store", os.path.join(work, "history.db")],
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "watch.log"), "w"))
    procs.append(w)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if "erdiag_circuit_verdict" in get(f"http://127.0.0.1:{port}/metrics"):
                break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        sys.exit(f"no poll finished in 300 s (see {work})")
    lat, end = [], time.time() + a.seconds
    while time.time() < end:
        s = time.perf_counter()
        get(f"http://127.0.0.1:{port}/metrics")
        lat.append((time.perf_counter() - s) * 1000)
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100))]
    polls = sum(float(l.split()[-1]) for l in get(f"http://127.0.0.1:{port}/metrics").splitlines() if l.startswith("erdiag_polls_total"))
    print(f"{len(lat)} scrapes over {a.seconds:g} s ({polls:g} polls done): p50 {pct(50):.2f} ms, p90 {pct(90):.2f} ms, "
          f"p99 {pct(99):.2f} ms, max {lat[-1]:.2f} ms, {sum(1 for x in lat if x > 50)} over 50 ms")
finally:
    for p in reversed(procs):
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
