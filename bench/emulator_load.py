#!/usr/bin/env python3
"""Holds the ARM emulator under load and measures what it costs.

  python3 bench/emulator_load.py [--bin target/release/erdiag] [--requests 200000]

1. Starts `erdiag emulate --http -q` with at most 256 file descriptors.
2. Sends --requests requests (keep-alive, 4 threads; half without a token).
3. Reports the emulator's RSS after them and its CPU use over the next 10 s
   of idleness.
4. Opens 300 half-sent requests (headers never finished) and reports whether
   a normal request is still answered within 20 s while they are held.
"""
import argparse, http.client, os, resource, socket, subprocess, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--bin", default="target/release/erdiag")
ap.add_argument("--requests", type=int, default=200_000)
a = ap.parse_args()

def limit_fds():
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

em = subprocess.Popen([a.bin, "emulate", "--http", "-q"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=limit_fds)
base = em.stdout.readline().decode().strip()
host, port = base.split("//")[1].split(":")
port = int(port)

def worker(n, token):
    c = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Authorization": "Bearer x"} if token else {}
    for i in range(n):
        c.request("GET", f"/subscriptions?api-version=2022-12-01&i={i}", headers=headers)
        c.getresponse().read()
    c.close()

started = time.time()
threads = [threading.Thread(target=worker, args=(a.requests // 4, t % 2 == 0)) for t in range(4)]
for t in threads: t.start()
for t in threads: t.join()
took = time.time() - started

def rss_kib():
    for line in open(f"/proc/{em.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

def cpu_ticks():
    f = open(f"/proc/{em.pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])

rss = rss_kib()
t0 = cpu_ticks(); time.sleep(10); t1 = cpu_ticks()
hz = os.sysconf("SC_CLK_TCK")
print(f"requests: {a.requests} in {took:.1f} s ({a.requests / took:.0f}/s)")
print(f"rss after: {rss / 1024:.1f} MiB")
print(f"idle cpu over 10 s: {100 * (t1 - t0) / hz / 10:.1f} % of a core")

held = []
for _ in range(300):
    try:
        s = socket.create_connection((host, port), timeout=2)
        s.sendall(b"GET /subscriptions?api-version=2022-12-01 HTTP/1.1\r\nHost: x\r\n")
        held.append(s)
    except OSError:
        break
started = time.time()
try:
    c = http.client.HTTPConnection(host, port, timeout=20)
    c.request("GET", "/metadata/endpoints?api-version=2022-09-01")
    status = c.getresponse().status
    print(f"half-open: {len(held)} held; a normal request got {status} after {time.time() - started:.1f} s")
except OSError as e:
    print(f"half-open: {len(held)} held; a normal request failed after {time.time() - started:.1f} s: {e}")
for s in held: s.close()
em.terminate(); em.wait()
