#!/usr/bin/env python3
"""Benchmark: collect and diagnose a circuit with two peerings from the ARM
emulator, each long-running operation taking 2 s, against the same calls made
one after another through the Azure SDK for Python, the way the PowerShell
cmdlets make them.

usage: bench/collect.py [RUNS=3]
Needs the venv of scripts/test.sh (.venv with azure-mgmt-network); builds the
release binary. Prints both wall times, the ratio, and erdiag's time against
the slowest single operation.
"""
import json, os, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
scenario, latency = "healthy-private-microsoft", 2.0
subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "erdiag"], cwd=root, check=True)
exe = os.path.join(root, "target", "release", "erdiag")
cert = os.path.join(tempfile.mkdtemp(), "ca.pem")
em = subprocess.Popen([exe, "emulate", scenario, "--latency", str(latency), "--retry-after", "1", "--cert-out", cert, "-q"],
                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
base = em.stdout.readline().strip()
os.environ["REQUESTS_CA_BUNDLE"] = cert
snap = json.load(open(os.path.join(root, "scenarios", scenario, "snapshot.json")))
parts = snap["circuitId"].split("/")
sub, rg, name = parts[2], parts[4], parts[8]
peerings = [p["name"] for p in snap["resources"][snap["circuitId"]]["properties"]["peerings"]]


def erdiag_once():
    t = time.perf_counter()
    p = subprocess.run([exe, "diagnose", "--arm-endpoint", base, "--ca-cert", cert, "--access-token", "bench", "--subscription", sub,
                        "-g", rg, "-n", name, "-o", "json", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"erdiag failed ({p.returncode}): {p.stderr}")
    return dt


def sdk_once():
    """The guide's calls one after another, as Get-AzExpressRouteCircuit* does."""
    from azure.core.credentials import AccessToken
    from azure.mgmt.network import NetworkManagementClient

    class Token:
        def get_token(self, *a, **k):
            return AccessToken("bench", int(time.time()) + 3600)

    c = NetworkManagementClient(Token(), sub, base_url=base, credential_scopes=["https://management.azure.com/.default"])
    ops = []

    def op(label, f):
        t = time.perf_counter()
        f()
        ops.append((label, time.perf_counter() - t))

    t0 = time.perf_counter()
    op("get circuit", lambda: c.express_route_circuits.get(rg, name))
    for p in peerings:
        op(f"get peering {p}", lambda: c.express_route_circuit_peerings.get(rg, name, p))
        for path in ("primary", "secondary"):
            op(f"arp {p}/{path}", lambda: c.express_route_circuits.begin_list_arp_table(rg, name, p, path).result())
            op(f"routes {p}/{path}", lambda: c.express_route_circuits.begin_list_routes_table(rg, name, p, path).result())
            op(f"summary {p}/{path}", lambda: c.express_route_circuits.begin_list_routes_table_summary(rg, name, p, path).result())
        op(f"peering stats {p}", lambda: c.express_route_circuits.get_peering_stats(rg, name, p))
    op("circuit stats", lambda: c.express_route_circuits.get_stats(rg, name))
    conns = []
    op("list connections", lambda: conns.extend(c.virtual_network_gateway_connections.list(rg)))
    for conn in conns:
        gw = conn.virtual_network_gateway1.id.split("/")[-1]
        op("get gateway", lambda: c.virtual_network_gateways.get(rg, gw))
        op("gateway BGP peers", lambda: c.virtual_network_gateways.begin_get_bgp_peer_status(rg, gw).result())
        op("gateway learned routes", lambda: c.virtual_network_gateways.begin_get_learned_routes(rg, gw).result())
    return time.perf_counter() - t0, ops


try:
    e = [erdiag_once() for _ in range(runs)]
    s_runs = [sdk_once() for _ in range(runs)]
finally:
    em.terminate()
s = [t for t, _ in s_runs]
slowest = max(d for _, ops in s_runs for _, d in ops)
n_ops = len(s_runs[0][1])
e_med, s_med = statistics.median(e), statistics.median(s)
print(f"scenario {scenario}: {len(peerings)} peerings, long-running operations take {latency:.0f} s, {runs} runs each")
print(f"erdiag diagnose (collect + diagnose, concurrent): median {e_med:.2f} s  (min {min(e):.2f}, max {max(e):.2f})")
print(f"Azure SDK for Python, {n_ops} calls in sequence:  median {s_med:.2f} s  (min {min(s):.2f}, max {max(s):.2f})")
print(f"speed-up: {s_med / e_med:.1f}x")
print(f"slowest single operation (SDK): {slowest:.2f} s; erdiag / slowest: {e_med / slowest:.2f}x")
