//! Scenarios with a `timeline.json`: the timeline reads, and the snapshot is
//! what erdiag collects from the emulator at the scenario's `collectedAt`
//! (the events active then applied to the ARM state, and the metrics and
//! Resource Health history they make), so that a scenario diagnosed from its
//! file (`demo --offline`) and through the emulator see the same circuit.
//!
//! `ERDIAG_REGENERATE=1` rewrites each such snapshot from the emulator
//! instead of comparing: author a scenario as a snapshot and a timeline,
//! regenerate, and read the diff.

use erdiag_azure::{collect_with, ArmClient, ClientOptions, Cloud, CollectOptions, Credential, Target};
use erdiag_emulator::{Clock, Config, TimedBackend};
use erdiag_pipeline::{scenarios, NoProgress};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The snapshot as the emulator serves it at `collectedAt`, collected.
async fn collected_at_start(sc: &scenarios::Scenario) -> Value {
    let doc = sc.document();
    let start = erdiag_model::time::parse_rfc3339(doc["collectedAt"].as_str().expect("a timeline scenario has collectedAt")).unwrap();
    let clock = Clock::fixed(start);
    let backend = TimedBackend::new(vec![doc.clone()], sc.timeline(start).unwrap(), clock.clone()).unwrap();
    let config = Config { clock, ..Config::default() };
    let em = erdiag_emulator::start_with_backend(config, Arc::new(backend), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint: url::Url::parse(&format!("{}/", em.base_url)).unwrap(), scope: "https://management.azure.com/.default".into() },
        default_poll_interval: Duration::from_millis(10),
        ..Default::default()
    };
    let client = Arc::new(ArmClient::new(Credential::from_token("erdiag-scenario".into()), options).unwrap());
    let id = erdiag_model::ResourceId::parse(doc["circuitId"].as_str().unwrap()).unwrap();
    let (sub, rg, name) = id.resource_parts().unwrap();
    let target = Target::Circuit { subscription: sub.into(), resource_group: rg.into(), name: name.into() };
    let c = collect_with(client, &target, None, &CollectOptions { now: Some(start), ..Default::default() }, Arc::new(NoProgress)).await.unwrap();
    em.shutdown().await;
    assert_eq!(c.failed, 0, "{}: {}", sc.name, c.snapshot["failures"]);
    c.snapshot
}

/// The scenario's snapshot with the collected bodies in place of its own (the
/// listings a collection adds, which scenarios do not hold, left out).
fn regenerated(original: &Value, collected: &Value) -> Value {
    let mut out = original.clone();
    let held = original["resources"].as_object().unwrap();
    let resources = out["resources"].as_object_mut().unwrap();
    for (key, body) in collected["resources"].as_object().unwrap() {
        let norm = erdiag_model::normalize_path(key);
        let made = norm.ends_with("/providers/microsoft.insights/metrics") || norm.ends_with("/providers/microsoft.resourcehealth/availabilitystatuses");
        match held.keys().find(|k| erdiag_model::normalize_path(k) == norm) {
            Some(k) => {
                resources.insert(k.clone(), body.clone());
            }
            None if made => {
                resources.insert(key.clone(), body.clone());
            }
            None => {}
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_scenarios_are_what_the_emulator_serves_at_their_start() {
    let regenerate = std::env::var("ERDIAG_REGENERATE").is_ok_and(|v| v == "1");
    let with: Vec<&scenarios::Scenario> = scenarios::SCENARIOS.iter().filter(|s| s.timeline.is_some()).collect();
    assert!(with.len() >= 8, "only {} scenarios have a timeline", with.len());
    let mut stale = Vec::new();
    for sc in with {
        let original = sc.document();
        let expected = regenerated(&original, &collected_at_start(sc).await);
        if regenerate {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(sc.name).join("snapshot.json");
            std::fs::write(&path, serde_json::to_string_pretty(&expected).unwrap() + "\n").unwrap();
        } else if expected != original {
            stale.push(sc.name);
        }
    }
    assert!(stale.is_empty(), "not what the emulator serves at their collectedAt (ERDIAG_REGENERATE=1 rewrites them): {stale:?}");
}
