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
import argparse, json, os, signal, socket, subprocess, sys, tempfile, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--exe", default=os.path.join(root, "target/release/erdiag"))
ap.add_argument("--circuits", type=int, default=200)
ap.add_argument("--subscriptions", type=int, default=4)
ap.add_argument("--regions", type=int, default=2)
ap.add_argument("--every", type=float, default=10.0)
ap.add_argument("--seconds", type=float, default=60.0)
a = ap.parse_args()

work = tempfile.mkdtemp(prefix="erdiag-scrape-")
procs = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


try:
    timeline = os.path.join(work, "empty.json")
    json.dump({"events": []}, open(timeline, "w"))
    cert = os.path.join(work, "ca.pem")
    spec = f"circuits={a.circuits},subscriptions={a.subscriptions},regions={a.regions},faulty=0,seed=1"
    em = subprocess.Popen([a.exe, "emulate", "--fleet", spec, "--cert-out", cert, "-q", "--max-connections", "1024", "--speed", "25", "--timeline", timeline],
                          stdout=subprocess.PIPE, stderr=open(os.path.join(work, "emulate.log"), "w"), text=True)
    procs.append(em)
    url = em.stdout.readline().strip()
    if not url.startswith("https://"):
        sys.exit(f"the emulator did not start: {url!r} (see {work}/emulate.log)")
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
