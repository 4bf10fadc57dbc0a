//! The checks across circuits (`registry::FLEET`). Every fleet here is made
//! of the scenarios' snapshots with one thing changed — a circuit's name,
//! peering location, routes, counts, routing weight, gateway SKU or CE
//! configuration — read through `Snapshot::decode` and
//! `CircuitFacts::from_state`, as a live fleet is. `tests/fleet/` holds the
//! facts-only fixtures (a circuit as `CircuitFacts` JSON) for what no
//! scenario has. The last assertion of the table fails when a check lacks a
//! passing or a failing fleet.

use erdiag_checks::fleet::{self, CircuitFacts, PortFacts};
use erdiag_checks::{registry, Finding, Layer, Options, Status};
use erdiag_model::Snapshot;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SUB: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A circuit of the fleet: a scenario's snapshot, renamed.
#[derive(Clone)]
struct Ckt {
    v: Value,
    name: String,
    gateway: String,
}

/// `base`'s circuit renamed `name`, connected to gateway `gw`.
fn circuit(base: &str, name: &str, gw: &str) -> Ckt {
    let text = std::fs::read_to_string(root().join("scenarios").join(base).join("snapshot.json")).unwrap();
    let old = if base == "healthy-direct" { "er-direct-ams" } else { "er-ckt-ams" };
    let text = text.replace(old, name).replace("ergw-hub-weu", gw);
    Ckt { v: serde_json::from_str(&text).unwrap(), name: name.into(), gateway: gw.into() }
}

fn healthy(name: &str, gw: &str) -> Ckt {
    circuit("healthy-private", name, gw)
}

impl Ckt {
    fn id(&self) -> String {
        format!("{SUB}/expressRouteCircuits/{}", self.name)
    }
    fn gateway_id(&self) -> String {
        format!("{SUB}/virtualNetworkGateways/{}", self.gateway)
    }
    fn res(&mut self, suffix: &str) -> &mut Value {
        let key = format!("{}{suffix}", self.id());
        self.v["resources"].get_mut(&key).unwrap_or_else(|| panic!("no resource {key}"))
    }
    fn gw_res(&mut self) -> &mut Value {
        let key = self.gateway_id();
        self.v["resources"].get_mut(&key).unwrap()
    }
    fn connection(&mut self) -> &mut Value {
        let key = format!("{SUB}/connections/conn-{}-{}", self.gateway, self.name);
        self.v["resources"].get_mut(&key).unwrap_or_else(|| panic!("no resource {key}"))
    }
    fn location(mut self, loc: Option<&str>) -> Ckt {
        let sp = &mut self.res("")["properties"]["serviceProviderProperties"];
        match loc {
            Some(l) => sp["peeringLocation"] = json!(l),
            None => {
                sp.as_object_mut().unwrap().remove("peeringLocation");
            }
        }
        self
    }
    fn weight(mut self, w: Option<u64>) -> Ckt {
        let p = self.connection()["properties"].as_object_mut().unwrap();
        match w {
            Some(w) => p.insert("routingWeight".into(), json!(w)),
            None => p.remove("routingWeight"),
        };
        self
    }
    fn sku(mut self, sku: &str, location: &str) -> Ckt {
        let g = self.gw_res();
        g["properties"]["sku"] = json!({"name": sku, "tier": sku});
        g["location"] = json!(location);
        self
    }
    fn tier(mut self, tier: &str) -> Ckt {
        self.res("")["sku"]["tier"] = json!(tier);
        self
    }
    /// A route learned from the CE (AS 65020) on these paths of private peering.
    fn route(mut self, prefix: &str, paths: &[&str]) -> Ckt {
        for p in paths {
            let next_hop = if *p == "primary" { "172.16.0.1" } else { "172.16.0.5" };
            self.res(&format!("/peerings/AzurePrivatePeering/routeTables/{p}"))["value"]
                .as_array_mut()
                .unwrap()
                .push(json!({"network": prefix, "nextHop": next_hop, "locPrf": "", "weight": 0, "path": "65020"}));
        }
        self
    }
    fn state(mut self, path: &str, state: &str) -> Ckt {
        self.res(&format!("/peerings/AzurePrivatePeering/routeTablesSummary/{path}"))["value"][0]["statePfxRcd"] = json!(state);
        self
    }
    fn drop(mut self, suffix: &str) -> Ckt {
        let key = format!("{}{suffix}", self.id());
        self.v["resources"].as_object_mut().unwrap().remove(&key).unwrap();
        self
    }
    fn drop_gateway(mut self) -> Ckt {
        let key = self.gateway_id();
        self.v["resources"].as_object_mut().unwrap().remove(&key).unwrap();
        self.v["failures"][key] = json!({"status": 403, "code": "AuthorizationFailed", "message": "The client does not have authorization to perform action 'Microsoft.Network/virtualNetworkGateways/read'."});
        self
    }
    /// The CE configurations of `ce-md5-missing` (BFD on both), without
    /// BFD on the paths named.
    fn ce(mut self, without_bfd: &[&str]) -> Ckt {
        let donor: Value = serde_json::from_slice(&std::fs::read(root().join("scenarios/ce-md5-missing/snapshot.json")).unwrap()).unwrap();
        let mut ce = donor["inputs"]["ce"].clone();
        for (path, neighbor) in [("primary", "172.16.0.2"), ("secondary", "172.16.0.6")] {
            if without_bfd.contains(&path) {
                let t = ce[path][0]["text"].as_str().unwrap().replace(&format!("   neighbor {neighbor} bfd\n"), "");
                assert!(!t.contains(&format!("neighbor {neighbor} bfd")));
                ce[path][0]["text"] = json!(t);
            }
        }
        self.v["inputs"]["ce"] = ce;
        self
    }
    fn facts(&self) -> CircuitFacts {
        let bytes = serde_json::to_vec(&self.v).unwrap();
        let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
        CircuitFacts::from_state(&state)
    }
}

fn run(cs: &[Ckt], ports: &[PortFacts]) -> Vec<Finding> {
    let facts: Vec<CircuitFacts> = cs.iter().map(Ckt::facts).collect();
    fleet::diagnose(&facts, ports)
}

fn port(gbps: f64) -> PortFacts {
    PortFacts {
        id: format!("{SUB}/expressRoutePorts/erd-port-ams"),
        name: Some("erd-port-ams".into()),
        location: Some("westeurope".into()),
        peering_location: Some("Equinix-Amsterdam-AM5".into()),
        bandwidth_gbps: Some(gbps),
    }
}

fn facts_fixture(name: &str) -> CircuitFacts {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fleet").join(name);
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

struct Case {
    name: &'static str,
    check: &'static str,
    want: Status,
    findings: Box<dyn Fn() -> Vec<Finding>>,
    also: fn(&Finding),
}

fn case(name: &'static str, check: &'static str, want: Status, findings: impl Fn() -> Vec<Finding> + 'static, also: fn(&Finding)) -> Case {
    Case { name, check, want, findings: Box::new(findings), also }
}

fn names(f: &Finding) -> Vec<&str> {
    f.circuits.iter().map(|c| erdiag_model::last_segment(c)).collect()
}

fn text(f: &Finding) -> String {
    format!("{} {}", f.message, f.evidence.join(" | "))
}

fn gw(f: &Finding) -> &str {
    erdiag_model::last_segment(f.gateway.as_deref().expect("the finding names its gateway"))
}

fn cases() -> Vec<Case> {
    vec![
        // ER001 gateway-single-peering-location
        case("two locations", "ER001", Status::Pass, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1").location(Some("London"))], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert_eq!(names(f), ["ckt-a", "ckt-b"]);
            assert!(f.message.contains("Amsterdam, London"), "{}", f.message);
        }),
        case("both circuits in Amsterdam", "ER001", Status::Fail, || run(&[healthy("ckt-b", "gw1").location(Some("AMSTERDAM")), healthy("ckt-a", "gw1")], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert_eq!(names(f), ["ckt-a", "ckt-b"]);
            assert!(f.message.contains("all its 2 circuits (ckt-a, ckt-b) are in Amsterdam"), "{}", f.message);
        }),
        case("one circuit", "ER001", Status::Fail, || run(&[healthy("ckt-a", "gw1")], &[]), |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert!(f.message.contains("one circuit, ckt-a, in Amsterdam") && f.message.contains("single point of failure"), "{}", f.message);
            assert_eq!(f.evidence, ["Amsterdam: ckt-a"]);
        }),
        case("one circuit, and one whose connections could not be listed", "ER001", Status::Fail, || run(&[healthy("ckt-a", "gw1"), circuit("connections-list-failed", "ckt-x", "gw1")], &[]), |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert!(f.evidence.iter().any(|e| e.starts_with("the connections of ckt-x could not be read") && e.ends_with("all of them are in Amsterdam too, so none would add a location")), "{:?}", f.evidence);
        }),
        case("one circuit, and one elsewhere whose connections could not be listed", "ER001", Status::Unknown, || {
            run(&[healthy("ckt-a", "gw1"), circuit("connections-list-failed", "ckt-x", "gw2").location(Some("London"))], &[])
        }, |f| {
            assert_eq!(gw(f), "gw1");
            assert!(f.message.contains("the connections of ckt-x (London) could not be read"), "{}", f.message);
        }),
        case("one circuit, and one not collected", "ER001", Status::Unknown, || {
            fleet::diagnose(&[healthy("ckt-a", "gw1").facts(), CircuitFacts::not_collected(&format!("{SUB}/expressRouteCircuits/ckt-lost"), "ckt-lost", "HTTP 403 AuthorizationFailed")], &[])
        }, |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert!(f.message.contains("the connections of ckt-lost (location not known) could not be read"), "{}", f.message);
        }),
        case("a location not in the input", "ER001", Status::Unknown, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1").location(None)], &[]), |f| {
            assert!(f.message.contains("peering location of ckt-b is not known"), "{}", f.message);
        }),
        // ER002 paths-carry-different-prefixes
        case("same prefixes on both paths", "ER002", Status::Pass, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1")], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert!(f.message.contains("ckt-a, ckt-b carry the same prefixes"), "{}", f.message);
        }),
        case("a prefix on one path only", "ER002", Status::Warn, || run(&[healthy("ckt-a", "gw1").route("10.9.0.0/16", &["primary"]), healthy("ckt-b", "gw1")], &[]), |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert!(text(f).contains("ckt-a: 1 prefix only on the primary path; on one path only at this gateway: 10.9.0.0/16"), "{}", text(f));
        }),
        case("a prefix on one path, still on both of another circuit", "ER002", Status::Warn, || {
            run(&[healthy("ckt-a", "gw1").route("10.9.0.0/16", &["secondary"]), healthy("ckt-b", "gw1").route("10.9.0.0/16", &["primary", "secondary"])], &[])
        }, |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert!(text(f).contains("only on the secondary path; still on both paths of another circuit: 10.9.0.0/16"), "{}", text(f));
        }),
        case("a route table not read", "ER002", Status::Unknown, || {
            let a = healthy("ckt-a", "gw1").drop("/peerings/AzurePrivatePeering/routeTables/secondary");
            assert_eq!(a.facts().unread(), ["the secondary route table was not collected"]);
            assert!(healthy("ckt-b", "gw1").facts().unread().is_empty());
            run(&[a, healthy("ckt-b", "gw1")], &[])
        }, |f| {
            assert!(f.message.contains("ckt-a: the secondary route table was not collected"), "{}", f.message);
        }),
        // ER003 redundant-circuits-asymmetric-prefixes
        case("the same on-premises prefixes", "ER003", Status::Pass, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1").location(Some("London"))], &[]), |f| {
            assert!(f.message.contains("receive the same 3 on-premises prefixes"), "{}", f.message);
        }),
        case("a prefix over one circuit only", "ER003", Status::Warn, || {
            run(&[healthy("ckt-a", "gw1").route("10.9.0.0/16", &["primary", "secondary"]).route("10.8.0.0/16", &["primary", "secondary"]), healthy("ckt-b", "gw1").route("172.20.0.0/16", &["primary", "secondary"])], &[])
        }, |f| {
            assert_eq!(gw(f), "gw1");
            assert_eq!(names(f), ["ckt-a", "ckt-b"]);
            assert!(f.evidence.contains(&"ckt-a lacks 1 prefix: 172.20.0.0/16".to_string()), "{:?}", f.evidence);
            assert!(f.evidence.contains(&"ckt-b lacks 2 prefixes: 10.8.0.0/16, 10.9.0.0/16".to_string()), "{:?}", f.evidence);
        }),
        case("a circuit's routes not read", "ER003", Status::Unknown, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1").drop("/peerings/AzurePrivatePeering/routeTables/primary")], &[]), |f| {
            assert!(f.message.contains("ckt-b: the primary route table was not collected"), "{}", f.message);
        }),
        // ER004 prefix-limit-headroom
        case("3 of 4,000", "ER004", Status::Pass, || run(&[healthy("ckt-a", "gw1")], &[]), |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert_eq!(gw(f), "gw1");
            assert!(f.message.contains("at most 3 of 4000 prefixes"), "{}", f.message);
        }),
        case("3,500 of 4,000 on Standard", "ER004", Status::Warn, || run(&[healthy("ckt-a", "gw1").state("secondary", "3500")], &[]), |f| {
            assert_eq!(names(f), ["ckt-a"]);
            assert!(f.message.contains("3500 of 4000 prefixes on the secondary path: 12% headroom"), "{}", f.message);
        }),
        case("3,500 of 10,000 on Premium", "ER004", Status::Pass, || run(&[healthy("ckt-a", "gw1").tier("Premium").state("secondary", "3500")], &[]), |f| {
            assert!(f.message.contains("3500 of 10000"), "{}", f.message);
        }),
        case("over the limit", "ER004", Status::Fail, || run(&[healthy("ckt-a", "gw1").state("primary", "4100")], &[]), |f| {
            assert!(f.message.contains("4100 prefixes received on the primary path, over the limit of 4000"), "{}", f.message);
        }),
        case("Microsoft peering at 190 of 200", "ER004", Status::Warn, || fleet::diagnose(&[facts_fixture("microsoft-peering-190.json")], &[]), |f| {
            assert_eq!(f.peering.as_deref(), Some("MicrosoftPeering"));
            assert!(f.message.contains("190 of 200 prefixes on the primary path: 5% headroom"), "{}", f.message);
        }),
        // ER005 routing-weights
        case("equal weights across two locations", "ER005", Status::Pass, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1").location(Some("London"))], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert!(f.message.starts_with("Note: all 2 connections of gateway gw1 weigh 0") && f.message.contains("Amsterdam, London (ECMP)"), "{}", f.message);
        }),
        case("the preferred circuit is healthy", "ER005", Status::Pass, || run(&[healthy("ckt-a", "gw1").weight(Some(100)), healthy("ckt-b", "gw1")], &[]), |f| {
            assert!(f.message.contains("prefers ckt-a (weight 100), which is up on both paths"), "{}", f.message);
        }),
        case("the preferred circuit lost a path", "ER005", Status::Warn, || run(&[healthy("ckt-a", "gw1").weight(Some(100)).state("secondary", "Idle"), healthy("ckt-b", "gw1")], &[]), |f| {
            assert_eq!(names(f), ["ckt-a", "ckt-b"]);
            assert!(f.message.contains("prefers ckt-a (weight 100)") && f.message.contains("not Established on the secondary path"), "{}", f.message);
        }),
        case("the preferred circuit lacks a prefix", "ER005", Status::Warn, || {
            run(&[healthy("ckt-a", "gw1").weight(Some(100)), healthy("ckt-b", "gw1").route("10.9.0.0/16", &["primary", "secondary"])], &[])
        }, |f| {
            assert!(f.message.contains("ckt-a lacks 1 prefix other circuits carry from on-premises: 10.9.0.0/16"), "{}", f.message);
        }),
        case("a weight not in the input", "ER005", Status::Unknown, || run(&[healthy("ckt-a", "gw1").weight(None), healthy("ckt-b", "gw1")], &[]), |f| {
            assert!(f.message.contains("routing weight of the connection to ckt-a is not in the input"), "{}", f.message);
        }),
        // ER006 direct-port-oversubscribed
        case("10 Gbps on a 10 Gbps port", "ER006", Status::Pass, || run(&[circuit("healthy-direct", "erd-a", "gw1")], &[port(10.0)]), |f| {
            assert_eq!(names(f), ["erd-a"]);
            assert!(f.message.contains("Port erd-port-ams: its 1 circuits provision 10 Gbps of 10 Gbps per link"), "{}", f.message);
        }),
        case("20 Gbps on a 10 Gbps port", "ER006", Status::Fail, || run(&[circuit("healthy-direct", "erd-a", "gw1"), circuit("healthy-direct", "erd-b", "gw2")], &[port(10.0)]), |f| {
            assert_eq!(names(f), ["erd-a", "erd-b"]);
            assert!(f.message.contains("Port erd-port-ams is oversubscribed: its 2 circuits provision 20 Gbps on a port of 10 Gbps per link"), "{}", f.message);
        }),
        case("a circuit not collected on the port", "ER006", Status::Fail, || {
            let mut lost = CircuitFacts::not_collected(&format!("{SUB}/expressRouteCircuits/erd-lost"), "erd-lost", "HTTP 403 AuthorizationFailed");
            lost.port = Some(port(10.0).id);
            lost.bandwidth_mbps = Some(5_000);
            fleet::diagnose(&[circuit("healthy-direct", "erd-a", "gw1").facts(), lost], &[port(10.0)])
        }, |f| {
            assert_eq!(names(f), ["erd-a", "erd-lost"]);
            assert!(f.message.contains("provision 15 Gbps on a port of 10 Gbps"), "{}", f.message);
        }),
        case("a port not listed", "ER006", Status::Unknown, || run(&[circuit("healthy-direct", "erd-a", "gw1")], &[]), |f| {
            assert!(f.message.contains("its bandwidth is not known"), "{}", f.message);
        }),
        // ER007 gateway-not-zone-redundant
        case("ErGw1AZ", "ER007", Status::Pass, || run(&[healthy("ckt-a", "gw1")], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert!(f.message.contains("gw1 is zone-redundant (ErGw1AZ)"), "{}", f.message);
        }),
        case("Standard where there are no zones", "ER007", Status::Pass, || run(&[healthy("ckt-a", "gw1").sku("Standard", "westcentralus")], &[]), |f| {
            assert!(f.message.contains("a region without availability zones"), "{}", f.message);
        }),
        case("ErGw1 in West Europe", "ER007", Status::Warn, || run(&[healthy("ckt-a", "gw1").sku("ErGw1", "westeurope"), healthy("ckt-b", "gw1")], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert_eq!(names(f), ["ckt-a", "ckt-b"]);
            assert!(f.message.contains("Gateway gw1 (ErGw1) is not zone-redundant, in westeurope"), "{}", f.message);
        }),
        case("a gateway erdiag may not read", "ER007", Status::Unknown, || run(&[healthy("ckt-a", "gw1").drop_gateway()], &[]), |f| {
            assert!(f.message.contains("gateway gw1 could not be read") && f.message.contains("403"), "{}", f.message);
        }),
        // ER008 ce-bfd-missing
        case("BFD on every CE", "ER008", Status::Pass, || run(&[healthy("ckt-a", "gw1").ce(&[]), healthy("ckt-b", "gw1").ce(&[])], &[]), |f| {
            assert!(f.message.contains("BFD is on for every CE session of its circuits (4 paths)"), "{}", f.message);
        }),
        case("one CE without BFD", "ER008", Status::Warn, || run(&[healthy("ckt-a", "gw1").ce(&[]), healthy("ckt-b", "gw1").ce(&["secondary"])], &[]), |f| {
            assert_eq!(gw(f), "gw1");
            assert_eq!(names(f), ["ckt-a", "ckt-b"]);
            assert!(f.message.contains("not configured on the CE session of ckt-b secondary"), "{}", f.message);
        }),
        case("no CE configuration", "ER008", Status::Skip, || run(&[healthy("ckt-a", "gw1"), healthy("ckt-b", "gw1")], &[]), |f| {
            assert!(f.message.contains("no CE configuration supplied"), "{}", f.message);
        }),
        case("CE configurations of one circuit only", "ER008", Status::Unknown, || run(&[healthy("ckt-a", "gw1").ce(&[]), healthy("ckt-b", "gw1")], &[]), |f| {
            assert!(f.message.contains("not known for ckt-b primary (no CE configuration supplied), ckt-b secondary"), "{}", f.message);
        }),
    ]
}

#[test]
fn every_fleet_check_has_a_passing_and_a_failing_fleet() {
    let mut seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for case in cases() {
        let findings = (case.findings)();
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.check == case.check).collect();
        let hits: Vec<&&Finding> = mine.iter().filter(|f| f.status == case.want).collect();
        assert!(!hits.is_empty(), "{}: no {} finding with status {:?}; got {mine:#?}", case.name, case.check, case.want);
        for f in hits {
            assert_eq!(f.layer, Layer::Resiliency);
            (case.also)(f);
        }
        seen.entry(case.check).or_default().insert(case.want.as_str());
    }
    for c in registry::FLEET {
        let s = seen.get(c.id).cloned().unwrap_or_default();
        assert!(s.contains("pass"), "{} {} has no passing fleet", c.id, c.name);
        assert!(s.contains("fail") || s.contains("warn"), "{} {} has no failing fleet", c.id, c.name);
    }
}

#[test]
fn fleet_findings_do_not_depend_on_the_order_circuits_arrive_in() {
    let cs = [healthy("ckt-a", "gw1").route("10.9.0.0/16", &["primary"]), healthy("ckt-b", "gw1").location(Some("London")), healthy("ckt-c", "gw2")];
    let reversed: Vec<Ckt> = cs.iter().rev().cloned().collect();
    let a = serde_json::to_value(run(&cs, &[])).unwrap();
    let b = serde_json::to_value(run(&reversed, &[])).unwrap();
    assert_eq!(a, b);
}

#[test]
fn circuit_facts_survive_a_round_trip_through_json() {
    let f = healthy("ckt-a", "gw1").ce(&["primary"]).facts();
    let text = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<CircuitFacts>(&text).unwrap(), f);
    // Compact: the facts of a circuit are a small fraction of its snapshot.
    let snapshot = serde_json::to_string(&healthy("ckt-a", "gw1").ce(&["primary"]).v).unwrap();
    assert!(text.len() * 4 < snapshot.len(), "{} bytes of facts for a snapshot of {}", text.len(), snapshot.len());
}

#[test]
fn a_single_circuits_diagnosis_runs_no_fleet_check_and_reports_no_fleet_field() {
    let c = healthy("ckt-a", "gw1").route("10.9.0.0/16", &["primary"]);
    let bytes = serde_json::to_vec(&c.v).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    let r = erdiag_checks::diagnose(&state, &Options::default());
    assert!(r.findings.iter().all(|f| f.layer != Layer::Resiliency && f.circuits.is_empty() && f.gateway.is_none()));
    let v = serde_json::to_value(&r).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f.get("circuits").is_none() && f.get("gateway").is_none()));
    // The one circuit's ER501 and the fleet's ER002 see the same difference.
    assert!(r.findings.iter().any(|f| f.check == "ER501" && f.status == Status::Warn));
    assert!(run(&[c], &[]).iter().any(|f| f.check == "ER002" && f.status == Status::Warn));
}

/// Not a test: the cost of a fleet of 1,000 circuits (500 gateways of two)
/// in facts and time. `cargo test -p erdiag-checks --release --test fleet
/// -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_a_fleet_of_1000() {
    let template = serde_json::to_string(&healthy("ckt-x", "gw-x").v).unwrap();
    let t = std::time::Instant::now();
    let facts: Vec<CircuitFacts> = (0..1000)
        .map(|i| {
            let text = template.replace("ckt-x", &format!("ckt-{i:04}")).replace("gw-x", &format!("gw-{:03}", i / 2));
            let state = Snapshot::from_slice(text.as_bytes()).unwrap().decode().unwrap();
            CircuitFacts::from_state(&state)
        })
        .collect();
    let read = t.elapsed();
    let t = std::time::Instant::now();
    let findings = fleet::diagnose(&facts, &[]);
    let diagnosed = t.elapsed();
    let bytes: usize = facts.iter().map(|f| serde_json::to_string(f).unwrap().len()).sum();
    println!(
        "1000 circuits: decode + from_state {read:?}; fleet::diagnose {diagnosed:?}, {} findings; facts {} KB as JSON ({} B a circuit; its snapshot {} B)",
        findings.len(),
        bytes / 1000,
        bytes / 1000,
        template.len()
    );
}
