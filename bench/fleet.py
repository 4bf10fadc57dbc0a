#!/usr/bin/env python3
"""Benchmark: diagnose a fleet of circuits under ARM's read throttling.

`erdiag emulate --fleet` serves N circuits (2 peerings each) over S
subscriptions in R regions, long-running operations taking 2 s, with ARM's
throttling model on (a bucket of 250 reads per subscription and region,
refilled at 25 a second, 429 with Retry-After when empty). Two clients read
it, each against a fresh emulator (full buckets):

1. `erdiag fleet -o jsonl`, under /usr/bin/time -v: wall time, peak RSS, the
   429s the emulator answered, calls that failed for good (a report quoting
   the throttle), and the time against the lower bound the throttle allows:
   max over buckets of (reads - 250) / 25 s, and at least the slowest
   operation (2 s), from the reads erdiag itself made (the emulator's
   --stats-out);
2. the peer: the same discovery (Resource Graph, through azure-core's
   pipeline) and the guide's calls per circuit through azure-mgmt-network's
   NetworkManagementClient, circuits spread over a ThreadPoolExecutor of 32
   workers, each circuit's long-running operations started together, with
   the SDK's default retry policy: its time, 429s and failures (failures the
   fleet's scenarios record, such as a 500 on an ARP table, are counted
   apart from calls that failed on throttling).

usage: bench/fleet.py [--circuits N] [--subscriptions S] [--regions R] [--latency SECS]
                      [--workers 32] [--only erdiag|sdk] [--exe PATH]
Needs the venv of scripts/test.sh (.venv with azure-mgmt-network) for the
peer; builds the release binary unless --exe is given.
"""
import argparse, atexit, concurrent.futures, json, os, re, signal, subprocess, sys, tempfile, threading, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--circuits", type=int, default=1000)
ap.add_argument("--subscriptions", type=int, default=20)
ap.add_argument("--regions", type=int, default=2)
ap.add_argument("--latency", type=float, default=2.0)
ap.add_argument("--faulty", type=float, default=0.1)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--workers", type=int, default=32)
ap.add_argument("--only", choices=["erdiag", "sdk"])
ap.add_argument("--exe", help="an erdiag binary (default: build the release one)")
args = ap.parse_args()

CAPACITY, REFILL = 250, 25.0
spec = (f"circuits={args.circuits},subscriptions={args.subscriptions},regions={args.regions},latency={args.latency:g},"
        f"throttle=on,faulty={args.faulty:g},seed={args.seed}")
if args.exe:
    exe = args.exe
else:
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "erdiag"], cwd=root, check=True)
    exe = os.path.join(root, "target", "release", "erdiag")
work = tempfile.mkdtemp(prefix="erdiag-fleet-bench-")


class Emulator:
    """`erdiag emulate --fleet SPEC` until stopped; its bucket statistics then."""

    def __init__(self, label):
        self.cert = os.path.join(work, f"{label}-ca.pem")
        self.stats = os.path.join(work, f"{label}-buckets.json")
        self.p = subprocess.Popen([exe, "emulate", "--fleet", spec, "--retry-after", "1", "--cert-out", self.cert,
                                   "--stats-out", self.stats, "-q", "--max-connections", "1024"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.p.stdout.readline().strip()
        if not self.url.startswith("https://"):
            sys.exit(f"the emulator did not start: {self.url!r}")

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        self.p.wait(timeout=30)
        return json.load(open(self.stats))["buckets"]


def bound(buckets, latency):
    """The least time any client needs: the busiest bucket's reads beyond its capacity at the refill rate."""
    busiest = max(buckets, key=lambda b: b["reads"])
    return max(max(0.0, (busiest["reads"] - CAPACITY) / REFILL), latency), busiest


def run_erdiag():
    if subprocess.run([exe, "fleet", "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        print("erdiag fleet: this binary has no `fleet` command; skipped")
        return None
    em = Emulator("erdiag")
    atexit.register(lambda: em.p.poll() is None and em.p.kill())
    out = os.path.join(work, "fleet.jsonl")
    cmd = ["/usr/bin/time", "-v", exe, "fleet", "--arm-endpoint", em.url, "--ca-cert", em.cert, "--access-token", "bench", "-o", "jsonl"]
    t = time.perf_counter()
    with open(out, "wb") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    buckets = em.stop()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    lines = open(out, encoding="utf-8").read().splitlines()
    reports = [json.loads(l) for l in lines if l.strip()]
    text = "\n".join(lines)
    failed = len(re.findall(r"SubscriptionRequestsThrottled|HTTP 429", text))
    lower, busiest = bound(buckets, args.latency)
    return {
        "exit": p.returncode, "wall": wall, "rss_mib": int(rss.group(1)) / 1024 if rss else None, "reports": len(reports),
        "reads": sum(b["reads"] for b in buckets), "throttled": sum(b["throttled"] for b in buckets), "failed": failed,
        "lower": lower, "busiest": busiest, "stderr_tail": p.stderr.strip().splitlines()[-25:],
    }


def run_sdk():
    try:
        from azure.core.credentials import AccessToken
        from azure.core.exceptions import HttpResponseError
        from azure.core.rest import HttpRequest
        from azure.mgmt.network import NetworkManagementClient
    except ImportError as e:
        print(f"Azure SDK for Python: not installed ({e}); skipped (scripts/test.sh makes .venv)")
        return None
    em = Emulator("sdk")
    atexit.register(lambda: em.p.poll() is None and em.p.kill())
    os.environ["REQUESTS_CA_BUNDLE"] = em.cert

    class Token:
        def get_token(self, *a, **k):
            return AccessToken("bench", int(time.time()) + 3600)

    clients, lock = {}, threading.Lock()

    def client(sub):
        with lock:
            if sub not in clients:
                clients[sub] = NetworkManagementClient(Token(), sub, base_url=em.url, credential_scopes=["https://management.azure.com/.default"])
            return clients[sub]

    failures = {"throttled": 0, "recorded": 0, "other": 0}

    def call(f):
        try:
            return f()
        except HttpResponseError as e:
            with lock:
                failures["throttled" if e.status_code == 429 else "recorded" if e.status_code in (400, 403, 404, 500) else "other"] += 1
        except Exception:  # transport errors, timeouts
            with lock:
                failures["other"] += 1
        return None

    t0 = time.perf_counter()
    # Discovery: Resource Graph through the same pipeline (bearer token, retries), page by page.
    graph = client("00000000-0000-0000-0000-000000000000")
    query = "Resources | where type =~ 'microsoft.network/expressroutecircuits' | project id, name, resourceGroup, subscriptionId, properties"
    ids, token = [], None
    while True:
        body = {"query": query, "options": {"$top": 1000, **({"$skipToken": token} if token else {})}}
        r = graph._client.send_request(HttpRequest("POST", f"{em.url}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", json=body))
        r.raise_for_status()
        page = r.json()
        ids.extend((row["subscriptionId"], row["resourceGroup"], row["name"]) for row in page["data"])
        token = page.get("$skipToken")
        if not token:
            break

    def circuit(sub, rg, name):
        c = client(sub)
        ckt = call(lambda: c.express_route_circuits.get(rg, name))
        if ckt is None:
            return
        peerings = [p.name for p in (ckt.peerings or [])]
        pollers = []
        for p in peerings:
            for path in ("primary", "secondary"):
                for begin in (c.express_route_circuits.begin_list_arp_table, c.express_route_circuits.begin_list_routes_table,
                              c.express_route_circuits.begin_list_routes_table_summary):
                    poller = call(lambda: begin(rg, name, p, path))
                    if poller is not None:
                        pollers.append(poller)
        for p in peerings:
            call(lambda: c.express_route_circuit_peerings.get(rg, name, p))
            call(lambda: c.express_route_circuits.get_peering_stats(rg, name, p))
        call(lambda: c.express_route_circuits.get_stats(rg, name))
        conns = call(lambda: list(c.virtual_network_gateway_connections.list(rg))) or []
        for conn in conns:
            if not (conn.peer and conn.peer.id.lower().endswith("/" + name.lower())):
                continue
            gw = conn.virtual_network_gateway1.id.split("/")[-1]
            call(lambda: c.virtual_network_gateways.get(rg, gw))
            for begin in (c.virtual_network_gateways.begin_get_bgp_peer_status, c.virtual_network_gateways.begin_get_learned_routes):
                poller = call(lambda: begin(rg, gw))
                if poller is not None:
                    pollers.append(poller)
        for poller in pollers:
            call(poller.result)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
            list(pool.map(lambda i: circuit(*i), ids))
        wall = time.perf_counter() - t0
    finally:
        buckets = em.stop()
    return {"wall": wall, "circuits": len(ids), "reads": sum(b["reads"] for b in buckets), "throttled": sum(b["throttled"] for b in buckets),
            "failures": failures, "lower": bound(buckets, args.latency)[0]}


print(f"fleet: {spec}, --retry-after 1; bucket {CAPACITY} reads, refilled at {REFILL:g}/s")
e = run_erdiag() if args.only != "sdk" else None
if e:
    print(f"erdiag fleet: {e['wall']:.1f} s (exit {e['exit']}), {e['reports']} reports, peak RSS {e['rss_mib']:.0f} MiB")
    b = e["busiest"]
    print(f"  reads {e['reads']}, 429s received {e['throttled']}, calls failed on throttling {e['failed']}")
    print(f"  lower bound {e['lower']:.1f} s (busiest bucket {b['subscription']}/{b['region']}: {b['reads']} reads); "
          f"ratio {e['wall'] / e['lower']:.2f}x")
    if e["exit"] not in (0, 1):
        print("  stderr:\n    " + "\n    ".join(e["stderr_tail"]))
s = run_sdk() if args.only != "erdiag" else None
if s:
    f = s["failures"]
    print(f"Azure SDK for Python, {args.workers} workers: {s['wall']:.1f} s for {s['circuits']} circuits, reads {s['reads']}, "
          f"429s received {s['throttled']}, calls failed: {f['throttled']} on throttling, {f['other']} otherwise "
          f"({f['recorded']} failures the scenarios record); its own lower bound {s['lower']:.1f} s")
if e and s:
    print(f"erdiag is {s['wall'] / e['wall']:.1f}x faster")
