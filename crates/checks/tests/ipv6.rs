//! IPv6 on a dual-stack peering: the IPv6 checks pass, fail, say `unknown`
//! when their data is missing and `skip` when IPv6 is not used; an IPv6 row
//! of the route-table summary is never read as the IPv4 session; an
//! IPv6-only failure explains no IPv4 finding. Each case derives from the
//! `ipv6-*` scenarios by changing one thing.

use erdiag_checks::{diagnose, Finding, Options, Owner, Report, Status, Verdict};
use erdiag_model::{DevicePath, Snapshot};
use serde_json::{json, Value};
use std::path::Path;

const P: &str = "/peerings/AzurePrivatePeering";

fn load(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

fn run(v: &Value) -> Report {
    let state = Snapshot::from_slice(&serde_json::to_vec(v).unwrap()).unwrap().decode().unwrap();
    diagnose(&state, &Options::default())
}

fn key(v: &Value, suffix: &str) -> String {
    format!("{}{suffix}", v["circuitId"].as_str().unwrap())
}

fn res<'a>(v: &'a mut Value, suffix: &str) -> &'a mut Value {
    let k = key(v, suffix);
    v["resources"].get_mut(&k).unwrap_or_else(|| panic!("no resource {k}"))
}

/// Sets a field of private peering's `ipv6PeeringConfig`, embedded and alone.
fn set_v6(v: &mut Value, field: &str, value: Value) {
    for p in res(v, "")["properties"]["peerings"].as_array_mut().unwrap() {
        p["properties"]["ipv6PeeringConfig"][field] = value.clone();
    }
    res(v, P)["properties"]["ipv6PeeringConfig"][field] = value;
}

fn summary<'a>(v: &'a mut Value, d: &str) -> &'a mut Vec<Value> {
    res(v, &format!("{P}/routeTablesSummary/{d}"))["value"].as_array_mut().unwrap()
}

fn of<'a>(r: &'a Report, id: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.check == id).collect()
}

fn on<'a>(r: &'a Report, id: &str, d: DevicePath) -> &'a Finding {
    of(r, id).into_iter().find(|f| f.path == Some(d)).unwrap_or_else(|| panic!("no {id} on {d}: {:#?}", r.findings))
}

fn statuses(r: &Report, id: &str) -> Vec<Status> {
    of(r, id).iter().map(|f| f.status).collect()
}

#[test]
fn a_dual_stack_peering_passes_every_ipv6_check() {
    let r = run(&load("ipv6-healthy-dual-stack"));
    for id in ["ER220", "ER221", "ER410", "ER411", "ER820", "ER401", "ER501"] {
        assert!(!of(&r, id).is_empty() && of(&r, id).iter().all(|f| f.status == Status::Pass), "{id}: {:#?}", of(&r, id));
    }
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn a_circuit_without_ipv6_skips_the_ipv6_checks_once() {
    let r = run(&load("healthy-private"));
    for id in ["ER220", "ER221", "ER410"] {
        let fs = of(&r, id);
        assert_eq!(fs.len(), 1, "{id}: {fs:#?}");
        assert_eq!((fs[0].status, fs[0].peering.as_deref()), (Status::Skip, None));
        assert!(fs[0].not_used && fs[0].message.starts_with("Not used: IPv6"), "{}", fs[0].message);
    }
    assert_eq!(statuses(&r, "ER820"), [Status::Skip]);
    assert!(of(&r, "ER820")[0].not_used, "{:#?}", of(&r, "ER820"));
    // Not used is listed nowhere in coverage, not as an input to supply.
    assert!(r.coverage.not_supplied.iter().all(|g| !["ER220", "ER221", "ER410", "ER820"].contains(&g.id)), "{:#?}", r.coverage.not_supplied);
    assert!(of(&r, "ER411").is_empty());
    assert_eq!(r.verdict, Verdict::Healthy);
}

#[test]
fn an_ipv6_row_listed_first_is_not_read_as_the_ipv4_session() {
    // The secondary IPv4 session is down; the IPv6 one, listed first, is up.
    let mut v = load("ipv6-healthy-dual-stack");
    let rows = summary(&mut v, "secondary");
    rows.reverse();
    rows[1]["statePfxRcd"] = json!("Active");
    // No IPv4 subnet match: the row is found by family alone.
    let r = run(&v);
    let f = on(&r, "ER401", DevicePath::Secondary);
    assert_eq!(f.status, Status::Fail, "{f:#?}");
    assert!(f.message.contains("172.16.0.5"), "{}", f.message);
    assert!(f.evidence.iter().any(|e| e.contains("IPv6 session") && e.contains("Established")), "{:#?}", f.evidence);
    assert_eq!(on(&r, "ER410", DevicePath::Secondary).status, Status::Pass);

    // Without the IPv4 /30 to match the neighbor against, the first IPv4 row is still the IPv4 session.
    let mut v = load("ipv6-healthy-dual-stack");
    summary(&mut v, "primary").reverse();
    for p in res(&mut v, "")["properties"]["peerings"].as_array_mut().unwrap() {
        p["properties"]["primaryPeerAddressPrefix"] = json!("172.16.0.1/30");
    }
    res(&mut v, P)["properties"]["primaryPeerAddressPrefix"] = json!("172.16.0.1/30");
    let r = run(&v);
    assert!(on(&r, "ER401", DevicePath::Primary).message.contains("172.16.0.1"), "{:#?}", on(&r, "ER401", DevicePath::Primary));
}

#[test]
fn the_ipv6_session_down_while_ipv4_is_up_is_the_root_cause_on_its_path_only() {
    let r = run(&load("ipv6-session-down-secondary"));
    let f = on(&r, "ER410", DevicePath::Secondary);
    assert_eq!((f.status, f.owner), (Status::Fail, Owner::Customer));
    assert_eq!(f.network_points, [2, 5]);
    assert!(f.message.contains("while IPv4") && f.message.contains("2001:db8:2c0:10::5"), "{}", f.message);
    assert!(f.remediation.as_deref().unwrap().contains("2001:db8:2c0:10::6"), "the MSEE is the second usable: {:?}", f.remediation);
    assert_eq!(on(&r, "ER410", DevicePath::Primary).status, Status::Pass);
    // The secondary lacks the IPv6 prefixes because its IPv6 session is down: not a routes warning.
    assert_eq!(statuses(&r, "ER501"), [Status::Pass]);
    assert_eq!(r.verdict, Verdict::Degraded, "an IPv6 session down does not take the path out of service");
    let rc = r.root_cause.as_ref().unwrap();
    assert_eq!((rc.check.as_str(), rc.path), ("ER410", Some(DevicePath::Secondary)));
}

#[test]
fn both_families_down_behind_an_empty_arp_entry_are_consequences_of_layer_2() {
    let mut v = load("ipv6-session-down-secondary");
    res(&mut v, &format!("{P}/arpTables/secondary"))["value"].as_array_mut().unwrap().retain(|e| e["interface"] != "On-Prem");
    summary(&mut v, "secondary")[0]["statePfxRcd"] = json!("Idle");
    let r = run(&v);
    let f = on(&r, "ER410", DevicePath::Secondary);
    assert_eq!(f.status, Status::Fail);
    assert!(f.message.contains("as is the IPv4 session"), "{}", f.message);
    assert_eq!(f.consequence_of.as_deref(), Some("ER301"));
    assert_eq!(r.root_cause.as_ref().unwrap().check, "ER301");
}

#[test]
fn an_ipv6_failure_explains_no_ipv4_finding() {
    // The same /126 on both paths (ER220, peering-wide) and, independently, the IPv4 secondary session down.
    let mut v = load("ipv6-bad-prefix");
    summary(&mut v, "secondary")[0]["statePfxRcd"] = json!("Active");
    let r = run(&v);
    assert_eq!(on(&r, "ER410", DevicePath::Secondary).consequence_of.as_deref(), Some("ER220"));
    let v4 = on(&r, "ER401", DevicePath::Secondary);
    assert_eq!(v4.status, Status::Fail);
    assert_eq!(v4.consequence_of, None, "the IPv6 /126 does not explain the IPv4 session: {v4:#?}");
}

#[test]
fn ipv6_subnets_that_are_not_distinct_126s_fail() {
    let r = run(&load("ipv6-bad-prefix"));
    let f = &of(&r, "ER220")[0];
    assert_eq!((f.status, f.path), (Status::Fail, None));
    assert!(f.message.contains("same subnet 2001:db8:2c0:10::/126"), "{}", f.message);
    assert_eq!(r.root_cause.as_ref().unwrap().check, "ER220");

    for (field, bad, says) in [
        ("primaryPeerAddressPrefix", "2001:db8:2c0:10::/64", "/64"),
        ("primaryPeerAddressPrefix", "2001:db8:2c0:10::1/126", "host bits"),
        ("secondaryPeerAddressPrefix", "172.16.0.8/30", "IPv4 prefix"),
        ("secondaryPeerAddressPrefix", "2001:db8:2c0:10::/126", "same subnet"),
    ] {
        let mut v = load("ipv6-healthy-dual-stack");
        set_v6(&mut v, field, json!(bad));
        let r = run(&v);
        let f = &of(&r, "ER220")[0];
        assert_eq!(f.status, Status::Fail, "{bad}: {f:#?}");
        assert!(f.message.contains(says), "{bad}: {}", f.message);
    }
    // ER203 judges the IPv4 /30s only.
    let r = run(&load("ipv6-bad-prefix"));
    assert_eq!(statuses(&r, "ER203"), [Status::Pass]);
}

#[test]
fn an_ipv6_configuration_without_its_subnets_in_the_input_is_unknown() {
    let mut v = load("ipv6-healthy-dual-stack");
    set_v6(&mut v, "secondaryPeerAddressPrefix", Value::Null);
    let r = run(&v);
    let f = &of(&r, "ER220")[0];
    assert_eq!(f.status, Status::Unknown);
    assert!(f.message.contains("ipv6PeeringConfig.secondaryPeerAddressPrefix"), "{}", f.message);
}

#[test]
fn ipv6_disabled_fails_and_its_sessions_are_not_expected() {
    let mut v = load("ipv6-healthy-dual-stack");
    set_v6(&mut v, "state", json!("Disabled"));
    let r = run(&v);
    assert_eq!(statuses(&r, "ER221"), [Status::Fail]);
    assert!(of(&r, "ER410").iter().all(|f| f.status == Status::Skip), "{:#?}", of(&r, "ER410"));
    assert_eq!(statuses(&r, "ER820"), [Status::Warn]);
    assert_eq!(r.root_cause.as_ref().unwrap().check, "ER221");

    set_v6(&mut v, "state", Value::Null);
    assert_eq!(statuses(&run(&v), "ER221"), [Status::Unknown]);
}

#[test]
fn an_ipv6_session_without_prefixes_fails() {
    let mut v = load("ipv6-healthy-dual-stack");
    summary(&mut v, "primary")[1]["statePfxRcd"] = json!("0");
    let r = run(&v);
    let f = on(&r, "ER411", DevicePath::Primary);
    assert_eq!((f.status, f.owner), (Status::Fail, Owner::Customer));
    assert_eq!(on(&r, "ER411", DevicePath::Secondary).status, Status::Pass);
    assert_eq!(on(&r, "ER410", DevicePath::Primary).status, Status::Pass);
}

#[test]
fn an_ipv6_session_that_azure_does_not_list_or_that_was_not_read_is_unknown() {
    // The summary lists only the IPv4 neighbor: unknown, naming the CE output that completes it.
    let mut v = load("ipv6-healthy-dual-stack");
    summary(&mut v, "secondary").truncate(1);
    let r = run(&v);
    let f = on(&r, "ER410", DevicePath::Secondary);
    assert_eq!(f.status, Status::Unknown);
    assert!(f.remediation.as_deref().unwrap().contains("show bgp ipv6 unicast summary"), "{f:#?}");
    assert_eq!(r.verdict, Verdict::Unknown);

    // The summary call failed.
    let mut v = load("ipv6-healthy-dual-stack");
    let k = key(&v, &format!("{P}/routeTablesSummary/secondary"));
    v["resources"].as_object_mut().unwrap().remove(&k);
    v["failures"] = json!({ k: { "status": 403, "error": { "error": { "code": "AuthorizationFailed", "message": "no access" } } } });
    let f = run(&v).findings.into_iter().find(|f| f.check == "ER410" && f.path == Some(DevicePath::Secondary)).unwrap();
    assert_eq!(f.status, Status::Unknown);
    assert!(f.message.contains("403"), "{}", f.message);
}

#[test]
fn a_dual_stack_vnet_behind_a_peering_without_ipv6_is_a_warning() {
    let r = run(&load("ipv6-gateway-without-v6-peering"));
    let fs = of(&r, "ER820");
    assert_eq!(fs.len(), 1);
    assert_eq!((fs[0].status, fs[0].peering.as_deref()), (Status::Warn, Some("AzurePrivatePeering")));
    assert!(fs[0].message.contains("fd4e:9a1c:77b0::/48"), "{}", fs[0].message);
    assert_eq!(r.verdict, Verdict::Healthy);

    // The learned routes not read: unknown, not skip.
    let mut v = load("ipv6-gateway-without-v6-peering");
    let k = v["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/getLearnedRoutes")).cloned().unwrap();
    v["resources"].as_object_mut().unwrap().remove(&k);
    v["failures"] = json!({ k: { "status": 500, "error": { "error": { "code": "InternalServerError", "message": "try again" } } } });
    assert_eq!(statuses(&run(&v), "ER820"), [Status::Unknown]);
}

/// The secondary CE of `ipv6-session-down-secondary`: IPv4 right, the IPv6
/// neighbor one address off (its own address, not the MSEE's).
const CE2_CONFIG: &str = r#"hostname ce2
!
interface GigabitEthernet0/0/0.200
 description ExpressRoute secondary (er-ckt-ams)
 encapsulation dot1Q 200
 ip address 172.16.0.5 255.255.255.252
 ipv6 address 2001:DB8:2C0:10::5/126
!
router bgp 65020
 neighbor 172.16.0.6 remote-as 12076
 neighbor 2001:DB8:2C0:10::5 remote-as 12076
 !
 address-family ipv4
  network 10.2.20.0 mask 255.255.255.128
  neighbor 172.16.0.6 activate
 exit-address-family
 !
 address-family ipv6
  network 2001:DB8:2C0:100::/56
  neighbor 2001:DB8:2C0:10::5 activate
 exit-address-family
!
end
"#;

/// The secondary CE's `show bgp ipv6 unicast summary`: the IPv6 neighbor
/// (too long for its column) on its own line, the row below it.
const CE2_V6_SUMMARY: &str = r#"ce2#show bgp ipv6 unicast summary
BGP router identifier 10.2.20.2, local AS number 65020
BGP table version is 5, main routing table version 5

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
2001:DB8:2C0:10::6
                4        12076       0       0        1    0    0 never    Active
"#;

fn with_ce(mut v: Value, name: &str, text: &str) -> Value {
    v["inputs"] = json!({"ce": {"primary": [], "secondary": [{"name": name, "text": text}]}});
    v
}

#[test]
fn the_ce_line_with_the_wrong_ipv6_neighbor_is_the_root_cause() {
    let r = run(&with_ce(load("ipv6-session-down-secondary"), "ce2.cfg", CE2_CONFIG));
    let f = on(&r, "ER925", DevicePath::Secondary);
    assert_eq!(f.status, Status::Fail, "{f:#?}");
    assert!(f.message.contains("the IPv6 BGP neighbor is 2001:db8:2c0:10::5, the MSEE is 2001:db8:2c0:10::6") && f.message.contains("ce2.cfg:11"), "{}", f.message);
    assert_eq!(on(&r, "ER410", DevicePath::Secondary).consequence_of.as_deref(), Some("ER925"));
    assert_eq!(r.root_cause.as_ref().unwrap().check, "ER925");
    // The IPv4 side of the same CE is right: its cross-check passes, untouched by the IPv6 neighbor.
    assert_eq!(on(&r, "ER902", DevicePath::Secondary).status, Status::Pass);

    // Corrected, it passes.
    let fixed = CE2_CONFIG.replace("neighbor 2001:DB8:2C0:10::5", "neighbor 2001:DB8:2C0:10::6");
    let r = run(&with_ce(load("ipv6-healthy-dual-stack"), "ce2.cfg", &fixed));
    assert_eq!(on(&r, "ER925", DevicePath::Secondary).status, Status::Pass);
}

#[test]
fn a_ce_summary_with_the_ipv6_neighbor_down_is_read_as_a_row_not_dropped() {
    let r = run(&with_ce(load("ipv6-session-down-secondary"), "ce2-show.txt", CE2_V6_SUMMARY));
    let f = on(&r, "ER925", DevicePath::Secondary);
    assert_eq!(f.status, Status::Fail, "{f:#?}");
    assert!(f.message.contains("IPv6 session to the MSEE 2001:db8:2c0:10::6"), "{}", f.message);
    // The IPv6 row is not the IPv4 session of the CE.
    assert!(of(&r, "ER907").is_empty(), "{:#?}", of(&r, "ER907"));
    assert!(of(&r, "ER913").iter().all(|f| f.status == Status::Pass), "every line understood: {:#?}", of(&r, "ER913"));
}

/// ER912 on the CE's IPv6 BGP table (FRR's, as the lab captures it): the
/// VNet's IPv6 prefix through the MSEE's global next hops passes; the same
/// table showing the neighbours' link-local next hops cannot tie them to an
/// MSEE, so it is unknown (what completes it named), never a failure; and a
/// route through another global next hop still fails.
#[test]
fn the_ce_ipv6_route_to_the_vnet_is_judged_by_its_global_next_hop_only() {
    let global = include_str!("../../ce/tests/fixtures/frr/lab/show_bgp_ipv6_unicast.txt");
    let link_local = include_str!("../../ce/tests/fixtures/frr/lab/show_bgp_ipv6_unicast_link_local.txt");
    let with = |text: &str| {
        let mut v = load("ipv6-healthy-dual-stack");
        v["inputs"] = json!({"ce": {"primary": [{"name": "ce1-show-bgp-ipv6.txt", "text": text}], "secondary": []}});
        run(&v)
    };
    let f = on(&with(global), "ER912", DevicePath::Primary).clone();
    assert_eq!(f.status, Status::Pass, "{f:#?}");
    assert!(f.message.contains("fd4e:9a1c:77b0::/48"), "{}", f.message);

    let r = with(link_local);
    let f = on(&r, "ER912", DevicePath::Primary);
    assert_eq!(f.status, Status::Unknown, "{f:#?}");
    assert!(f.evidence.iter().any(|e| e.contains("fe80::6012:8aff:fe21:1fa2")), "{:?}", f.evidence);
    assert!(f.remediation.as_deref().unwrap_or_default().contains("prefer-global"), "{f:#?}");
    assert_ne!(r.verdict, Verdict::Healthy, "a verdict resting on an unknown is not healthy");

    let elsewhere = global.replace("2001:db8:2c0:10::2", "2001:db8:99::1");
    let f = on(&with(&elsewhere), "ER912", DevicePath::Primary).clone();
    assert_eq!(f.status, Status::Fail, "{f:#?}");
    assert!(f.message.contains("2001:db8:99::1"), "{}", f.message);
}
