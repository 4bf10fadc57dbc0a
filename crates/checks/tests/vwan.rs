//! The gateway step on a Virtual WAN hub's ExpressRoute gateway: what the
//! scenarios do not show, derived from `vwan-healthy` by changing one thing.

use erdiag_checks::{diagnose, Finding, Options, Report, Status};
use erdiag_model::Snapshot;
use serde_json::{json, Value};
use std::path::Path;

fn load(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn run(v: &Value) -> Report {
    let bytes = serde_json::to_vec(v).unwrap();
    diagnose(&Snapshot::from_slice(&bytes).unwrap().decode().unwrap(), &Options::default())
}

fn of<'a>(r: &'a Report, id: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.check == id).collect()
}

/// The key of the one resource whose path ends so.
fn key(v: &Value, ends: &str) -> String {
    v["resources"].as_object().unwrap().keys().find(|k| k.ends_with(ends)).cloned().unwrap_or_else(|| panic!("no {ends}"))
}

/// Moves a resource to `failures`, as a call that failed.
fn fail(v: &mut Value, ends: &str, status: u16) {
    let k = key(v, ends);
    v["resources"].as_object_mut().unwrap().remove(&k);
    v["failures"][k] = json!({"status": status, "error": {"error": {"code": "AuthorizationFailed", "message": "no read permission"}}});
}

#[test]
fn a_hub_not_read_is_unknown_never_pass() {
    let mut v = load("vwan-healthy");
    fail(&mut v, "/virtualHubs/hub-weu", 403);
    let r = run(&v);
    let f = of(&r, "ER830");
    assert!(f.len() == 1 && f[0].status == Status::Unknown && f[0].message.contains("hub-weu"), "{f:#?}");
}

#[test]
fn a_gateway_listing_that_failed_is_unknown_and_one_not_collected_says_nothing() {
    let mut v = load("vwan-connection-missing");
    fail(&mut v, "/providers/Microsoft.Network/expressRouteGateways", 403);
    let r = run(&v);
    let f = of(&r, "ER831");
    assert!(f.len() == 1 && f[0].status == Status::Unknown && f[0].message.contains("ExpressRoute gateways"), "{f:#?}");

    let mut v = load("vwan-connection-missing");
    let k = key(&v, "/providers/Microsoft.Network/expressRouteGateways");
    v["resources"].as_object_mut().unwrap().remove(&k);
    assert!(of(&run(&v), "ER831").is_empty(), "a snapshot made without the listing: Virtual WAN is not judged");
}

#[test]
fn what_arm_offers_no_hub_gateway_is_skipped_not_unknown_and_the_gateway_is_not_missing() {
    let r = run(&load("vwan-healthy"));
    for id in ["ER803", "ER804", "ER806"] {
        assert!(of(&r, id).iter().all(|f| f.status == Status::Skip && f.message.contains("hub-weu")), "{id}: {:#?}", of(&r, id));
    }
    let f = of(&r, "ER801");
    assert!(f.iter().all(|f| f.status == Status::Pass && !f.message.contains("No virtual network")), "{f:#?}");
}

#[test]
fn a_circuit_on_both_a_vnet_gateway_and_a_hub_gateway_checks_both() {
    let hub = load("vwan-healthy");
    let mut v = load("healthy-private");
    for (k, body) in hub["resources"].as_object().unwrap() {
        if k.contains("rg-vwan-weu") || k.ends_with("/expressRouteGateways") {
            v["resources"][k] = body.clone();
        }
    }
    let k = key(&v, "/expressRouteConnections");
    v["resources"][&k]["value"][0]["properties"]["provisioningState"] = json!("Failed");
    let r = run(&v);
    let f = of(&r, "ER801");
    assert!(f.iter().any(|f| f.status == Status::Pass && f.message.contains("conn-ergw-hub-weu-er-ckt-ams")), "{f:#?}");
    assert!(f.iter().any(|f| f.status == Status::Fail && f.message.contains("hub hub-weu")), "{f:#?}");
    let gateways: Vec<&str> = of(&r, "ER802").iter().map(|f| f.message.as_str()).collect();
    assert_eq!(gateways.len(), 2, "{gateways:?}");
    assert_eq!(r.topology.gateways.iter().filter_map(|g| g.hub.as_deref()).collect::<Vec<_>>(), ["hub-weu"]);
}

#[test]
fn a_connection_the_gateway_names_but_does_not_list_is_half_created() {
    let mut v = load("vwan-healthy");
    let k = key(&v, "/expressRouteConnections");
    v["resources"][&k]["value"] = json!([]);
    let f: Vec<Finding> = of(&run(&v), "ER831").into_iter().cloned().collect();
    assert!(f.iter().any(|f| f.status == Status::Fail && f.message.contains("half-created")), "{f:#?}");
}

#[test]
fn scale_units_without_a_circuit_bandwidth_are_unknown() {
    let mut v = load("vwan-healthy");
    let k = v["circuitId"].as_str().unwrap().to_string();
    v["resources"][&k]["properties"]["serviceProviderProperties"].as_object_mut().unwrap().remove("bandwidthInMbps");
    let r = run(&v);
    assert!(of(&r, "ER832").iter().all(|f| f.status == Status::Unknown), "{:#?}", of(&r, "ER832"));
}
