//! Conformance: the Virtual WAN ExpressRoute gateway examples of the Azure
//! REST API specification decode through the model's accessors with their
//! facts (hub, scale units, connections and the peerings they connect).

use erdiag_model::vwan::is_gateway_path;
use erdiag_model::{normalize_path, ExpressRouteGateway};
use serde_json::Value;

fn examples() -> Vec<(String, Value)> {
    let Some(root) = erdiag_testsupport::corpus("azure-rest-api-specs", "the Virtual WAN gateway conformance test") else { return Vec::new() };
    let mut out = Vec::new();
    for version in std::fs::read_dir(&root).unwrap().flatten() {
        let dir = version.path().join("examples");
        for f in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.starts_with("ExpressRouteGateway") && !name.contains("Delete") {
                out.push((name, serde_json::from_slice(&std::fs::read(f.path()).unwrap()).unwrap()));
            }
        }
    }
    out
}

/// Asserts that the typed gateway says what its raw body says.
fn same(file: &str, raw: &Value) {
    let g: ExpressRouteGateway = serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let p = &raw["properties"];
    assert_eq!(g.properties.provisioning_state.as_deref(), p["provisioningState"].as_str(), "{file}");
    assert_eq!(g.min_scale_units(), p.pointer("/autoScaleConfiguration/bounds/min").and_then(Value::as_u64), "{file}");
    assert_eq!(g.properties.allow_non_virtual_wan_traffic, p["allowNonVirtualWanTraffic"].as_bool(), "{file}");
    let hub = p.pointer("/virtualHub/id").and_then(Value::as_str);
    assert_eq!(g.hub_name(), hub.map(erdiag_model::last_segment), "{file}");
    let conns = p["expressRouteConnections"].as_array().cloned().unwrap_or_default();
    let typed = g.properties.express_route_connections.clone().unwrap_or_default();
    assert_eq!(typed.len(), conns.len(), "{file}");
    for (t, r) in typed.iter().zip(&conns) {
        let peering = r.pointer("/properties/expressRouteCircuitPeering/id").and_then(Value::as_str).unwrap();
        assert_eq!(t.peering(), Some(normalize_path(peering)), "{file}");
        let circuit = &peering[..peering.to_ascii_lowercase().find("/peerings/").unwrap()];
        assert!(t.connects(circuit), "{file}: {} does not connect {circuit}", t.label());
        assert!(!t.connects("/subscriptions/subid/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/other"), "{file}");
        assert_eq!(g.connections_to(circuit).len(), 1, "{file}");
        assert_eq!(t.properties.provisioning_state.as_deref(), r.pointer("/properties/provisioningState").and_then(Value::as_str), "{file}");
    }
    if let Some(id) = raw["id"].as_str() {
        assert!(is_gateway_path(&normalize_path(id)), "{file}: {id}");
        assert!(!is_gateway_path(&normalize_path(&format!("{id}/expressRouteConnections"))), "{file}");
    }
}

#[test]
fn every_express_route_gateway_example_decodes_with_its_hub_scale_units_and_connections() {
    let files = examples();
    if files.is_empty() {
        return;
    }
    let mut gateways = 0;
    for (file, v) in &files {
        for (status, resp) in v["responses"].as_object().into_iter().flatten() {
            let body = &resp["body"];
            if !status.starts_with('2') || body.is_null() {
                continue;
            }
            let items: Vec<Value> = match body.get("value").and_then(Value::as_array) {
                Some(list) => list.clone(),
                None => vec![body.clone()],
            };
            for g in items {
                same(file, &g);
                gateways += 1;
            }
        }
    }
    assert!(gateways >= 4, "only {gateways} gateways in {} files", files.len());
}
