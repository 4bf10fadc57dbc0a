//! Global Reach (ER210–ER216) and authorizations (ER120) beyond their
//! pass/fail fixtures: not used is `skip` (listed nowhere in coverage), another circuit not read is
//! `unknown` (never a failure), an `InUse` authorization keeps the gateway
//! step from saying that no VNet is connected, and no authorization key
//! reaches a report.

use erdiag_checks::{diagnose, Options, Report, Status, Verdict};
use erdiag_model::Snapshot;
use serde_json::{json, Value};
use std::path::Path;

const GR: [&str; 7] = ["ER210", "ER211", "ER212", "ER213", "ER214", "ER215", "ER216"];

fn load(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn run(v: &Value) -> Report {
    let bytes = serde_json::to_vec(v).unwrap();
    diagnose(&Snapshot::from_slice(&bytes).unwrap().decode().unwrap(), &Options::default())
}

fn statuses(r: &Report, id: &str) -> Vec<Status> {
    r.findings.iter().filter(|f| f.check == id).map(|f| f.status).collect()
}

#[test]
fn a_circuit_without_global_reach_or_authorizations_skips_them() {
    let r = run(&load("healthy-private"));
    for id in GR.iter().chain(&["ER120"]) {
        assert_eq!(statuses(&r, id), [Status::Skip], "{id}");
    }
    // Global Reach and authorizations are features not used here, not inputs to supply.
    for id in GR.iter().chain(&["ER120"]) {
        assert!(r.findings.iter().filter(|f| f.check == *id).all(|f| f.not_used), "{id}");
        assert!(r.coverage.not_supplied.iter().all(|g| g.id != *id), "{id}: {:#?}", r.coverage.not_supplied);
    }
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn another_circuit_that_cannot_be_read_is_unknown_never_a_failure() {
    let r = run(&load("global-reach-peer-forbidden"));
    for id in ["ER211", "ER212", "ER215", "ER216"] {
        assert_eq!(statuses(&r, id), [Status::Unknown], "{id}");
    }
    let gap = r.coverage.not_verified.iter().find(|g| g.id == "ER212").expect("ER212 not verified");
    assert!(gap.fix.contains("expressRouteCircuits/read") && gap.fix.contains("b81d4e6f"), "{}", gap.fix);
    assert_eq!(r.verdict, Verdict::Unknown);
}

#[test]
fn the_status_of_a_link_not_read_one_by_one_comes_from_the_peering() {
    let mut v = load("global-reach-disconnected");
    let key = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/connections/gr-ams-lon")).cloned().unwrap();
    v["resources"].as_object_mut().unwrap().remove(&key);
    v["failures"][&key] = json!({"status": 500, "error": {"error": {"code": "InternalServerError", "message": "An error occurred."}}});
    let r = run(&v);
    assert_eq!(statuses(&r, "ER213"), [Status::Fail]);
    // With no status anywhere, the check cannot conclude.
    let mut v = load("global-reach-one-sided");
    for k in v["resources"].as_object().unwrap().keys().cloned().collect::<Vec<_>>() {
        strip(&mut v["resources"][&k], "circuitConnectionStatus");
    }
    let r = run(&v);
    assert_eq!(statuses(&r, "ER213"), [Status::Unknown]);
}

fn strip(v: &mut Value, field: &str) {
    match v {
        Value::Object(m) => {
            m.remove(field);
            m.values_mut().for_each(|x| strip(x, field));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| strip(x, field)),
        _ => {}
    }
}

#[test]
fn an_on_premises_prefix_or_a_peering_subnet_under_the_link_fails() {
    for (prefix, what) in [("10.2.30.0/29", "on-premises prefix 10.2.30.0/24"), ("172.16.0.0/29", "primary subnet of AzurePrivatePeering")] {
        let mut v = load("global-reach-healthy");
        let key = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/connections/gr-ams-lon")).cloned().unwrap();
        v["resources"][&key]["properties"]["addressPrefix"] = json!(prefix);
        let r = run(&v);
        let f = r.findings.iter().find(|f| f.check == "ER214").unwrap();
        assert_eq!(f.status, Status::Fail, "{prefix}");
        assert!(f.message.contains(what), "{prefix}: {}", f.message);
    }
}

#[test]
fn a_peering_location_outside_the_table_is_unknown() {
    let mut v = load("global-reach-healthy");
    let key = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/er-ckt-lon")).cloned().unwrap();
    v["resources"][&key]["properties"]["serviceProviderProperties"]["peeringLocation"] = json!("Nowhere Special");
    let r = run(&v);
    assert_eq!(statuses(&r, "ER216"), [Status::Unknown]);
}

#[test]
fn an_authorization_in_use_without_vnet_routes_leaves_the_gateway_unknown_not_missing() {
    let mut v = load("authorization-other-subscription");
    for k in v["resources"].as_object().unwrap().keys().filter(|k| k.contains("/routeTables/")).cloned().collect::<Vec<_>>() {
        let rows = v["resources"][&k]["value"].as_array_mut().unwrap();
        rows.retain(|r| r["path"] != "65515");
    }
    let r = run(&v);
    let f = r.findings.iter().find(|f| f.check == "ER801").unwrap();
    assert_eq!(f.status, Status::Unknown, "{}", f.message);
    assert!(f.message.contains("auth-spoke-prod") && f.message.contains("another subscription"), "{}", f.message);
    assert!(!f.message.contains("No virtual network is connected"));
    // Without the authorization the same circuit warns that no VNet is connected.
    let mut v2 = v.clone();
    let ckt = v2["circuitId"].as_str().unwrap().to_string();
    v2["resources"][&ckt]["properties"]["authorizations"] = json!([]);
    v2["resources"].as_object_mut().unwrap().remove(&format!("{ckt}/authorizations"));
    let r = run(&v2);
    assert_eq!(statuses(&r, "ER801"), [Status::Warn]);
}

#[test]
fn an_empty_authorization_list_read_from_arm_is_not_used() {
    // Read from the list call, the circuit's body not carrying the field.
    let mut v = load("authorization-other-subscription");
    let ckt = v["circuitId"].as_str().unwrap().to_string();
    v["resources"][&ckt]["properties"].as_object_mut().unwrap().remove("authorizations");
    v["resources"][format!("{ckt}/authorizations")]["value"] = json!([]);
    let r = run(&v);
    let fs: Vec<_> = r.findings.iter().filter(|f| f.check == "ER120").collect();
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert!(fs[0].not_used && fs[0].status == Status::Skip && fs[0].message.starts_with("Not used: authorizations"), "{}", fs[0].message);
    assert!(r.coverage.not_supplied.iter().chain(&r.coverage.not_verified).all(|g| g.id != "ER120"), "{:#?}", r.coverage);
    assert!(!r.coverage.summary.contains("ER120"), "{}", r.coverage.summary);
}

#[test]
fn authorizations_not_read_are_unknown() {
    let mut v = load("authorization-other-subscription");
    let ckt = v["circuitId"].as_str().unwrap().to_string();
    v["resources"][&ckt]["properties"].as_object_mut().unwrap().remove("authorizations");
    v["resources"].as_object_mut().unwrap().remove(&format!("{ckt}/authorizations"));
    v["failures"][format!("{ckt}/authorizations")] = json!({"status": 403, "error": {"error": {"code": "AuthorizationFailed", "message": "no"}}});
    let r = run(&v);
    assert_eq!(statuses(&r, "ER120"), [Status::Unknown]);
    assert!(r.coverage.not_verified.iter().any(|g| g.id == "ER120"), "{:#?}", r.coverage);
}

#[test]
fn no_authorization_key_reaches_a_report() {
    for (scenario, key) in [("authorization-other-subscription", "7d4c1e2a-9b3f-4e8d-a6c5-0f1e2d3c4b5a"), ("global-reach-peer-forbidden", "5f0c2d7e-91ab-4c3d-8e6f-a1b2c3d4e5f6")] {
        let v = load(scenario);
        assert!(v.to_string().contains(key), "{scenario}: the input should carry the key for this test");
        let report = serde_json::to_string(&run(&v)).unwrap();
        assert!(!report.contains(key), "{scenario}: the report carries the authorization key");
    }
}
