#!/usr/bin/env python3
"""Benchmark: the history queries on one circuit's month of polls.

Builds (unless --store names one already built) a store of one circuit polled
every 5 minutes for --days days, written through erdiag itself: snapshots of
the healthy-private scenario with churn (byte counters growing every poll, the
gateway's BGP message counters moving, a secondary-path outage of 15 minutes
every night at 02:00 that withdraws the CE's prefixes from that MSEE, and one
on-premises prefix withdrawn and re-advertised every 6 hours), recorded by
`erdiag fleet --snapshot DIR --store DB` in batches of 500 files. Then times,
each --runs times (median and max of wall time, process start included):

1. `erdiag history CIRCUIT --since START --until END -o json` over all days;
2. `erdiag diff @T @T+1d --store DB --circuit CIRCUIT -o json` across one day
   (when this erdiag has `diff`).

usage: bench/history.py [--days 30] [--runs 10] [--exe target/release/erdiag] [--store FILE] [--keep]
"""
import argparse, copy, json, os, shutil, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--days", type=int, default=30)
ap.add_argument("--runs", type=int, default=10)
ap.add_argument("--exe", default=os.path.join(root, "target/release/erdiag"))
ap.add_argument("--store", help="an existing store to query (built by an earlier run with --keep)")
ap.add_argument("--keep", action="store_true", help="keep the store and print its path")
a = ap.parse_args()

POLL = 300
START = 1_795_219_200  # 2026-11-21T00:00:00Z
base = json.load(open(os.path.join(root, "scenarios/healthy-private/snapshot.json")))
circuit = base["circuitId"]


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def key(suffix):
    return next(k for k in base["resources"] if k.endswith(suffix))


def poll(i):
    t = START + i * POLL
    doc = copy.deepcopy(base)
    doc["collectedAt"] = rfc3339(t)
    res = doc["resources"]
    for k, v in res.items():
        # Counters move every poll.
        if k.endswith("/stats"):
            for f in ("primarybytesIn", "primarybytesOut", "secondarybytesIn", "secondarybytesOut"):
                if f in v.get("properties", v):
                    (v.get("properties", v))[f] += i * 37_500_000
        if k.endswith("getBgpPeerStatus"):
            for p in v["value"]:
                p["messagesSent"] += i
                p["messagesReceived"] += i
    minute_of_day = (t - START) % 86400 // 60
    # 02:00-02:15 every night: the secondary path is down.
    if 120 <= minute_of_day < 135:
        res[key("routeTablesSummary/secondary")]["value"][0]["statePfxRcd"] = "Idle"
        rt = res[key("routeTables/secondary")]
        rt["value"] = [r for r in rt["value"] if r["path"] == "65515"]
        for r in res[key("arpTables/secondary")]["value"]:
            if r["interface"] == "On-Prem":
                r["macAddress"] = "Incomplete"
    # For 10 minutes every 6 hours: one on-premises prefix withdrawn everywhere.
    if (t - START) % 21600 < 600:
        for suffix in ("routeTables/primary", "routeTables/secondary"):
            rt = res[key(suffix)]
            rt["value"] = [r for r in rt["value"] if r["network"] != "192.168.50.0/24"]
    return doc


def run(args):
    t = time.perf_counter()
    p = subprocess.run([a.exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    took = (time.perf_counter() - t) * 1000
    if p.returncode not in (0, 1):
        sys.exit(f"erdiag {' '.join(args)}: exit {p.returncode}: {p.stderr.decode()}")
    return took, p.stdout


polls = a.days * 86400 // POLL
work = tempfile.mkdtemp(prefix="erdiag-history-bench-")
store = a.store
if not store:
    store = os.path.join(work, "history.db")
    t0 = time.perf_counter()
    batch = os.path.join(work, "batch")
    for start in range(0, polls, 500):
        shutil.rmtree(batch, ignore_errors=True)
        os.makedirs(batch)
        for i in range(start, min(polls, start + 500)):
            with open(os.path.join(batch, f"{i:06}.json"), "w") as f:
                json.dump(poll(i), f)
        p = subprocess.run([a.exe, "fleet", "--snapshot", batch, "--store", store, "-q", "-o", "jsonl"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode not in (0, 1):
            sys.exit(f"fleet --store: exit {p.returncode}: {p.stderr.decode()}")
    shutil.rmtree(batch, ignore_errors=True)
    print(f"store: {polls} polls of one circuit over {a.days} days recorded in {time.perf_counter() - t0:.0f} s, {os.path.getsize(store) / 1e6:.1f} MB")

end = START + polls * POLL
cases = [("history --since 30d", ["history", circuit, "--store", store, "--since", rfc3339(START), "--until", rfc3339(end), "-o", "json"])]
day = START + (a.days // 2) * 86400
has_diff = subprocess.run([a.exe, "diff", "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
if has_diff:
    cases.append(("diff @T @T+1d", ["diff", "@" + rfc3339(day), "@" + rfc3339(day + 86400), "--store", store, "--circuit", circuit, "-o", "json"]))
for name, args in cases:
    times, out = [], b""
    for _ in range(a.runs):
        took, out = run(args)
        times.append(took)
    detail = ""
    if name.startswith("history"):
        tl = json.loads(out)
        detail = f", {tl['polls']} polls, {len(tl['events'])} events"
    print(f"{name}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {a.runs} runs{detail}")
if a.keep:
    print(f"kept: {store}")
else:
    shutil.rmtree(work, ignore_errors=True)
