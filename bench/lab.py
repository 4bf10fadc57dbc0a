#!/usr/bin/env python3
"""Benchmark: the live lab (root, FRRouting). From `erdiag lab up` to a
healthy `erdiag diagnose --lab`; then, for each break kind, from
`erdiag lab break` to the diagnosis that names it, and `lab fix` back to a
healthy diagnosis.

usage: sudo bench/lab.py [RUNS=5]   (builds the release binary first)
"""
import json, os, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=root, check=True)
exe = os.path.join(root, "target", "release", "erdiag")
NAME = "bench"


def erdiag(*args, check=True):
    p = subprocess.run([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        sys.exit(f"erdiag {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def diagnose():
    p = erdiag("diagnose", "--lab", NAME, "-o", "json", "-q", check=False)
    if p.returncode not in (0, 1):
        sys.exit(f"diagnose exited {p.returncode}: {p.stderr}")
    return json.loads(p.stdout)


def until(pred, what, timeout=90):
    t = time.perf_counter()
    while True:
        r = diagnose()
        if pred(r):
            return r
        if time.perf_counter() - t > timeout:
            sys.exit(f"timed out waiting for {what}")


def med(xs):
    return f"median {statistics.median(xs):.2f} s (min {min(xs):.2f}, max {max(xs):.2f})"


erdiag("lab", "down", "--name", NAME, check=False)
up, diag = [], []
for _ in range(runs):
    t = time.perf_counter()
    erdiag("lab", "up", "--name", NAME)
    until(lambda r: r["verdict"] == "healthy", "a healthy diagnosis")
    up.append(time.perf_counter() - t)
    t = time.perf_counter()
    diagnose()
    diag.append(time.perf_counter() - t)
    erdiag("lab", "down", "--name", NAME)
print(f"runs: {runs}")
print(f"lab up -> healthy diagnosis: {med(up)}")
print(f"diagnose --lab (16 ARM calls through the emulator + CE outputs): {med(diag)}")

erdiag("lab", "up", "--name", NAME)
kinds = [l.split()[0] for l in erdiag("lab", "break", "--list").stdout.splitlines() if l.strip()]
print("break kind      break -> diagnosed   fix -> healthy   root cause")
for k in kinds:
    t = time.perf_counter()
    erdiag("lab", "break", k, "--path", "secondary", "--name", NAME)
    r = until(lambda r: r["verdict"] != "healthy", f"{k} to show")
    broke = time.perf_counter() - t
    t = time.perf_counter()
    erdiag("lab", "fix", "--name", NAME)
    until(lambda r: r["verdict"] == "healthy", "healthy after fix")
    fixed = time.perf_counter() - t
    rc = r.get("rootCause") or {}
    print(f"{k:15} {broke:8.2f} s          {fixed:6.2f} s        {rc.get('check')} {rc.get('layer')}/{rc.get('owner')}")
erdiag("lab", "down", "--name", NAME)
