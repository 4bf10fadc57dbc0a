#!/usr/bin/env python3
"""Soak: `erdiag watch` over a fleet for a simulated day, under a real Prometheus.

1. `erdiag emulate --fleet circuits=200,...,faulty=0` serves healthy circuits
   with a generated timeline (`--timeline`, events naming their circuit,
   docs/emulator.md) at `--speed S`: faults (BGP down or ARP lost on one path
   of the private peering, for 12 to 30 polls), flaps (three BGP dips of
   under a poll each, two polls apart) and Microsoft's planned maintenance
   of one path (3 to 24 polls: its sessions down, Resource Health `Planned`
   Unavailable), at least 20 polls apart on a circuit (ExpressRouteBgpFlapping
   stays silent for 90 minutes after ExpressRouteBgpSessionDown on a path).
2. `erdiag watch` polls it every `--every` seconds; a poll then stands for
   5 minutes of the emulator's time (S = 300 / every), as `--every 5m` does
   in production.
3. Prometheus scrapes `/metrics` every second and evaluates
   deploy/prometheus/erdiag-rules.yml with every `for:` and range scaled by
   every / 300 (the file is written for a 5-minute poll).
4. At the end the firing episodes of `ALERTS` (its HTTP API, over the run)
   are matched with the injected transitions: every fault alerted once per
   expected alert (BGP: ExpressRouteBgpSessionDown and
   ExpressRouteCircuitDegraded; ARP: ExpressRouteArpUnresolved too; a flap:
   ExpressRouteBgpFlapping alone, the verdict's alert staying silent when
   only a flap fails), no duplicate, none for a maintenance (whatever its
   length: the rules are silent while erdiag_maintenance is 1). Meanwhile the RSS
   (/proc/PID/status VmRSS) and open file descriptors (/proc/PID/fd) of
   `erdiag watch` are sampled, and at the end `/metrics` is fetched N times
   for its latency (p50, p99).

A first short run without events measures a poll of the fleet; when it takes
longer than `--every`, `--every` grows to fit (and the speed falls), and the
simulated hours shrink to keep within `--budget` wall seconds: what ran is
printed, with every figure.

usage: bench/soak.py [--exe PATH] [--circuits 200] [--hours 24] [--every 1]
                     [--budget 1200] [--share 0.3] [--seed 1] [--requests 500]
                     [--store] [--keep]
Needs `prometheus` on the PATH (Debian's package). Builds the release binary
unless --exe is given.
"""
import argparse, json, math, os, random, re, shutil, signal, socket, ssl, statistics, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--exe", help="an erdiag binary (default: build the release one)")
ap.add_argument("--circuits", type=int, default=200)
ap.add_argument("--subscriptions", type=int, default=4)
ap.add_argument("--regions", type=int, default=2)
ap.add_argument("--hours", type=float, default=24.0, help="simulated hours wanted")
ap.add_argument("--every", type=float, default=1.0, help="real seconds between polls wanted")
ap.add_argument("--budget", type=float, default=1200.0, help="wall seconds the simulated day may take")
ap.add_argument("--share", type=float, default=0.3, help="share of circuits given events")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--requests", type=int, default=500, help="/metrics requests timed at the end")
ap.add_argument("--watch-arg", action="append", default=[], metavar="ARG",
                help="one more argument for erdiag watch, e.g. --watch-arg=--no-metrics-batch (repeatable)")
ap.add_argument("--keep", action="store_true", help="keep the work folder")
ap.add_argument("--store", action="store_true", help="erdiag watch records into a SQLite store in the work folder (its earlier polls confirm metric dips, as in production)")
args = ap.parse_args()

if not shutil.which("prometheus"):
    sys.exit("prometheus is not on the PATH (apt-get install prometheus)")
if args.exe:
    exe = os.path.abspath(args.exe)
else:
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "erdiag"], cwd=root, check=True)
    exe = os.path.join(root, "target", "release", "erdiag")
work = tempfile.mkdtemp(prefix="erdiag-soak-")
procs = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_all():
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()


# The fleet's circuit names, as crates/emulator/src/fleet.rs lays them out:
# pair p in subscription p mod S and region (p div S) mod R.
REGIONS = ["westeurope", "northeurope", "eastus", "westus2", "uksouth", "germanywestcentral", "francecentral",
           "southeastasia", "japaneast", "australiaeast"]


def circuit_names(n, subs, regions):
    return [f"er-{REGIONS[((i // 2) // subs) % regions]}-{i:04}" for i in range(n)]


def emulate(spec, speed, timeline=None):
    cert = os.path.join(work, "ca.pem")
    cmd = [exe, "emulate", "--fleet", spec, "--cert-out", cert, "-q", "--max-connections", "1024", "--speed", f"{speed:g}"]
    if timeline:
        cmd += ["--timeline", timeline]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "emulate.log"), "a"), text=True)
    procs.append(p)
    url = p.stdout.readline().strip()
    if not url.startswith("https://"):
        sys.exit(f"the emulator did not start: {url!r} (see {work}/emulate.log)")
    return p, url, cert, time.time()


def watch(url, cert, every, port, label):
    log = open(os.path.join(work, f"watch-{label}.log"), "w")
    cmd = [exe, "watch", "--arm-endpoint", url, "--ca-cert", cert, "--access-token", "soak", "--every", f"{every:g}s",
           "--no-jitter", "--listen", f"127.0.0.1:{port}"]
    if args.store:
        cmd += ["--store", os.path.join(work, f"history-{label}.db")]
    cmd += args.watch_arg
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    procs.append(p)
    return p


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def metric(text, name):
    """The values of `name` (no labels, or any) in an exposition text."""
    return [float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M)]


def wait_polls(port, polls, limit):
    """Waits for `polls` finished polls; the durations seen (from the gauges)."""
    end, seen, durations = time.time() + limit, None, []
    while time.time() < end:
        try:
            text = get(f"http://127.0.0.1:{port}/metrics")
        except OSError:
            time.sleep(0.5)
            continue
        total = sum(metric(text, "erdiag_polls_total"))
        if total >= polls:
            s = metric(text, "erdiag_poll_duration_seconds_sum")
            c = metric(text, "erdiag_poll_duration_seconds_count")
            return total, (s[0] / c[0]) if s and c and c[0] else None
        time.sleep(0.5)
    sys.exit(f"erdiag watch did not finish {polls} polls in {limit} s (see {work})")


spec = f"circuits={args.circuits},subscriptions={args.subscriptions},regions={args.regions},faulty=0,seed={args.seed}"
names = circuit_names(args.circuits, args.subscriptions, args.regions)

# 1. How long a poll of this fleet takes, the emulator serving it through a
# timeline as in the run (an empty one: its metrics are made, not held).
try:
    empty = os.path.join(work, "empty.json")
    json.dump({"events": []}, open(empty, "w"))
    em, url, cert, _ = emulate(spec, 1, empty)
    port = free_port()
    w = watch(url, cert, args.every, port, "probe")
    _, mean = wait_polls(port, 3, 600)
    for p in (w, em):
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)
    procs.clear()
except SystemExit:
    stop_all()
    raise
poll = mean or args.every
every = max(args.every, math.ceil(poll * 1.25 * 10) / 10)
speed = 300.0 / every
hours = min(args.hours, args.budget * speed / 3600.0)
print(f"a poll of {args.circuits} circuits takes {poll:.2f} s: polling every {every:g} s at --speed {speed:g}, "
      f"{hours:g} simulated hours in {hours * 3600 / speed:.0f} s", file=sys.stderr)

# 2. The timeline: per circuit, events that do not overlap, in units of polls (5 simulated minutes).
rng = random.Random(args.seed)
POLL = 300
events, injected = [], []
horizon = int(hours * 3600)
warm = 6 * POLL  # the first polls run without events
for name in rng.sample(names, round(args.share * len(names))):
    t = warm + rng.randrange(0, 24) * POLL
    while True:
        kind = rng.choices(["bgp-down", "arp-lost", "flap", "maintenance"], weights=[3, 2, 2, 3])[0]
        path = rng.choice(["primary", "secondary"])
        if kind in ("bgp-down", "arp-lost"):
            length = rng.randrange(12, 31) * POLL
            spans = [(t, t + length)]
        elif kind == "flap":
            spans = [(t + k * 2 * POLL, t + k * 2 * POLL + rng.randrange(60, 240)) for k in range(3)]
            length = spans[-1][1] - t
        else:
            # As Microsoft's maintenance of a path lasts: tens of minutes to hours.
            length = rng.randrange(3, 25) * POLL
            spans = [(t, t + length)]
        if t + length + 12 * POLL > horizon:
            break
        for a, b in spans:
            e = {"kind": "bgp-down" if kind == "flap" else kind, "circuit": name, "path": path, "from": f"+{a}s", "to": f"+{b}s"}
            if kind != "maintenance":
                e["peering"] = "AzurePrivatePeering"
            events.append(e)
        injected.append({"kind": kind, "circuit": name, "path": path, "from": spans[0][0], "to": spans[-1][1]})
        t += length + rng.randrange(20, 48) * POLL
timeline = os.path.join(work, "timeline.json")
json.dump({"events": events}, open(timeline, "w"), indent=1)

# 3. The run: emulator, watch, Prometheus with the scaled rules.
factor = every / 300.0


def scale(span):
    m = re.fullmatch(r"(\d+)([smh])", span.strip())
    secs = int(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[m.group(2)]
    return f"{max(1, round(secs * factor))}s"


rules = []
for line in open(os.path.join(root, "deploy/prometheus/erdiag-rules.yml")):
    if not line.lstrip().startswith("#"):
        line = line.replace("> 900", f"> {max(1, round(900 * factor))}")
        line = re.sub(r"for: (\S+)", lambda m: "for: " + scale(m.group(1)), line)
        line = re.sub(r"\[(\d+[smh])\]", lambda m: "[" + scale(m.group(1)) + "]", line)
    rules.append(line)
open(os.path.join(work, "rules.yml"), "w").write("".join(rules))

samples = []
try:
    em, url, cert, t0 = emulate(spec, speed, timeline)
    port, prom_port = free_port(), free_port()
    w = watch(url, cert, every, port, "soak")
    open(os.path.join(work, "prometheus.yml"), "w").write(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\n"
        f"scrape_configs:\n  - job_name: erdiag\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n")
    prom = subprocess.Popen(["prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/data",
                             f"--web.listen-address=127.0.0.1:{prom_port}"],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "prometheus.log"), "w"))
    procs.append(prom)

    def sample():
        while w.poll() is None:
            try:
                rss = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{w.pid}/status").read()).group(1))
                fds = len(os.listdir(f"/proc/{w.pid}/fd"))
                samples.append((time.time() - t0, rss, fds))
            except (OSError, AttributeError):
                pass
            time.sleep(2)

    threading.Thread(target=sample, daemon=True).start()
    end = t0 + horizon / speed
    while time.time() < end:
        if w.poll() is not None:
            sys.exit(f"erdiag watch stopped (see {work}/watch-soak.log)")
        time.sleep(1)
    # 4. /metrics latency, while polls go on.
    lat = []
    for _ in range(args.requests):
        s = time.perf_counter()
        body = get(f"http://127.0.0.1:{port}/metrics")
        lat.append((time.perf_counter() - s) * 1000)
    size = len(body.encode())
    series = sum(1 for l in body.splitlines() if l and not l.startswith("#"))
    last = get(f"http://127.0.0.1:{port}/metrics")
    polls = sum(metric(last, "erdiag_polls_total"))
    failed = sum(metric(last, 'erdiag_polls_total\\{result="failed"\\}'))
    dur_sum, dur_count = metric(last, "erdiag_poll_duration_seconds_sum"), metric(last, "erdiag_poll_duration_seconds_count")
    poll_mean = dur_sum[0] / dur_count[0] if dur_sum and dur_count and dur_count[0] else None
    q = urllib.parse.urlencode({"query": 'ALERTS{alertstate="firing"}', "start": t0, "end": end, "step": "1"})
    alerts = json.loads(get(f"http://127.0.0.1:{prom_port}/api/v1/query_range?{q}", timeout=60))["data"]["result"]
    q = urllib.parse.urlencode({"query": f'max_over_time(scrape_duration_seconds{{job="erdiag"}}[{int(horizon / speed)}s])', "time": end})
    scrape_max = json.loads(get(f"http://127.0.0.1:{prom_port}/api/v1/query?{q}"))["data"]["result"]
finally:
    stop_all()
watch_exit = w.returncode

# 5. Episodes of each alert series, matched with the injected transitions (in real seconds from t0).
episodes = []
for s in alerts:
    ts = [float(v[0]) - t0 for v in s["values"]]
    start = prev = ts[0]
    for t in ts[1:] + [None]:
        if t is None or t - prev > 3:
            episodes.append({"labels": s["metric"], "from": start, "to": prev})
            if t is not None:
                start = t
        if t is not None:
            prev = t
margin = 3 * every + 5  # the last poll that saw it, the scaled `for:`, a scrape and an evaluation
expected = {"bgp-down": ["ExpressRouteBgpSessionDown", "ExpressRouteCircuitDegraded"],
            "arp-lost": ["ExpressRouteArpUnresolved", "ExpressRouteBgpSessionDown", "ExpressRouteCircuitDegraded"],
            "flap": ["ExpressRouteBgpFlapping"]}
used = set()
missed, duplicates, matched = [], [], 0


def overlaps(ep, inj):
    a, b = inj["from"] / speed, inj["to"] / speed + margin
    return ep["from"] <= b and ep["to"] >= a


def same(ep, inj, alert):
    l = ep["labels"]
    if l.get("alertname") != alert or l.get("circuit") != inj["circuit"]:
        return False
    return alert == "ExpressRouteCircuitDegraded" or l.get("path") == inj["path"]


for inj in injected:
    for alert in expected.get(inj["kind"], []):
        hits = [i for i, ep in enumerate(episodes) if same(ep, inj, alert) and overlaps(ep, inj)]
        used.update(hits)
        if not hits:
            missed.append((inj, alert))
        elif len(hits) > 1:
            duplicates.append((inj, alert, len(hits)))
        else:
            matched += 1
spurious = [ep for i, ep in enumerate(episodes) if i not in used]
on_maintenance = [ep for ep in spurious if any(inj["kind"] == "maintenance" and inj["circuit"] == ep["labels"].get("circuit") and overlaps(ep, inj) for inj in injected)]

# 6. Memory and descriptors after warm-up (the first fifth of the run).
after = [s for s in samples if s[0] > horizon / speed / 5]
k = max(1, len(after) // 10)
rss_first, rss_last = statistics.median(s[1] for s in after[:k]), statistics.median(s[1] for s in after[-k:])
# After each poll the service gives its free heap back, so RSS is a saw:
# high during a poll, low between. Its teeth and troughs are compared too.
peak_first, peak_last = max(s[1] for s in after[:k]), max(s[1] for s in after[-k:])
low_first, low_last = min(s[1] for s in after[:k]), min(s[1] for s in after[-k:])
growth = lambda a, b: round(100 * (b - a) / a, 1)
fd_first, fd_last = statistics.median(s[2] for s in after[:k]), statistics.median(s[2] for s in after[-k:])
# Descriptors are the client's connections during a poll: like RSS, a saw.
# Its baseline between polls (the least of each tenth) is what would grow.
tenth = max(1, len(after) // 10)
fd_floor = [min(s[2] for s in after[i:i + tenth]) for i in range(0, len(after) - tenth + 1, tenth)]
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
counts = {kind: sum(1 for i in injected if i["kind"] == kind) for kind in ("bgp-down", "arp-lost", "flap", "maintenance")}
want = sum(len(expected.get(i["kind"], [])) for i in injected)
report = {
    "ran": {"circuits": args.circuits, "store": args.store, "simulated_hours": round(hours, 2), "wall_seconds": round(horizon / speed), "every_s": every,
            "speed": round(speed, 2), "poll_seconds_measured": round(poll, 2), "polls": polls, "polls_failed": failed,
            "poll_seconds_mean_in_run": round(poll_mean, 2) if poll_mean else None,
            "watch_exit_on_sigterm": watch_exit},
    "injected": counts,
    "alerts": {"expected": want, "alerted_once": matched, "missed": len(missed), "duplicates": len(duplicates),
               "on_maintenance": len(on_maintenance), "other_unmatched": len(spurious) - len(on_maintenance),
               "episodes": len(episodes)},
    "rss_kib": {"after_warmup": rss_first, "end": rss_last, "growth_pct": growth(rss_first, rss_last),
                "peak": [peak_first, peak_last], "peak_growth_pct": growth(peak_first, peak_last),
                "trough": [low_first, low_last], "trough_growth_pct": growth(low_first, low_last)},
    "fds": {"after_warmup": fd_first, "end": fd_last, "least_per_tenth": fd_floor},
    "metrics_endpoint": {"requests": len(lat), "p50_ms": round(pct(50), 2), "p99_ms": round(pct(99), 2), "bytes": size,
                         "series": series, "prometheus_scrape_max_ms": [round(float(r["value"][1]) * 1000, 1) for r in scrape_max]},
}
print(json.dumps(report, indent=1))
# The samples behind the memory and descriptor figures, for a plot or a second look.
json.dump([{"t_s": round(t, 1), "rss_kib": r, "fds": f} for t, r, f in samples], open(os.path.join(work, "samples.json"), "w"))
for inj, alert in missed:
    print(f"missed: {alert} for {inj}", file=sys.stderr)
for inj, alert, n in duplicates:
    print(f"duplicate: {alert} {n} times for {inj}", file=sys.stderr)
for ep in spurious:
    print(f"unmatched: {ep}", file=sys.stderr)
if args.keep:
    print(f"kept: {work}", file=sys.stderr)
else:
    shutil.rmtree(work, ignore_errors=True)
