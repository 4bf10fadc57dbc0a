//! A circuit's life over time, generated from a built-in scenario: route
//! withdrawals and re-advertisements a few times a day, a BGP flap a week,
//! counters and BGP message counts moving at every poll, ARP ages cycling,
//! and an hour of one-minute Azure Monitor points (availability, traffic,
//! gateway CPU) ending at each poll. Deterministic: the same (circuit, time)
//! gives the same snapshot. Shared by the tests and the store benchmark.
#![allow(dead_code)]

use serde_json::{json, Value};

pub const POLL: i64 = 300;
pub const DAY: i64 = 86_400;
/// 2026-11-01T00:00:00Z.
pub const EPOCH: i64 = 1_793_491_200;

pub fn scenarios_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// Every built-in scenario's snapshot: (name, bytes), by name.
pub fn scenarios() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios/")
        .filter_map(|e| {
            let dir = e.ok()?.path();
            let bytes = std::fs::read(dir.join("snapshot.json")).ok()?;
            Some((dir.file_name()?.to_string_lossy().into_owned(), bytes))
        })
        .collect();
    out.sort();
    out
}

/// A deterministic number from a few integers (splitmix64).
pub fn mix(parts: &[i64]) -> u64 {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for p in parts {
        x ^= *p as u64;
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x = z ^ (z >> 31);
    }
    x
}

/// One circuit of the generated fleet.
pub struct Circuit {
    pub index: i64,
    pub id: String,
    base: Value,
}

impl Circuit {
    /// Circuit `index`, renamed from the healthy private-peering scenario.
    pub fn new(index: i64) -> Circuit {
        let text = std::fs::read_to_string(scenarios_dir().join("healthy-private/snapshot.json")).expect("healthy-private");
        let text = text.replace("er-ckt-ams", &format!("er-ckt-{index:04}"));
        let base: Value = serde_json::from_str(&text).expect("scenario JSON");
        let id = base["circuitId"].as_str().expect("circuitId").to_owned();
        Circuit { index, id, base }
    }

    /// Whether the primary BGP session is down at `t`: ten minutes once a week.
    pub fn flapping(&self, t: i64) -> bool {
        let week = 7 * DAY;
        let start = (self.index % 7) * DAY + 2 * 3600;
        let offset = (t - EPOCH).rem_euclid(week);
        offset >= start && offset < start + 600
    }

    /// Whether 10.2.30.0/24 is withdrawn at `t`: thirty minutes three times a day.
    pub fn withdrawn(&self, t: i64) -> bool {
        let offset = (t - EPOCH + self.index * 600).rem_euclid(DAY);
        [3, 11, 19].iter().any(|h| offset >= h * 3600 && offset < h * 3600 + 1800)
    }

    /// The snapshot this circuit shows at `t`.
    pub fn snapshot_at(&self, t: i64) -> Value {
        let mut v = self.base.clone();
        v["collectedAt"] = json!(erdiag_model::time::unix_rfc3339(t));
        let (down, withdrawn) = (self.flapping(t), self.withdrawn(t));
        let circuit = self.id.clone();
        let gateway =
            v["resources"].as_object().and_then(|r| r.keys().find(|k| k.ends_with("/virtualNetworkGateways/ergw-hub-weu")).cloned()).expect("gateway");
        let resources = v["resources"].as_object_mut().expect("resources");
        let elapsed = t - EPOCH;
        for (path, body) in resources.iter_mut() {
            let Some(obj) = body.as_object_mut() else {
                continue;
            };
            if path.ends_with("/stats") {
                for (i, (_, n)) in obj.iter_mut().enumerate() {
                    let rate = 1_000_000 + 1000 * (i as i64 + 1);
                    *n = json!(rate * elapsed / 8 + (mix(&[self.index, i as i64, t]) % 1000) as i64);
                }
            }
            let Some(Value::Array(rows)) = obj.get_mut("value") else {
                continue;
            };
            if withdrawn {
                rows.retain(|r| r.get("network").and_then(Value::as_str) != Some("10.2.30.0/24"));
            }
            if path.contains("/routeTablesSummary/primary") && down {
                for r in rows.iter_mut() {
                    r["statePfxRcd"] = json!("Active");
                    r["upDown"] = json!("00:00:12");
                }
            } else if path.contains("/routeTablesSummary/") {
                for r in rows.iter_mut() {
                    r["upDown"] = json!(format!("{}d{:02}h", elapsed / DAY, elapsed % DAY / 3600));
                }
            }
            if path.contains("/routeTables/primary") && down {
                rows.retain(|r| r.get("nextHop").and_then(Value::as_str) != Some("172.16.0.1"));
            }
            if path.contains("/arpTables/") {
                for r in rows.iter_mut() {
                    if r.get("interface").and_then(Value::as_str) == Some("On-Prem") {
                        r["age"] = json!((t / 60) % 20);
                    }
                }
            }
            if path.ends_with("/getBgpPeerStatus") {
                for (i, r) in rows.iter_mut().enumerate() {
                    r["messagesSent"] = json!(12_000 + elapsed / 60 + i as i64);
                    r["messagesReceived"] = json!(12_010 + elapsed / 60 + i as i64);
                }
            }
        }
        resources.insert(format!("{circuit}/providers/Microsoft.Insights/metrics"), self.circuit_metrics(t));
        resources.insert(format!("{gateway}/providers/Microsoft.Insights/metrics"), self.gateway_metrics(t));
        v
    }

    fn circuit_metrics(&self, t: i64) -> Value {
        let mut metrics = Vec::new();
        for name in ["BgpAvailability", "ArpAvailability"] {
            let series: Vec<Value> = [("primary", "172.16.0.1"), ("secondary", "172.16.0.5")]
                .iter()
                .map(|(path, peer)| {
                    let dims = json!([dim("PeeringType", "AzurePrivatePeering"), dim("Peer", peer)]);
                    series(dims, t, |m| {
                        let down = *path == "primary" && name == "BgpAvailability" && self.flapping(m);
                        json!({"average": if down { 0.0 } else { 100.0 }})
                    })
                })
                .collect();
            metrics.push(metric(&self.id, name, "Percent", series));
        }
        for (k, name) in ["BitsInPerSecond", "BitsOutPerSecond"].iter().enumerate() {
            let series: Vec<Value> = ["Primary", "Secondary"]
                .iter()
                .enumerate()
                .map(|(j, role)| {
                    let dims = json!([dim("PeeringType", "AzurePrivatePeering"), dim("DeviceRole", role)]);
                    series(dims, t, |m| json!({"average": (200_000_000 + mix(&[self.index, k as i64, j as i64, m]) % 50_000_000) as f64}))
                })
                .collect();
            metrics.push(metric(&self.id, name, "BitsPerSecond", series));
        }
        for name in ["QosDropBitsInPerSecond", "QosDropBitsOutPerSecond"] {
            metrics.push(metric(&self.id, name, "BitsPerSecond", vec![series(json!([]), t, |_| json!({"average": 0.0}))]));
        }
        envelope(t, "Microsoft.Network/expressRouteCircuits", metrics)
    }

    fn gateway_metrics(&self, t: i64) -> Value {
        let cpu: Vec<Value> = ["GatewayTenantWork_IN_0", "GatewayTenantWork_IN_1"]
            .iter()
            .enumerate()
            .map(|(i, role)| series(json!([dim("roleInstance", role)]), t, |m| json!({"average": (10 + mix(&[self.index, i as i64, m]) % 15) as f64})))
            .collect();
        let learned: Vec<Value> = ["10.17.17.132", "10.17.17.133"]
            .iter()
            .map(|peer| series(json!([dim("BgpPeerAddress", peer)]), t, |m| json!({"maximum": if self.withdrawn(m) { 2.0 } else { 3.0 }})))
            .collect();
        let metrics = vec![
            metric(&self.id, "ExpressRouteGatewayCpuUtilization", "Percent", cpu),
            metric(&self.id, "ExpressRouteGatewayCountOfRoutesLearnedFromPeer", "Count", learned),
        ];
        envelope(t, "Microsoft.Network/virtualNetworkGateways", metrics)
    }
}

fn dim(name: &str, value: &str) -> Value {
    json!({"name": {"value": name, "localizedValue": name}, "value": value})
}

/// One series: a point per minute of the hour ending at `t`.
fn series(dims: Value, t: i64, point: impl Fn(i64) -> Value) -> Value {
    let end = t - t.rem_euclid(60);
    let data: Vec<Value> = (0..60)
        .map(|i| {
            let m = end - 3600 + 60 * i;
            let mut p = point(m);
            p["timeStamp"] = json!(erdiag_model::time::unix_rfc3339(m));
            p
        })
        .collect();
    json!({"metadatavalues": dims, "data": data})
}

fn metric(resource: &str, name: &str, unit: &str, timeseries: Vec<Value>) -> Value {
    json!({
        "id": format!("{resource}/providers/Microsoft.Insights/metrics/{name}"),
        "type": "Microsoft.Insights/metrics",
        "name": {"value": name, "localizedValue": name},
        "unit": unit,
        "errorCode": "Success",
        "timeseries": timeseries,
    })
}

fn envelope(t: i64, namespace: &str, metrics: Vec<Value>) -> Value {
    let end = t - t.rem_euclid(60);
    json!({
        "cost": 59,
        "timespan": format!("{}/{}", erdiag_model::time::unix_rfc3339(end - 3600), erdiag_model::time::unix_rfc3339(end)),
        "interval": "PT1M",
        "namespace": namespace,
        "resourceregion": "westeurope",
        "value": metrics,
    })
}
