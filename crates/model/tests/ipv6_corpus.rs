//! Conformance of the IPv6 model: every peering in the Azure REST API
//! specification examples (a peering's GET, PUT, list, and the peerings
//! embedded in circuits) that carries an `ipv6PeeringConfig` decodes through
//! `Peering::ipv6` with its /126s, state and Microsoft peering prefixes as
//! the example writes them. Needs `ERDIAG_CORPUS` (skipped with a notice
//! without it, a failure under `CI`).

use erdiag_model::{DevicePath, Peering};
use serde_json::Value;

/// The peering bodies of one example response: the body itself, its list,
/// or the peerings embedded in a circuit (or in each circuit of a list).
fn peerings(body: &Value) -> Vec<&Value> {
    let items: Vec<&Value> = match body["value"].as_array() {
        Some(list) => list.iter().collect(),
        None => vec![body],
    };
    items
        .into_iter()
        .flat_map(|b| match b["properties"]["peerings"].as_array() {
            Some(embedded) => embedded.iter().collect(),
            None => vec![b],
        })
        .collect()
}

#[test]
fn every_ipv6_peering_example_decodes_with_its_126s_and_state() {
    let Some(root) = erdiag_testsupport::corpus("azure-rest-api-specs", "the IPv6 peering corpus conformance test") else { return };
    let mut seen = 0;
    for version in std::fs::read_dir(&root).unwrap() {
        let dir = version.unwrap().path().join("examples");
        let Ok(files) = std::fs::read_dir(&dir) else { continue };
        for f in files {
            let path = f.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.starts_with("ExpressRouteCircuit") {
                continue;
            }
            let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for (code, resp) in v["responses"].as_object().into_iter().flatten() {
                for raw in peerings(&resp["body"]).into_iter().filter(|p| p["properties"]["ipv6PeeringConfig"].is_object()) {
                    let p: Peering = serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("{name} {code}: {e}"));
                    let want = &raw["properties"]["ipv6PeeringConfig"];
                    let v6 = p.ipv6().unwrap_or_else(|| panic!("{name} {code}: ipv6PeeringConfig not decoded"));
                    for (d, field) in [(DevicePath::Primary, "primaryPeerAddressPrefix"), (DevicePath::Secondary, "secondaryPeerAddressPrefix")] {
                        assert_eq!(v6.prefix(d), want[field].as_str(), "{name} {code}: {field}");
                        let sub = v6.addresses(d).unwrap_or_else(|| panic!("{name} {code}: {field} is not a valid /126"));
                        assert_eq!(sub.net.prefix_len(), 126);
                        let net: ipnet::Ipv6Net = want[field].as_str().unwrap().parse().unwrap();
                        assert_eq!(sub.msee, std::net::IpAddr::from(std::net::Ipv6Addr::from(u128::from(net.network()) + 2)), "the MSEE is the second usable");
                    }
                    assert_eq!(v6.state.as_deref(), want["state"].as_str(), "{name} {code}: state");
                    assert_eq!(v6.is_disabled(), want["state"] == "Disabled");
                    let ms = want["microsoftPeeringConfig"]["advertisedPublicPrefixes"].as_array().map(Vec::len);
                    assert_eq!(v6.microsoft_peering_config.as_ref().map(|m| m.advertised_public_prefixes.len()), ms, "{name} {code}");
                    seen += 1;
                }
            }
        }
    }
    eprintln!("ipv6 corpus: {seen} IPv6 peering bodies decoded");
    assert!(seen >= 4, "only {seen} IPv6 peering bodies in the corpus");
}
