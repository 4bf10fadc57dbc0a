//! Conformance: every response body in the Azure REST API specification
//! examples that belongs to a resource erdiag reads parses into its type.
//!
//! The corpus is found through `ERDIAG_CORPUS` (a folder holding
//! `azure-rest-api-specs/`); `.ci/run` points it at `../shared/corpus`.
//! Without it the test is skipped with a notice — except under CI, where a
//! missing corpus is a failure.

mod support;

use erdiag_model::*;
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    erdiag_testsupport::corpus("azure-rest-api-specs", "the Azure REST API corpus conformance test")
}

/// What each example file holds, by file name. Every file of the corpus must
/// be listed: a new file is either a resource erdiag reads or named as not ours.
fn kind(file: &str) -> Option<&'static str> {
    let f = file.trim_end_matches(".json");
    Some(match f {
        "ExpressRouteCircuitGet" | "ExpressRouteCircuitCreate" | "ExpressRouteCircuitCreateOnExpressRoutePort" | "ExpressRouteCircuitUpdateTags" => "circuit",
        "ExpressRouteCircuitListByResourceGroup" | "ExpressRouteCircuitListBySubscription" => "circuit-list",
        "ExpressRouteCircuitPeeringGet" | "ExpressRouteCircuitPeeringCreate" => "peering",
        "ExpressRouteCircuitPeeringList" => "peering-list",
        "ExpressRouteCircuitARPTableList" => "arp",
        "ExpressRouteCircuitRouteTableList" => "routes",
        "ExpressRouteCircuitRouteTableSummaryList" => "summary",
        "ExpressRouteCircuitStats" | "ExpressRouteCircuitPeeringStats" => "stats",
        "VirtualNetworkGatewayGet" => "gateway",
        "VirtualNetworkGatewayConnectionGet" => "connection",
        "VirtualNetworkGatewaysListConnections" => "connection-list",
        "ExpressRoutePortGet" | "ExpressRoutePortCreate" | "ExpressRoutePortUpdateLink" | "ExpressRoutePortUpdateTags" => "port",
        "ExpressRoutePortList" | "ExpressRoutePortListByResourceGroup" => "port-list",
        // Typed in globalreach_corpus.rs (authorizations, Global Reach circuit
        // connections) and corpus_vwan.rs (Virtual WAN gateways); not read by
        // erdiag: the provider's cross-connection view, Direct port locations
        // and authorizations, the provider catalogue, and deletions (no bodies).
        _ if f.contains("Authorization")
            || f.contains("CircuitConnection")
            || f.starts_with("ExpressRouteCrossConnection")
            || f.starts_with("ExpressRouteGateway")
            || f.starts_with("ExpressRoutePort")
            || f == "ExpressRouteProviderList"
            || f.ends_with("Delete") =>
        {
            "not-ours"
        }
        _ => return None,
    })
}

fn parse(kind: &str, body: &Value) -> Result<(), String> {
    fn de<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, String> {
        serde_path_to_error::deserialize(v).map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }
    match kind {
        "circuit" => {
            let c: ExpressRouteCircuit = de(body)?;
            let raw = &body["properties"];
            assert_eq!(c.properties.circuit_provisioning_state.as_deref(), raw["circuitProvisioningState"].as_str());
            assert_eq!(c.properties.service_provider_provisioning_state.as_deref(), raw["serviceProviderProvisioningState"].as_str());
            assert_eq!(c.properties.service_key.as_deref(), raw["serviceKey"].as_str());
            assert_eq!(c.is_direct(), raw.get("expressRoutePort").is_some());
            assert_eq!(c.properties.stag, raw["stag"].as_u64());
        }
        "circuit-list" => {
            de::<List<ExpressRouteCircuit>>(body)?;
        }
        "peering" => {
            let p: Peering = de(body)?;
            let raw = &body["properties"];
            assert_eq!(p.properties.vlan_id, raw["vlanId"].as_u64());
            assert_eq!(p.properties.peer_asn, raw["peerASN"].as_u64());
            assert_eq!(p.properties.azure_asn, raw["azureASN"].as_u64());
            assert_eq!(p.properties.primary_peer_address_prefix.as_deref(), raw["primaryPeerAddressPrefix"].as_str());
        }
        "peering-list" => {
            de::<List<Peering>>(body)?;
        }
        "arp" => {
            let l: List<ArpEntry> = de(body)?;
            assert!(!l.value.is_empty());
        }
        "routes" => {
            de::<List<RouteEntry>>(body)?;
        }
        "summary" => {
            let l: List<RouteSummaryEntry> = de(body)?;
            assert_eq!(l.value[0].state_pfx_rcd, BgpState::Idle);
        }
        "stats" => {
            let s: Stats = de(body)?;
            assert_eq!(s.primary_bytes_in, body["primarybytesIn"].as_u64());
            assert_eq!(s.secondary_bytes_out, body["secondarybytesOut"].as_u64());
        }
        "gateway" => {
            de::<VirtualNetworkGateway>(body)?;
        }
        "connection" => {
            let c: Connection = de(body)?;
            assert!(c.properties.virtual_network_gateway1.is_some());
        }
        "port" => port_facts(&de(body)?, body),
        "port-list" => {
            let l: List<erdiag_model::direct::ExpressRoutePort> = de(body)?;
            for (p, raw) in l.value.iter().zip(body["value"].as_array().unwrap()) {
                port_facts(p, raw);
            }
        }
        "connection-list" => {
            de::<List<Connection>>(body)?;
        }
        other => unreachable!("{other}"),
    }
    Ok(())
}

/// A port's links decode with their admin state, place and MACsec cipher,
/// link1 on the primary path and link2 on the secondary.
fn port_facts(p: &erdiag_model::direct::ExpressRoutePort, raw: &Value) {
    let links = raw["properties"]["links"].as_array().cloned().unwrap_or_default();
    assert_eq!(p.links().len(), links.len());
    assert_eq!(p.properties.bandwidth_in_gbps, raw["properties"]["bandwidthInGbps"].as_f64());
    assert_eq!(p.properties.encapsulation.as_deref(), raw["properties"]["encapsulation"].as_str());
    for (l, r) in p.links().iter().zip(&links) {
        let rp = &r["properties"];
        assert_eq!(l.properties.admin_state.as_deref(), rp["adminState"].as_str());
        assert_eq!(l.admin_disabled(), rp["adminState"] == "Disabled");
        assert_eq!(l.properties.router_name.as_deref(), rp["routerName"].as_str());
        assert_eq!(l.properties.patch_panel_id.as_deref(), rp["patchPanelId"].as_str());
        assert_eq!(l.properties.mac_sec_config.as_ref().and_then(|m| m.cipher.as_deref()), rp["macSecConfig"]["cipher"].as_str());
        let expected = match r["name"].as_str() {
            Some("link1") => Some(DevicePath::Primary),
            Some("link2") => Some(DevicePath::Secondary),
            _ => None,
        };
        assert_eq!(l.path(), expected);
    }
}

#[test]
fn every_rest_api_example_of_a_resource_erdiag_reads_parses() {
    let Some(root) = corpus() else { return };
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path().join("examples")).filter(|p| p.is_dir()).collect();
    folders.sort();
    assert!(!folders.is_empty(), "no */examples folder under {}", root.display());
    let (mut parsed, mut skipped, mut errors) = (0, 0, Vec::new());
    for dir in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let Some(k) = kind(&name) else {
                errors.push(format!("{name}: not classified; say which type it is or that erdiag does not read it"));
                continue;
            };
            if k == "not-ours" {
                skipped += 1;
                continue;
            }
            let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            let responses = v["responses"].as_object().unwrap();
            let mut bodies = 0;
            for (code, resp) in responses {
                if let Some(body) = resp.get("body") {
                    bodies += 1;
                    if let Err(e) = parse(k, body) {
                        errors.push(format!("{name} response {code}: {e}"));
                    }
                }
            }
            assert!(bodies > 0, "{name} has no response body");
            parsed += 1;
        }
    }
    eprintln!("corpus: {parsed} example files parsed, {skipped} not read by erdiag");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(parsed >= 14, "only {parsed} example files parsed");
}

/// The Azure Monitor `Metrics_List` examples (api-version 2024-02-01) parse
/// into [`Metrics`], every point and per-metric error as the body has it.
#[test]
fn every_azure_monitor_metrics_example_parses() {
    let Some(root) = corpus() else { return };
    let dir = root.parent().unwrap().join("azure-monitor-metrics/examples");
    let mut checked = 0;
    for name in ["GetMetric.json", "GetMetricError.json", "GetMetricMetadata.json"] {
        let v: Value = serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        let body = &v["responses"]["200"]["body"];
        let m: Metrics = serde_path_to_error::deserialize(body).unwrap_or_else(|e| panic!("{name}: {}: {}", e.path(), e.inner()));
        support::assert_metrics_match(name, &m.value, body["value"].as_array().unwrap());
        assert!(m.window().is_some(), "{name}: timespan");
        checked += 1;
    }
    assert_eq!(checked, 3);
}
