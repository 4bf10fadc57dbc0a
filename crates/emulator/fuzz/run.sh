#!/usr/bin/env bash
# Fuzzes the emulator's request handling (target `request`) for SECONDS
# (default 60), seeded with requests a client makes (sign-in, GETs of a
# scenario's resources and collections, list actions and their polls), and
# prints one line: seconds, executions, coverage. Needs a nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`).
#
#   crates/emulator/fuzz/run.sh 240
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
mkdir -p corpus/request
python3 - <<'PY'
import json, pathlib
snap = json.loads(pathlib.Path("../../../scenarios/healthy-private-microsoft/snapshot.json").read_text())
api = "api-version=2024-05-01"
auth = "Authorization: Bearer x\nx-ms-client-request-id: 1"
seeds = {"metadata": "GET /metadata/endpoints?api-version=2022-09-01",
         "openid": "GET /t/v2.0/.well-known/openid-configuration",
         "token": "POST /t/oauth2/v2.0/token\nContent-Type: application/x-www-form-urlencoded\n\n"
                  "grant_type=client_credentials&client_id=a&client_secret=b&scope=https%3A%2F%2Fmanagement.azure.com%2F.default",
         "msi": "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/\nMetadata: true",
         "subscriptions": f"GET /subscriptions?{api}\n{auth}",
         "resources": f"GET /subscriptions/s/resources?{api}&$filter=resourceType eq 'Microsoft.Network/connections'\n{auth}",
         "no-token": f"GET {snap['circuitId']}?{api}"}
for i, path in enumerate(snap.get("resources", {})):
    if any(a in path for a in ("arpTables", "routeTables", "getBgpPeerStatus", "getLearnedRoutes")):
        seeds[f"action-{i}"] = f"POST {path}?{api}\n{auth}\n\n\n~~~\nGET @async\n{auth}\n~~~\nGET @location\n{auth}"
    else:
        seeds[f"get-{i}"] = f"GET {path}?{api}\n{auth}\n~~~\nHEAD {path}?{api}\n{auth}"
for name, text in seeds.items():
    pathlib.Path(f"corpus/request/seed-{name}").write_text(text)
PY
cargo +nightly fuzz build -O request >/dev/null 2>&1
start=$(date +%s)
log=$(cargo +nightly fuzz run -O request corpus/request -- -max_total_time="$secs" -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 2>&1) || { echo "request: FAILED"; echo "$log" | tail -30; exit 1; }
end=$(date +%s)
runs=$(echo "$log" | sed -n 's/^stat::number_of_executed_units: *//p')
cov=$(echo "$log" | grep -o 'cov: [0-9]*' | tail -1)
echo "request: $((end - start)) s, ${runs:-?} executions, ${cov:-cov: ?}"
