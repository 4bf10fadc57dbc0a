//! Azure Monitor and Resource Health through the collector, against the
//! emulator with a timeline and a fixed clock: the snapshot holds the new
//! keys; polls at successive times agree with the metric series; a 403 on
//! metrics is a recorded failure and the diagnosis goes on.

use erdiag_azure::{collect_with, ArmClient, ClientOptions, Cloud, CollectOptions, Credential, NoProgress, Target};
use erdiag_emulator::{Clock, Config, Fault, FaultKind, Running, Timeline};
use erdiag_model::time::parse_rfc3339;
use erdiag_model::ResourceId;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// 2026-11-21T10:00:00Z.
const T0: i64 = 1_795_255_200;

fn scenario(name: &str) -> Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

async fn emulator(snap: &Value, clock: &Clock, events: &str, faults: Vec<Fault>) -> Running {
    let mut c = Config::new(vec![snap.clone()]);
    c.clock = clock.clone();
    c.timeline = Some(Timeline::parse(events, 0).unwrap());
    c.faults = faults;
    erdiag_emulator::start(c, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn client(em: &Running) -> Arc<ArmClient> {
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint: url::Url::parse(&format!("{}/", em.base_url)).unwrap(), scope: "https://management.azure.com/.default".into() },
        max_retries: 1,
        backoff_base: Duration::from_millis(10),
        default_poll_interval: Duration::from_millis(20),
        deadline: Duration::from_secs(30),
        ..Default::default()
    };
    Arc::new(ArmClient::new(Credential::from_token("erdiag-test-token".into()), options).unwrap())
}

fn target(snap: &Value) -> Target {
    let id = ResourceId::parse(snap["circuitId"].as_str().unwrap()).unwrap();
    let (sub, rg, name) = id.resource_parts().unwrap();
    Target::Circuit { subscription: sub.into(), resource_group: rg.into(), name: name.into() }
}

async fn poll(em: &Running, snap: &Value, now: i64) -> Value {
    let options = CollectOptions { now: Some(now), ..CollectOptions::default() };
    collect_with(client(em), &target(snap), None, &options, Arc::new(NoProgress)).await.unwrap().snapshot
}

fn body<'a>(snapshot: &'a Value, suffix: &str) -> &'a Value {
    let suffix = suffix.to_ascii_lowercase();
    snapshot["resources"].as_object().unwrap().iter().find(|(k, _)| k.to_ascii_lowercase().ends_with(&suffix)).unwrap_or_else(|| panic!("no {suffix}")).1
}

/// The primary path's BgpAvailability points: (time, average).
fn bgp_primary(snapshot: &Value) -> Vec<(i64, Option<f64>)> {
    let metrics = body(snapshot, "expressRouteCircuits/er-ckt-ams/providers/Microsoft.Insights/metrics");
    let m = metrics["value"].as_array().unwrap().iter().find(|m| m["name"]["value"] == "BgpAvailability").unwrap();
    let ts = m["timeseries"].as_array().unwrap().iter().find(|t| t["metadatavalues"].as_array().unwrap().iter().any(|d| d["value"] == "Primary-IPv4")).unwrap();
    ts["data"].as_array().unwrap().iter().map(|p| (parse_rfc3339(p["timeStamp"].as_str().unwrap()).unwrap(), p["average"].as_f64())).collect()
}

fn primary_state(snapshot: &Value) -> Value {
    body(snapshot, "AzurePrivatePeering/routeTablesSummary/primary")["value"][0]["statePfxRcd"].clone()
}

const FLAP: &str = r#"{"events": [{"kind": "bgp-down", "peering": "AzurePrivatePeering", "path": "primary", "from": "+10m", "to": "+13m"},
                                 {"kind": "maintenance", "resource": "gateway", "from": "-20m", "to": "-5m"}]}"#;

#[tokio::test]
async fn polls_at_successive_times_agree_with_the_series() {
    let snap = scenario("healthy-private");
    let clock = Clock::fixed(T0);
    let em = emulator(&snap, &clock, FLAP, vec![]).await;

    // t1: inside the flap.
    let t1 = T0 + 11 * 60 + 30;
    clock.set(t1);
    let first = poll(&em, &snap, t1).await;
    assert_eq!(first["collectedAt"], erdiag_model::time::unix_rfc3339(t1));
    assert_eq!(primary_state(&first), "Idle");
    let series = bgp_primary(&first);
    assert_eq!(series.len(), 60, "an hour of whole minutes, to the last whole minute before the poll");
    assert_eq!(series.last().unwrap().0, T0 + 10 * 60, "the last point is the minute that ended before the poll");
    assert_eq!(series.last().unwrap().1, Some(0.0), "the poll sees the session down, the last minute reads 0");

    // t2: after it: the session is back and the series keeps the dip.
    let t2 = T0 + 30 * 60;
    clock.set(t2);
    let second = poll(&em, &snap, t2).await;
    assert_eq!(primary_state(&second), "3");
    let series = bgp_primary(&second);
    assert_eq!(series.last().unwrap().1, Some(100.0));
    let down: Vec<i64> = series.iter().filter(|(_, v)| *v == Some(0.0)).map(|(t, _)| (t - T0) / 60).collect();
    assert_eq!(down, vec![10, 11, 12], "the minutes the first poll saw down");

    // The gateway's maintenance is in its history, newest first.
    let history = body(&second, "virtualNetworkGateways/ergw-hub-weu/providers/Microsoft.ResourceHealth/availabilityStatuses");
    let contexts: Vec<&str> = history["value"].as_array().unwrap().iter().map(|s| s["properties"]["context"].as_str().unwrap()).collect();
    assert_eq!(contexts, ["Not Applicable", "Planned", "Not Applicable"]);
    let gw_metrics = body(&second, "virtualNetworkGateways/ergw-hub-weu/providers/Microsoft.Insights/metrics");
    let names: Vec<&str> = gw_metrics["value"].as_array().unwrap().iter().map(|m| m["name"]["value"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    em.shutdown().await;
}

#[tokio::test]
async fn no_metrics_collects_none_and_a_403_on_metrics_is_a_failure_not_the_end() {
    let snap = scenario("healthy-private");
    let clock = Clock::fixed(T0);
    let forbidden = Fault::new("/providers/Microsoft.Insights/metrics", FaultKind::ServerError { status: 403 });
    let em = emulator(&snap, &clock, r#"{"events": []}"#, vec![forbidden]).await;
    let c = collect_with(client(&em), &target(&snap), None, &CollectOptions { now: Some(T0), ..Default::default() }, Arc::new(NoProgress)).await.unwrap();
    let failures = c.snapshot["failures"].as_object().unwrap();
    let metric_failures: Vec<&String> = failures.keys().filter(|k| k.ends_with("/providers/Microsoft.Insights/metrics")).collect();
    assert_eq!(metric_failures.len(), 2, "the circuit's and the gateway's: {failures:?}");
    assert!(failures.values().all(|f| f["status"] == 403));
    assert_eq!(c.failed, 6, "three calls each, every one refused");
    // Everything else arrived, and the snapshot diagnoses.
    assert_eq!(primary_state(&c.snapshot), "3");
    let bytes = serde_json::to_vec(&c.snapshot).unwrap();
    let state = erdiag_model::Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    let report = erdiag_checks::diagnose(&state, &erdiag_checks::Options::default());
    // The checks that read metrics say why they cannot conclude; the others conclude.
    let unknown: Vec<&erdiag_checks::Finding> = report.findings.iter().filter(|f| f.status == erdiag_checks::Status::Unknown).collect();
    assert!(!unknown.is_empty());
    for f in &unknown {
        assert!(f.message.contains("Azure Monitor metrics") && f.message.contains("403"), "{}: {}", f.name, f.message);
    }
    assert!(report.findings.iter().any(|f| f.name == "bgp-session-down" && f.status == erdiag_checks::Status::Pass), "the sessions were still read");

    let off = CollectOptions { metrics: false, now: Some(T0), ..Default::default() };
    let c = collect_with(client(&em), &target(&snap), None, &off, Arc::new(NoProgress)).await.unwrap();
    let keys = c.snapshot["resources"].to_string() + &c.snapshot["failures"].to_string();
    assert!(!keys.contains("Microsoft.Insights") && !keys.contains("availabilityStatuses\""), "--no-metrics reads none");
    em.shutdown().await;
}
