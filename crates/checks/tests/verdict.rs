//! The verdict is `healthy` only when every check that applies concluded on
//! evidence read; what could not be verified is the coverage, and a check the
//! user accepts unverified stops blocking `healthy`. Each case derives from a
//! healthy scenario by taking one piece of evidence away.

use erdiag_checks::{diagnose, Options, Report, Status, Verdict};
use erdiag_model::Snapshot;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[path = "support/metrics.rs"]
mod metrics;

const SUB: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61";
const GW: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/virtualNetworkGateways/ergw-hub-weu";
const CKT: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams";

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn load(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(scenarios_dir().join(name).join("snapshot.json")).unwrap()).unwrap()
}

fn run(v: &Value, accepted: &[&str]) -> Report {
    let bytes = serde_json::to_vec(v).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    diagnose(&state, &Options { accepted: accepted.iter().map(|s| s.to_string()).collect(), ..Options::default() })
}

/// Moves a resource to `failures` with this status and ARM error code.
fn fail(v: &mut Value, key: &str, status: u16, code: &str) {
    v["resources"].as_object_mut().unwrap().remove(key).unwrap_or_else(|| panic!("no resource {key}"));
    v["failures"][key] = json!({"status": status, "error": {"error": {"code": code, "message": "refused"}}});
}

fn ids(gaps: &[erdiag_checks::Gap]) -> Vec<&str> {
    gaps.iter().map(|g| g.id).collect()
}

#[test]
fn a_failed_call_of_any_layer_makes_the_verdict_unknown_not_healthy() {
    let health = format!("{GW}/providers/Microsoft.ResourceHealth/availabilityStatuses/current");
    let cases: [(String, &str); 4] = [
        (health, "ER805"),
        (format!("{GW}/getBgpPeerStatus"), "ER803"),
        (format!("{CKT}/peerings/AzurePrivatePeering/stats"), "ER601"),
        (format!("{CKT}/peerings/AzurePrivatePeering/routeTables/primary"), "ER501"),
    ];
    for (key, check) in cases {
        let mut v = load("healthy-private");
        if key.ends_with("/stats") {
            // Private peering falls back to the circuit stats: take both away.
            fail(&mut v, &format!("{CKT}/stats"), 500, "InternalServerError");
        }
        fail(&mut v, &key, 500, "InternalServerError");
        let r = run(&v, &[]);
        assert_eq!(r.verdict, Verdict::Unknown, "{key}");
        assert!(ids(&r.coverage.not_verified).contains(&check), "{key}: {:?}", r.coverage.not_verified);
        assert!(r.coverage.verified < r.coverage.applicable);
    }
}

#[test]
fn a_forbidden_gateway_names_the_permission_and_can_be_accepted() {
    let r = run(&load("gateway-forbidden"), &[]);
    assert_eq!(r.verdict, Verdict::Unknown);
    let bgp = r.coverage.not_verified.iter().find(|g| g.id == "ER803").expect("ER803 not verified");
    assert!(bgp.fix.contains("Microsoft.Network/virtualNetworkGateways/getBgpPeerStatus/action"), "{}", bgp.fix);
    assert!(bgp.fix.contains(GW) && bgp.fix.contains("role there grants it"), "{}", bgp.fix);
    assert!(r.coverage.summary.starts_with(&format!("verified {} of {} checks", r.coverage.verified, r.coverage.applicable)));

    let all = ids(&r.coverage.not_verified);
    let accepted = run(&load("gateway-forbidden"), &all);
    assert_eq!(accepted.verdict, Verdict::Healthy);
    assert_eq!(ids(&accepted.coverage.accepted), all);
    assert!(accepted.coverage.not_verified.is_empty());
    assert!(accepted.next_steps.iter().any(|s| s.contains("accepted unverified")), "{:?}", accepted.next_steps);

    // Accepting some is not accepting all.
    assert_eq!(run(&load("gateway-forbidden"), &all[..1]).verdict, Verdict::Unknown);
}

#[test]
fn a_failed_connection_listing_is_unknown_and_an_empty_one_is_evidence() {
    let r = run(&load("connections-list-failed"), &[]);
    assert_eq!(r.verdict, Verdict::Unknown);
    let er801 = r.findings.iter().find(|f| f.check == "ER801").unwrap();
    assert_eq!(er801.status, Status::Unknown);
    assert!(er801.message.contains("HTTP 500"), "{}", er801.message);
    for id in ["ER802", "ER803", "ER804", "ER805", "ER806"] {
        assert!(ids(&r.coverage.not_verified).contains(&id), "{id} should be not verified");
    }

    // The listings read and empty: no connection in this subscription.
    let mut v = load("connections-list-failed");
    v["failures"] = json!({});
    v["resources"][format!("{SUB}/resourceGroups/rg-er-weu/providers/Microsoft.Network/connections")] = json!({"value": []});
    v["resources"][format!("{SUB}/resources")] = json!({"value": []});
    metrics::copy_window(&load("healthy-private"), &mut v);
    let r = run(&v, &[]);
    let er801 = r.findings.iter().find(|f| f.check == "ER801").unwrap();
    assert_ne!(er801.status, Status::Unknown, "{}", er801.message);
    assert!(r.coverage.not_verified.is_empty(), "{:?}", r.coverage.not_verified);
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn a_connected_gateway_without_private_peering_is_down() {
    let r = run(&load("gateway-without-private-peering"), &[]);
    assert_eq!(r.verdict, Verdict::Down);
    let rc = r.root_cause.unwrap();
    assert_eq!((rc.check.as_str(), rc.peering.as_deref(), rc.path), ("ER201", Some("AzurePrivatePeering"), None));
}

#[test]
fn a_healthy_circuit_is_fully_verified() {
    let r = run(&load("healthy-private"), &[]);
    assert_eq!(r.verdict, Verdict::Healthy);
    assert_eq!(r.coverage.verified, r.coverage.applicable);
    assert!(r.coverage.not_verified.is_empty() && r.coverage.accepted.is_empty());
    assert!(ids(&r.coverage.not_supplied).contains(&"ER701"), "the ACL test is the user's to supply");
}
