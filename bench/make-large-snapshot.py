#!/usr/bin/env python3
"""Writes a large erdiag-snapshot/1: the healthy two-peering scenario with
N routes in each of the four MSEE route tables (private and Microsoft peering,
primary and secondary) and the gateway's learned routes to match.

usage: make-large-snapshot.py OUT.json [ROUTES_PER_PATH=10000]
"""
import copy, ipaddress, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
base = json.load(open(os.path.join(here, "..", "scenarios", "healthy-private-microsoft", "snapshot.json")))
out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
snap = copy.deepcopy(base)
ckt = snap["circuitId"]
res = snap["resources"]
res[ckt]["sku"] = {"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"}

def onprem(i):  # /24s from 172.20.0.0 upwards, never inside the VNet
    return str(ipaddress.ip_network((int(ipaddress.ip_address("172.20.0.0")) + i * 256, 24)))

def msft(i):  # Microsoft service prefixes, public /24s from 40.64.0.0
    return str(ipaddress.ip_network((int(ipaddress.ip_address("40.64.0.0")) + i * 256, 24)))

vnet_rows = [r for r in res[f"{ckt}/peerings/AzurePrivatePeering/routeTables/primary"]["value"] if r["path"].endswith("65515")]
for path, ce in (("primary", "172.16.0.1"), ("secondary", "172.16.0.5")):
    rows = list(vnet_rows) + [{"network": onprem(i), "nextHop": ce, "locPrf": "", "weight": 0, "path": "65020"} for i in range(n - len(vnet_rows))]
    res[f"{ckt}/peerings/AzurePrivatePeering/routeTables/{path}"] = {"value": rows}
    res[f"{ckt}/peerings/AzurePrivatePeering/routeTablesSummary/{path}"]["value"][0]["statePfxRcd"] = str(n - len(vnet_rows))
    ms = f"{ckt}/peerings/MicrosoftPeering/routeTables/{path}"
    res[ms] = {"value": [{"network": msft(i), "nextHop": "0.0.0.0", "locPrf": "", "weight": 32768, "path": "12076"} for i in range(n)]}

gw = next(k for k in res if k.endswith("/getLearnedRoutes"))
own = [r for r in res[gw]["value"] if r.get("origin") == "Network"]
learned = list(own)
for local, peer in (("10.17.17.140", "10.17.17.132"), ("10.17.17.141", "10.17.17.133")):
    learned += [{"localAddress": local, "network": onprem(i), "nextHop": peer, "sourcePeer": peer, "origin": "EBgp", "asPath": "12076-65020", "weight": 32769} for i in range(n - len(vnet_rows))]
res[gw]["value"] = learned
json.dump(snap, open(out, "w"))
print(f"{out}: {os.path.getsize(out) / 1e6:.1f} MB, {n} routes per path")
