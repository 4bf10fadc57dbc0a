#!/usr/bin/env python3
"""Writes two filtered PowerShell outputs of one MSEE route table, as an
engineer pastes them for `erdiag import`: N rows each (Format-Table and list
form), the second repeating half of the first, so the merge keeps 1.5 N rows.

usage: make-route-pastes.py DIR [ROWS=10000]
"""
import ipaddress, os, sys

out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
os.makedirs(out, exist_ok=True)
cmd = "PS /home/netops> Get-AzExpressRouteCircuitRouteTable -ResourceGroupName rg-er-weu -ExpressRouteCircuitName er-ckt-ams -PeeringType AzurePrivatePeering -DevicePath Primary"

def net(i):  # /24s from 172.20.0.0 upwards
    return str(ipaddress.ip_network((int(ipaddress.ip_address("172.20.0.0")) + i * 256, 24)))

with open(os.path.join(out, "routes-a.txt"), "w") as f:
    f.write(cmd + ' | Where-Object { $_.Path -eq "65020" } | ft -AutoSize\n\n')
    f.write("Network         NextHop    LocPrf Weight Path\n-------         -------    ------ ------ ----\n")
    for i in range(n):
        f.write(f"{net(i):<15} 172.16.0.1             0 65020\n")
with open(os.path.join(out, "routes-b.txt"), "w") as f:
    f.write(cmd + " | Select-Object -Skip " + str(n // 2) + "\n\n")
    for i in range(n // 2, n + n // 2):
        f.write(f"Network : {net(i)}\nNextHop : 172.16.0.1\nLocPrf  :\nWeight  : 0\nPath    : 65020\n\n")
