#!/usr/bin/env python3
"""Benchmark of the probes, on loopback only.

1. Overhead of `probe tcp`: its latency figures against a bare loop of
   blocking connect() calls (crates/probe/examples/raw-connect.rs), both
   making 2,000 attempts 2 ms apart to the same listener on 127.0.0.1,
   alternated, ROUNDS times each.
2. Throughput of `perf client` against iperf3's own client, both against one
   `iperf3 -s` on 127.0.0.1, with 1 and 6 streams for 5 s, alternated, ROUNDS
   times each; the receiver's figure of each (iperf3 -J's sum_received).

usage: bench/probe.py [ROUNDS=3]
Builds the release binary (honours CARGO_TARGET_DIR). Part 2 needs iperf3
(apt-get install iperf3) and is skipped with a notice without it.
"""
import json, os, shutil, socket, statistics, subprocess, sys, threading, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "erdiag", "--bin", "erdiag"], cwd=root, check=True)
subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "erdiag-probe", "--example", "raw-connect"],
               cwd=root, check=True)
exe = os.path.join(target_dir, "release", "erdiag")
raw = os.path.join(target_dir, "release", "examples", "raw-connect")
COUNT, INTERVAL_MS, SECONDS = 2000, 2, 5


def run_json(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr}")
    return json.loads(p.stdout)


# 1. A listener that accepts and closes, on its own thread.
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1024)
port = listener.getsockname()[1]


def accept_loop():
    while True:
        c, _ = listener.accept()
        c.close()


threading.Thread(target=accept_loop, daemon=True).start()
lat = {"raw": [], "probe": []}
for _ in range(rounds):
    lat["raw"].append(run_json([raw, f"127.0.0.1:{port}", str(COUNT), str(INTERVAL_MS)]))
    lat["probe"].append(run_json([exe, "probe", "tcp", f"127.0.0.1:{port}", "-n", str(COUNT), "-i", f"{INTERVAL_MS}ms",
                                  "-o", "json", "-q"])["summary"])
for name in ("raw", "probe"):
    lost = sum(s["lost"] for s in lat[name])
    if lost:
        sys.exit(f"{name}: {lost} attempts failed on loopback")


def med(name, key):
    return statistics.median(s[key] for s in lat[name])


print(f"TCP connect latency on 127.0.0.1, {COUNT} attempts {INTERVAL_MS} ms apart, {rounds} rounds each "
      f"(median over rounds, ms):")
print(f"  {'':16} {'min':>7} {'median':>7} {'p90':>7} {'p99':>7}")
for name, label in (("raw", "raw connect()"), ("probe", "erdiag probe tcp")):
    print(f"  {label:16} " + " ".join(f"{med(name, k):7.3f}" for k in ("minMs", "medianMs", "p90Ms", "p99Ms")))
over = (med("probe", "medianMs") - med("raw", "medianMs")) * 1000
print(f"  overhead of the prober at the median: {over:+.1f} µs")

# 2. Throughput against iperf3 -s.
if shutil.which("iperf3") is None:
    print("NOTICE: iperf3 is not installed (apt-get install iperf3): throughput comparison skipped")
    sys.exit(0)
s = socket.socket()
s.bind(("127.0.0.1", 0))
iport = s.getsockname()[1]
s.close()
server = subprocess.Popen(["iperf3", "-s", "-B", "127.0.0.1", "-p", str(iport)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
time.sleep(0.5)
bw = {}
try:
    for streams in (1, 6):
        for _ in range(rounds):
            d = run_json(["iperf3", "-c", "127.0.0.1", "-p", str(iport), "-t", str(SECONDS), "-P", str(streams), "-J"])
            bw.setdefault(("iperf3", streams), []).append(d["end"]["sum_received"]["bits_per_second"])
            time.sleep(0.3)
            d = run_json([exe, "perf", "client", "127.0.0.1", "-p", str(iport), "--streams", str(streams),
                          "--stage-seconds", str(SECONDS), "-o", "json", "-q"])
            bw.setdefault(("erdiag", streams), []).append(d["stages"][0]["bitsPerSecond"])
            time.sleep(0.3)
finally:
    server.terminate()
    server.wait()
print(f"\nThroughput to iperf3 -s on 127.0.0.1, {SECONDS} s per run, {rounds} runs each (receiver's figure, Gbit/s):")
for streams in (1, 6):
    i = [v / 1e9 for v in bw[("iperf3", streams)]]
    e = [v / 1e9 for v in bw[("erdiag", streams)]]
    ratio = statistics.median(e) / statistics.median(i)
    print(f"  {streams} stream{'s' if streams > 1 else ' '}  iperf3 -c: median {statistics.median(i):6.2f} "
          f"(min {min(i):.2f}, max {max(i):.2f})   erdiag perf client: median {statistics.median(e):6.2f} "
          f"(min {min(e):.2f}, max {max(e):.2f})   ratio {ratio:.2f}")
