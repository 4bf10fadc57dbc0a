//! The ExpressRoute Direct checks (ER110–ER116) beyond their passing and
//! failing fixtures: not used is `skip`, data not read is `unknown` naming
//! the call, the owner follows the side of the fault, and a link's fault is
//! the root cause of what fails on its path.

use erdiag_checks::{diagnose, Finding, Options, Owner, Report, Status, Verdict};
use erdiag_model::{DevicePath, Snapshot};
use serde_json::{json, Value};
use std::path::Path;

const DIRECT: &[&str] = &["ER110", "ER111", "ER112", "ER113", "ER114", "ER115", "ER116"];
const PORT: &str = "/providers/Microsoft.Network/expressRoutePorts/erd-port-ams";
const VAULT: &str = "/providers/Microsoft.KeyVault/vaults/kv-erd-macsec-ams";

fn load(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn run(v: &Value) -> Report {
    let bytes = serde_json::to_vec(v).unwrap();
    diagnose(&Snapshot::from_slice(&bytes).unwrap().decode().unwrap(), &Options::default())
}

fn of<'a>(r: &'a Report, id: &str) -> Vec<&'a Finding> {
    let fs: Vec<&Finding> = r.findings.iter().filter(|f| f.check == id).collect();
    assert!(!fs.is_empty(), "{id} reported nothing");
    fs
}

/// The key of the resource whose path ends with `suffix`.
fn key(v: &Value, suffix: &str) -> String {
    v["resources"].as_object().unwrap().keys().find(|k| k.ends_with(suffix)).cloned().unwrap_or_else(|| panic!("no resource *{suffix}"))
}

fn res<'a>(v: &'a mut Value, suffix: &str) -> &'a mut Value {
    let k = key(v, suffix);
    &mut v["resources"][k]
}

/// Replaces the resource by a failure of its call.
fn fail_call(v: &mut Value, suffix: &str, status: u16) {
    let k = key(v, suffix);
    v["resources"].as_object_mut().unwrap().remove(&k);
    v["failures"][k] = json!({"status": status, "error": {"error": {"code": "AuthorizationFailed", "message": "no read access"}}});
}

fn set_metric(v: &mut Value, metric: &str, dims: &[&str], value: f64) {
    let m = res(v, &format!("{PORT}/providers/Microsoft.Insights/metrics"))["value"].as_array_mut().unwrap().iter_mut().find(|m| m["name"]["value"] == metric).unwrap();
    for s in m["timeseries"].as_array_mut().unwrap() {
        if dims.iter().all(|d| s["metadatavalues"].as_array().unwrap().iter().any(|x| x["value"] == *d)) {
            for p in s["data"].as_array_mut().unwrap() {
                p["average"] = json!(value);
            }
        }
    }
}

#[test]
fn a_circuit_through_a_provider_does_not_use_them() {
    let r = run(&load("healthy-private"));
    for id in DIRECT {
        for f in of(&r, id) {
            assert_eq!(f.status, Status::Skip, "{id}: {}", f.message);
            assert!(f.message.starts_with("Not used"), "{id}: {}", f.message);
        }
    }
}

#[test]
fn a_port_not_read_is_unknown_naming_the_call() {
    let mut v = load("healthy-direct");
    fail_call(&mut v, PORT, 403);
    let r = run(&v);
    for id in DIRECT {
        for f in of(&r, id) {
            assert_eq!(f.status, Status::Unknown, "{id}: {}", f.message);
            assert!(f.message.contains("erd-port-ams") && f.message.contains("403"), "{id}: {}", f.message);
        }
    }
    assert_eq!(r.verdict, Verdict::Unknown);
}

#[test]
fn port_metrics_not_in_the_input_are_not_supplied_and_failed_ones_unknown() {
    let mut v = load("healthy-direct");
    let k = key(&v, &format!("{PORT}/providers/Microsoft.Insights/metrics"));
    v["resources"].as_object_mut().unwrap().remove(&k);
    let r = run(&v);
    for id in ["ER111", "ER112"] {
        assert!(of(&r, id).iter().all(|f| f.status == Status::Skip), "{id}");
    }
    assert_eq!(r.verdict, Verdict::Healthy);
    let mut v = load("healthy-direct");
    fail_call(&mut v, &format!("{PORT}/providers/Microsoft.Insights/metrics"), 500);
    let r = run(&v);
    for id in ["ER111", "ER112"] {
        assert!(of(&r, id).iter().all(|f| f.status == Status::Unknown), "{id}");
    }
}

#[test]
fn a_link_down_that_arp_does_not_confirm_warns() {
    let mut v = load("healthy-direct");
    set_metric(&mut v, "LineProtocol", &["link2"], 0.0);
    let r = run(&v);
    let f = of(&r, "ER111").into_iter().find(|f| f.path == Some(DevicePath::Secondary)).unwrap();
    assert_eq!(f.status, Status::Warn, "{}", f.message);
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn light_microsoft_sends_out_of_range_is_microsoft_s() {
    let mut v = load("healthy-direct");
    set_metric(&mut v, "TxLightLevel", &["link2", "3"], 1.5);
    let r = run(&v);
    let f = of(&r, "ER112").into_iter().find(|f| f.status == Status::Fail).unwrap();
    assert_eq!((f.path, f.owner), (Some(DevicePath::Secondary), Owner::Microsoft));
    assert!(f.message.contains("lane 3") && f.message.contains("above 0 dBm"), "{}", f.message);
}

#[test]
fn a_cipher_without_xpn_on_a_100_gbps_port_warns() {
    let mut v = load("healthy-direct");
    for l in res(&mut v, PORT)["properties"]["links"].as_array_mut().unwrap() {
        l["properties"]["macSecConfig"]["cipher"] = json!("GcmAes256");
    }
    let r = run(&v);
    assert!(of(&r, "ER114").iter().all(|f| f.status == Status::Warn));
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn a_vault_not_read_is_unknown() {
    let mut v = load("healthy-direct");
    fail_call(&mut v, VAULT, 403);
    let r = run(&v);
    assert!(of(&r, "ER115").iter().all(|f| f.status == Status::Unknown && f.message.contains("kv-erd-macsec-ams")));
    // The vault not listed in the subscription (another subscription's).
    let mut v = load("healthy-direct");
    let k = key(&v, VAULT);
    v["resources"].as_object_mut().unwrap().remove(&k);
    *res(&mut v, "/providers/Microsoft.KeyVault/vaults") = json!({"value": []});
    let r = run(&v);
    assert!(of(&r, "ER115").iter().all(|f| f.status == Status::Unknown && f.message.contains("does not name kv-erd-macsec-ams")), "{:#?}", of(&r, "ER115"));
}

#[test]
fn an_identity_without_access_fails_and_rbac_needs_its_role_assignments() {
    let mut v = load("healthy-direct");
    res(&mut v, VAULT)["properties"]["accessPolicies"] = json!([]);
    let r = run(&v);
    assert!(of(&r, "ER115").iter().all(|f| f.status == Status::Fail && f.message.contains("access policy")));

    let mut v = load("healthy-direct");
    res(&mut v, VAULT)["properties"]["enableRbacAuthorization"] = json!(true);
    let r = run(&v);
    assert!(of(&r, "ER115").iter().all(|f| f.status == Status::Unknown && f.message.contains("role assignments")), "{:#?}", of(&r, "ER115"));

    let vault_id = key(&v, VAULT);
    let principal = res(&mut v, PORT)["identity"]["userAssignedIdentities"].as_object().unwrap().values().next().unwrap()["principalId"].clone();
    let assignment = |role: &str| json!({"value": [{"id": format!("{vault_id}/providers/Microsoft.Authorization/roleAssignments/1"),
        "properties": {"roleDefinitionId": format!("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/{role}"), "principalId": principal, "scope": vault_id}}]});
    v["resources"][format!("{vault_id}/providers/Microsoft.Authorization/roleAssignments")] = assignment("4633458b-17de-408a-b874-0445c86b69e6");
    assert!(of(&run(&v), "ER115").iter().all(|f| f.status == Status::Pass));
    // Reader sees the vault, not its secrets.
    v["resources"][format!("{vault_id}/providers/Microsoft.Authorization/roleAssignments")] = assignment("acdd72a7-3385-48ef-bd42-f606fba81ae7");
    assert!(of(&run(&v), "ER115").iter().all(|f| f.status == Status::Fail));
}

#[test]
fn a_disabled_link_is_the_root_cause_of_its_path_and_names_where_it_is() {
    let r = run(&load("direct-link-disabled"));
    let f = of(&r, "ER110").into_iter().find(|f| f.status == Status::Fail).unwrap();
    for what in ["ams06-erdir-100gmr-cis-2", "PP:0211:1407211", "AMS06:0211:R02", "Equinix-Amsterdam-AM5"] {
        assert!(f.evidence.iter().any(|e| e.contains(what)) && f.remediation.as_deref().unwrap_or_default().contains(what), "{what}: {f:#?}");
    }
    for id in ["ER301", "ER401"] {
        let bad = of(&r, id).into_iter().find(|f| f.status == Status::Fail).unwrap();
        assert_eq!(bad.consequence_of.as_deref(), Some("ER110"), "{id}");
    }
}

/// The primary path's rows of a Direct scenario put back as healthy-direct has them.
fn primary_path_as_healthy(v: &mut Value) {
    let healthy = load("healthy-direct");
    for t in ["arpTables/primary", "routeTablesSummary/primary", "routeTables/primary"] {
        let suffix = format!("/peerings/AzurePrivatePeering/{t}");
        *res(v, &suffix) = healthy["resources"][key(&healthy, &suffix)].clone();
    }
}

#[test]
fn a_macsec_mismatch_on_a_link_is_the_root_cause_of_arp_and_bgp_down_on_its_path() {
    let r = run(&load("direct-macsec-sci-mismatch"));
    let sci = of(&r, "ER922");
    let bad = sci.iter().find(|f| f.status == Status::Fail).unwrap();
    assert_eq!(bad.path, Some(DevicePath::Primary));
    assert!(bad.breaks_path, "{bad:#?}");
    // What the mismatch does on the wire, and what the layers above show.
    for what in ["link passes no traffic", "ARP for the peering's addresses gets no reply", "BGP session is down", "secondary path carries the traffic"] {
        assert!(bad.message.contains(what), "{what}: {}", bad.message);
    }
    assert!(sci.iter().any(|f| f.path == Some(DevicePath::Secondary) && f.status == Status::Pass), "{sci:#?}");
    // ARP is the MACsec mismatch's consequence, BGP the lowest layer's (ARP's).
    for (id, cause) in [("ER301", "ER922"), ("ER401", "ER301")] {
        let down = of(&r, id).into_iter().find(|f| f.status == Status::Fail).unwrap_or_else(|| panic!("{id} does not fail"));
        assert_eq!((down.path, down.consequence_of.as_deref()), (Some(DevicePath::Primary), Some(cause)), "{id}");
    }
    let rc = r.root_cause.as_ref().unwrap();
    assert_eq!((rc.check.as_str(), rc.path), ("ER922", Some(DevicePath::Primary)));
    assert_eq!(r.verdict, Verdict::Degraded, "the secondary path carries the traffic");

    // MACsec on link1 while the primary CE does not run it on the port facing
    // it: the state check is the cause.
    let mut v = load("direct-macsec-sci-mismatch");
    let text = v["inputs"]["ce"]["primary"][0]["text"].as_str().unwrap().replace("set security macsec interfaces et-0/0/0 connectivity-association CA-ERD\n", "");
    v["inputs"]["ce"]["primary"][0]["text"] = json!(text);
    let r = run(&v);
    let off = of(&r, "ER920").into_iter().find(|f| f.status == Status::Fail).unwrap();
    assert!(off.path == Some(DevicePath::Primary) && off.message.contains("MKA cannot bring the secure channel up") && off.message.contains("BGP session is down"), "{off:#?}");
    assert_eq!(r.root_cause.as_ref().map(|c| c.check.as_str()), Some("ER920"));
    assert_eq!(of(&r, "ER301").into_iter().find(|f| f.status == Status::Fail).unwrap().consequence_of.as_deref(), Some("ER920"));
}

#[test]
fn an_sci_difference_the_path_carries_traffic_through_fails_without_taking_it_down() {
    let mut v = load("direct-macsec-sci-mismatch");
    primary_path_as_healthy(&mut v);
    let r = run(&v);
    let f = of(&r, "ER922").into_iter().find(|f| f.status == Status::Fail).unwrap();
    assert_eq!(f.path, Some(DevicePath::Primary));
    assert!(!f.breaks_path && f.message.contains("Established"), "{f:#?}");
    assert!(of(&r, "ER401").iter().all(|f| f.status == Status::Pass));
    assert_eq!((r.verdict, r.root_cause.as_ref().map(|c| c.check.as_str())), (Verdict::Degraded, Some("ER922")));
}

#[test]
fn an_sci_difference_on_a_path_whose_session_was_not_read_fails_without_taking_it_down() {
    let mut v = load("direct-macsec-sci-mismatch");
    fail_call(&mut v, "/peerings/AzurePrivatePeering/routeTablesSummary/primary", 403);
    let r = run(&v);
    let f = of(&r, "ER922").into_iter().find(|f| f.status == Status::Fail).unwrap();
    assert_eq!(f.path, Some(DevicePath::Primary));
    // Not read is not down: the finding says what would tell, and does not
    // take the path out of service by itself.
    assert!(!f.breaks_path, "{f:#?}");
    assert!(f.message.contains("not known") && f.message.contains("AzurePrivatePeering"), "{}", f.message);
    assert!(f.remediation.as_deref().is_some_and(|x| x.contains("list-route-tables-summary --path primary")), "{f:#?}");
    // The primary's Incomplete ARP entry, read, is what the difference
    // does where it is not tolerated: still explained by it.
    let arp = of(&r, "ER301").into_iter().find(|f| f.status == Status::Fail).unwrap();
    assert_eq!(arp.consequence_of.as_deref(), Some("ER922"), "{arp:#?}");
    assert_eq!(r.verdict, Verdict::Degraded);
}
