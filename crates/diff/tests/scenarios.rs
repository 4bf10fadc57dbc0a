//! Diff on every scenario against the healthy scenario it breaks: each
//! faulty scenario is its base with one fault (see its README), so the diff
//! must name exactly the changes that fault makes, and nothing else.
//!
//! A signature is `kind place key change`: the key is the prefix, neighbor,
//! IP, table or property path. A new scenario needs its line here.

use erdiag_model::Snapshot;

/// Both BGP sessions of the private peering down (the CE, an MD5 key, an
/// AS number, the prefix limit…): the sessions leave Established, the
/// on-premises prefixes are withdrawn on both MSEEs, and the gateway learns nothing.
const BOTH_SESSIONS_DOWN: &[&str] = &[
    "bgp AzurePrivatePeering primary 172.16.0.1 changed",
    "bgp AzurePrivatePeering secondary 172.16.0.5 changed",
];

/// The gateway's four sessions (two instances, two MSEEs) receive nothing, and the on-premises prefixes leave its learned routes.
const GATEWAY_LEARNS_NOTHING: &[&str] = &[
    "bgp gateway ergw-hub-weu 10.17.17.132 changed",
    "bgp gateway ergw-hub-weu 10.17.17.133 changed",
    "bgp gateway ergw-hub-weu 10.17.17.132 changed",
    "bgp gateway ergw-hub-weu 10.17.17.133 changed",
    "learnedRoute gateway ergw-hub-weu 10.2.20.0/25 withdrawn",
    "learnedRoute gateway ergw-hub-weu 10.2.30.0/24 withdrawn",
    "learnedRoute gateway ergw-hub-weu 192.168.50.0/24 withdrawn",
];

/// The private peering's six tables (summary, ARP, routes; both paths) read in one snapshot only.
const PRIVATE_TABLES_UNREAD: &[&str] = &[
    "coverage AzurePrivatePeering primary routeTableSummary -",
    "coverage AzurePrivatePeering primary arpTable -",
    "coverage AzurePrivatePeering primary routeTable -",
    "coverage AzurePrivatePeering secondary routeTableSummary -",
    "coverage AzurePrivatePeering secondary arpTable -",
    "coverage AzurePrivatePeering secondary routeTable -",
];

/// The Microsoft peering's six tables read in one snapshot only.
const MICROSOFT_TABLES_UNREAD: &[&str] = &[
    "coverage MicrosoftPeering primary routeTableSummary -",
    "coverage MicrosoftPeering primary arpTable -",
    "coverage MicrosoftPeering primary routeTable -",
    "coverage MicrosoftPeering secondary routeTableSummary -",
    "coverage MicrosoftPeering secondary arpTable -",
    "coverage MicrosoftPeering secondary routeTable -",
];

/// The gateway (its body, peers, learned routes and Resource Health) read in one snapshot only.
const GATEWAY_UNREAD: &[&str] = &[
    "coverage gateway ergw-hub-weu bgpPeers -",
    "coverage gateway ergw-hub-weu learnedRoutes -",
    "coverage gateway ergw-hub-weu gateway -",
    "coverage health ergw-hub-weu health -",
];

/// The three on-premises prefixes withdrawn from the primary MSEE.
const ONPREM_ROUTES_GONE_PRIMARY: &[&str] = &[
    "route AzurePrivatePeering primary 10.2.20.0/25 withdrawn",
    "route AzurePrivatePeering primary 10.2.30.0/24 withdrawn",
    "route AzurePrivatePeering primary 192.168.50.0/24 withdrawn",
];

/// The three on-premises prefixes withdrawn from the secondary MSEE.
const ONPREM_ROUTES_GONE_SECONDARY: &[&str] = &[
    "route AzurePrivatePeering secondary 10.2.20.0/25 withdrawn",
    "route AzurePrivatePeering secondary 10.2.30.0/24 withdrawn",
    "route AzurePrivatePeering secondary 192.168.50.0/24 withdrawn",
];

/// The gateway learns the on-premises prefixes through one MSEE only.
const GATEWAY_LEARNS_FROM_ONE_MSEE: &[&str] = &[
    "learnedRoute gateway ergw-hub-weu 10.2.20.0/25 changed",
    "learnedRoute gateway ergw-hub-weu 10.2.30.0/24 changed",
    "learnedRoute gateway ergw-hub-weu 192.168.50.0/24 changed",
];

/// The CE's address on the wrong VLAN: ARP on both MSEEs no longer resolves it.
const BOTH_ARP_UNRESOLVED: &[&str] = &[
    "arp AzurePrivatePeering primary 172.16.0.1 changed",
    "arp AzurePrivatePeering secondary 172.16.0.5 changed",
];

/// The primary CE answers from another address of the /30: the expected one
/// leaves the MSEE's ARP table, the other appears, the session and the
/// gateway's peers of that MSEE go down.
const PRIMARY_CE_AT_ANOTHER_ADDRESS: &[&str] = &[
    "bgp AzurePrivatePeering primary 172.16.0.1 changed",
    "arp AzurePrivatePeering primary 172.16.0.1 removed",
    "arp AzurePrivatePeering primary 172.16.0.3 added",
    "bgp gateway ergw-hub-weu 10.17.17.132 changed",
    "bgp gateway ergw-hub-weu 10.17.17.132 changed",
];

/// The on-premises IPv6 prefixes withdrawn from the secondary MSEE, so that
/// the gateway learns them through the primary MSEE only.
const IPV6_SECONDARY_PREFIXES_GONE: &[&str] = &[
    "learnedRoute gateway ergw-hub-weu 2001:db8:2c0:100::/56 changed",
    "learnedRoute gateway ergw-hub-weu 2001:db8:2c0:200::/56 changed",
    "route AzurePrivatePeering secondary 2001:db8:2c0:100::/56 withdrawn",
    "route AzurePrivatePeering secondary 2001:db8:2c0:200::/56 withdrawn",
];

/// The VNet behind the hub no longer on either MSEE.
const VNET_ROUTE_WITHDRAWN: &[&str] = &[
    "route AzurePrivatePeering primary 10.1.0.0/16 withdrawn",
    "route AzurePrivatePeering secondary 10.1.0.0/16 withdrawn",
];

/// A Global Reach link added to the private peering (the other circuit is
/// not the diffed circuit: its side is not compared).
const GLOBAL_REACH_ADDED: &[&str] = &[
    "property circuit er-ckt-ams properties.globalReachEnabled changed",
    "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.connections[gr-ams-lon] added",
];

/// (scenario, its healthy base, the changes expected, in groups).
const PAIRS: &[(&str, &str, &[&[&str]])] = &[
    // The ACL tests differ only in what the user supplies (inputs), which diff does not compare;
    // traffic-one-way only in counters, which are rates (not changes) and the same time.
    ("acl-test-msee-silent", "healthy-private", &[]),
    ("acl-test-return-path", "healthy-private", &[]),
    ("arp-call-failed", "healthy-private", &[&[
        "coverage AzurePrivatePeering primary arpTable -",
        "coverage AzurePrivatePeering secondary arpTable -",
    ]]),
    ("ce-advertises-nothing", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-local-as-mismatch", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-md5-missing", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-md5-suspect", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-neighbor-is-self", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-remote-as-mismatch", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-vlan-mismatch", "healthy-private", &[BOTH_SESSIONS_DOWN, BOTH_ARP_UNRESOLVED, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("ce-wrong-address", "healthy-private", &[PRIMARY_CE_AT_ANOTHER_ADDRESS, ONPREM_ROUTES_GONE_PRIMARY, GATEWAY_LEARNS_FROM_ONE_MSEE]),
    ("circuit-not-enabled", "healthy-private", &[GATEWAY_LEARNS_NOTHING, PRIVATE_TABLES_UNREAD, &[
        "property connection conn-ergw-hub-weu-er-ckt-ams properties.connectionStatus changed",
        "property circuit er-ckt-ams properties.circuitProvisioningState changed",
    ]]),
    ("connections-list-failed", "healthy-private", &[GATEWAY_UNREAD, &[
        "coverage connection conn-ergw-hub-weu-er-ckt-ams connection -",
    ]]),
    ("gateway-bgp-down", "healthy-private", &[GATEWAY_LEARNS_NOTHING, &[
        "route AzurePrivatePeering primary 10.1.0.0/16 withdrawn",
        "route AzurePrivatePeering secondary 10.1.0.0/16 withdrawn",
    ]]),
    ("gateway-forbidden", "healthy-private", &[GATEWAY_UNREAD]),
    ("gateway-maintenance", "healthy-private", &[&[
        "property health ergw-hub-weu properties.availabilityState changed",
        "property health ergw-hub-weu properties.occuredTime changed",
        "property health ergw-hub-weu properties.reasonType changed",
        "property health ergw-hub-weu properties.summary changed",
        "property health ergw-hub-weu properties.title changed",
    ]]),
    ("gateway-without-private-peering", "healthy-private-microsoft", &[PRIVATE_TABLES_UNREAD, &[
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering] removed",
    ]]),
    ("import-trimmed-table", "healthy-private", &[GATEWAY_UNREAD, &[
        "coverage circuit stats -",
        "coverage connection conn-ergw-hub-weu-er-ckt-ams connection -",
    ]]),
    ("ipv6-bad-prefix", "ipv6-healthy-dual-stack", &[IPV6_SECONDARY_PREFIXES_GONE, &[
        "bgp AzurePrivatePeering secondary 2001:db8:2c0:10::1 added",
        "bgp AzurePrivatePeering secondary 2001:db8:2c0:10::5 removed",
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.ipv6PeeringConfig.secondaryPeerAddressPrefix changed",
    ]]),
    // The CE configuration is an input, which diff does not compare.
    ("ipv6-ce-neighbor-wrong", "ipv6-session-down-secondary", &[]),
    ("ipv6-gateway-without-v6-peering", "healthy-private", &[&["learnedRoute gateway ergw-hub-weu fd4e:9a1c:77b0::/48 added"]]),
    ("ipv6-healthy-dual-stack", "healthy-private", &[&[
        "bgp AzurePrivatePeering primary 2001:db8:2c0:10::1 added",
        "bgp AzurePrivatePeering secondary 2001:db8:2c0:10::5 added",
        "learnedRoute gateway ergw-hub-weu 2001:db8:2c0:100::/56 added",
        "learnedRoute gateway ergw-hub-weu 2001:db8:2c0:200::/56 added",
        "learnedRoute gateway ergw-hub-weu fd4e:9a1c:77b0::/48 added",
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.ipv6PeeringConfig added",
        "route AzurePrivatePeering primary 2001:db8:2c0:100::/56 added",
        "route AzurePrivatePeering primary 2001:db8:2c0:200::/56 added",
        "route AzurePrivatePeering primary fd4e:9a1c:77b0::/48 added",
        "route AzurePrivatePeering secondary 2001:db8:2c0:100::/56 added",
        "route AzurePrivatePeering secondary 2001:db8:2c0:200::/56 added",
        "route AzurePrivatePeering secondary fd4e:9a1c:77b0::/48 added",
    ]]),
    ("ipv6-session-down-secondary", "ipv6-healthy-dual-stack", &[IPV6_SECONDARY_PREFIXES_GONE, &["bgp AzurePrivatePeering secondary 2001:db8:2c0:10::5 changed"]]),
    ("md5-mismatch", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("microsoft-peering-validation", "healthy-private", &[MICROSOFT_TABLES_UNREAD, &[
        "property circuit er-ckt-ams properties.peerings[MicrosoftPeering] added",
    ]]),
    ("overlapping-prefixes", "healthy-private", &[&[
        "bgp AzurePrivatePeering primary 172.16.0.1 changed",
        "route AzurePrivatePeering primary 10.1.4.0/24 added",
        "bgp AzurePrivatePeering secondary 172.16.0.5 changed",
        "route AzurePrivatePeering secondary 10.1.4.0/24 added",
        "bgp gateway ergw-hub-weu 10.17.17.132 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
        "bgp gateway ergw-hub-weu 10.17.17.132 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
        "learnedRoute gateway ergw-hub-weu 10.1.4.0/24 added",
    ]]),
    ("prefix-limit-exceeded", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("private-peering-not-configured", "healthy-private", &[PRIVATE_TABLES_UNREAD, GATEWAY_UNREAD, &[
        "coverage connection conn-ergw-hub-weu-er-ckt-ams connection -",
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering] removed",
    ]]),
    ("provider-not-provisioned", "healthy-private", &[PRIVATE_TABLES_UNREAD, GATEWAY_UNREAD, &[
        "coverage circuit stats -",
        "coverage connection conn-ergw-hub-weu-er-ckt-ams connection -",
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering] removed",
        "property circuit er-ckt-ams properties.serviceProviderProvisioningState changed",
    ]]),
    ("route-table-call-failed", "healthy-private", &[&[
        "coverage AzurePrivatePeering primary routeTable -",
        "coverage AzurePrivatePeering secondary routeTable -",
    ]]),
    ("secondary-path-down", "healthy-private", &[ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_FROM_ONE_MSEE, &[
        "bgp AzurePrivatePeering secondary 172.16.0.5 changed",
        "arp AzurePrivatePeering secondary 172.16.0.5 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
    ]]),
    ("traffic-one-way", "healthy-private", &[]),
    ("vlan-mismatch", "healthy-private", &[BOTH_SESSIONS_DOWN, BOTH_ARP_UNRESOLVED, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    ("wrong-ce-address-primary", "healthy-private", &[PRIMARY_CE_AT_ANOTHER_ADDRESS, ONPREM_ROUTES_GONE_PRIMARY, GATEWAY_LEARNS_FROM_ONE_MSEE]),
    // Scenarios with a timeline: each snapshot is the state at its collectedAt, after the
    // events of its window (which show in the metrics, not compared here). A flap leaves a
    // session reset; the maintenance on the secondary is still on; the rest is over.
    ("bgp-flap-confirmed", "healthy-private", &[&["bgp AzurePrivatePeering primary 172.16.0.1 changed"]]),
    // A metric glitch: the MSEE's session never reset, so nothing differs.
    ("bgp-flap-unconfirmed", "healthy-private", &[]),
    ("maintenance-secondary", "healthy-private", &[&["bgp AzurePrivatePeering secondary 172.16.0.5 changed"]]),
    ("routes-withdrawn-at-night", "healthy-private", &[&["property health ergw-hub-weu properties.occuredTime changed"]]),
    ("qos-drops", "healthy-private", &[]),
    ("utilisation-high", "healthy-private", &[]),
    ("gateway-cpu-high", "healthy-private", &[]),
    ("metric-gap", "healthy-private", &[]),
    // The port, its Key Vault and their metrics are not compared: what a
    // link or the vault breaks shows on its path, as secondary-path-down.
    ("direct-link-disabled", "healthy-direct", &[ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_FROM_ONE_MSEE, &[
        "bgp AzurePrivatePeering secondary 172.16.0.5 changed",
        "arp AzurePrivatePeering secondary 172.16.0.5 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
    ]]),
    ("direct-light-low", "healthy-direct", &[]),
    ("direct-macsec-one-link", "healthy-direct", &[]),
    // Link1's SCI state disagrees with the CE: the primary path passes no traffic.
    ("direct-macsec-sci-mismatch", "healthy-direct", &[ONPREM_ROUTES_GONE_PRIMARY, GATEWAY_LEARNS_FROM_ONE_MSEE, &[
        "bgp AzurePrivatePeering primary 172.16.0.1 changed",
        "arp AzurePrivatePeering primary 172.16.0.1 changed",
        "bgp gateway ergw-hub-weu 10.17.17.132 changed",
        "bgp gateway ergw-hub-weu 10.17.17.132 changed",
    ]]),
    ("direct-keyvault-firewall", "healthy-direct", &[ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_FROM_ONE_MSEE, &[
        "bgp AzurePrivatePeering secondary 172.16.0.5 changed",
        "arp AzurePrivatePeering secondary 172.16.0.5 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
        "bgp gateway ergw-hub-weu 10.17.17.133 changed",
    ]]),
    ("zero-prefixes-from-onprem", "healthy-private", &[BOTH_SESSIONS_DOWN, ONPREM_ROUTES_GONE_PRIMARY, ONPREM_ROUTES_GONE_SECONDARY, GATEWAY_LEARNS_NOTHING]),
    // Virtual WAN: the hub's gateway replaces the VNet's (it has no BGP peer status nor
    // learned routes); the faults are against vwan-healthy. The hub itself is not compared:
    // its routingState going Failed shows as the VNet route withdrawn.
    ("vwan-healthy", "healthy-private", &[&[
        "coverage gateway ergw-hub-weu bgpPeers -",
        "coverage gateway ergw-hub-weu learnedRoutes -",
        "coverage health ergw-vwan-weu health -",
        "property connection conn-ergw-hub-weu-er-ckt-ams  removed",
        "property gateway ergw-hub-weu  removed",
        "property health ergw-hub-weu  removed",
        "route AzurePrivatePeering primary 10.1.0.0/16 changed",
        "route AzurePrivatePeering secondary 10.1.0.0/16 changed",
    ]]),
    ("vwan-hub-routing-failed", "vwan-healthy", &[VNET_ROUTE_WITHDRAWN]),
    ("vwan-connection-missing", "vwan-healthy", &[VNET_ROUTE_WITHDRAWN, &["property health ergw-vwan-weu  removed"]]),
    ("vwan-scale-units-undersized", "vwan-healthy", &[&["property circuit er-ckt-ams properties.serviceProviderProperties.bandwidthInMbps changed"]]),
    ("fastpath-unsupported-sku", "healthy-private", &[&["property connection conn-ergw-hub-weu-er-ckt-ams properties.expressRouteGatewayBypass changed"]]),
    // Global Reach and authorizations: the changes are in the circuit body; the
    // other circuit of a link is not the diffed circuit, so a one-sided link shows none.
    ("global-reach-healthy", "healthy-private", &[GLOBAL_REACH_ADDED]),
    ("global-reach-one-sided", "global-reach-healthy", &[]),
    ("global-reach-overlap", "global-reach-healthy", &[&["property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.connections[gr-ams-lon].properties.addressPrefix changed"]]),
    ("global-reach-disconnected", "global-reach-healthy", &[&["property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.connections[gr-ams-lon].properties.circuitConnectionStatus changed"]]),
    ("global-reach-peer-forbidden", "global-reach-healthy", &[&[
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.connections[gr-ams-lon].properties.authorizationKey added",
        "property circuit er-ckt-ams properties.peerings[AzurePrivatePeering].properties.connections[gr-ams-lon].properties.peerExpressRouteCircuitPeering.id changed",
    ]]),
    ("authorization-other-subscription", "healthy-private", &[&[
        "coverage gateway ergw-hub-weu bgpPeers -",
        "coverage gateway ergw-hub-weu learnedRoutes -",
        "property circuit er-ckt-ams properties.authorizations[auth-spoke-prod] added",
        "property connection conn-ergw-hub-weu-er-ckt-ams  removed",
        "property gateway ergw-hub-weu  removed",
        "property health ergw-hub-weu  removed",
    ]]),
];

/// The healthy circuits the faulty scenarios are built from.
const BASES: &[&str] = &["healthy-private", "healthy-direct", "healthy-private-microsoft"];

fn scenarios() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios").to_string()
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{name}/snapshot.json", scenarios())).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `kind place key change`, as listed in [`PAIRS`].
fn signature(c: &erdiag_diff::Change) -> String {
    let v = serde_json::to_value(c).unwrap();
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let key = ["prefix", "neighbor", "ip", "table"].iter().find_map(|k| text(k)).or_else(|| text("path")).unwrap_or_default();
    format!("{} {} {} {}", c.kind(), c.place(), key, text("change").unwrap_or_else(|| "-".to_string()))
}

#[test]
fn every_scenario_against_its_healthy_base() {
    let mut failures = Vec::new();
    for (name, base, expected) in PAIRS {
        let (a, b) = (read(base), read(name));
        let d = erdiag_diff::diff_snapshots(&Snapshot::from_slice(&a).unwrap(), &Snapshot::from_slice(&b).unwrap()).unwrap();
        let mut got: Vec<String> = d.changes.iter().filter(|c| c.is_change()).map(signature).collect();
        let mut want: Vec<String> = expected.iter().flat_map(|g| g.iter().map(|s| s.to_string())).collect();
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{name} against {base}:\n  expected {want:#?}\n  got {got:#?}"));
        }
        assert_eq!(d.is_empty(), want.is_empty(), "{name}: the exit code follows the changes");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_scenario_has_a_pair() {
    let dir = std::fs::read_dir(scenarios()).unwrap();
    let mut missing = Vec::new();
    for e in dir {
        let name = e.unwrap().file_name().into_string().unwrap();
        if !BASES.contains(&name.as_str()) && !PAIRS.iter().any(|(n, _, _)| *n == name) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "scenarios without an expected diff against their base: {missing:?}");
}

#[test]
fn a_flap_in_the_window_reads_as_a_reset() {
    let d = erdiag_diff::diff_snapshots(&Snapshot::from_slice(&read("healthy-private")).unwrap(), &Snapshot::from_slice(&read("bgp-flap-confirmed")).unwrap()).unwrap();
    let Some(erdiag_diff::Change::Bgp(b)) = d.changes.iter().find(|c| c.kind() == "bgp") else { panic!("{:#?}", d.changes) };
    let (before, after) = (b.sides.before.as_ref().unwrap(), b.sides.after.as_ref().unwrap());
    assert_eq!((before.state.as_str(), after.state.as_str()), ("Established", "Established"), "up again at the end");
    assert!(b.reset, "the uptime went backwards: {before:?} → {after:?}");
}

#[test]
fn a_path_down_reads_as_its_fault() {
    // The default demo: the secondary link lost. The session, the ARP entry, the routes
    // and what the gateway learns through that MSEE, and nothing on the primary.
    let d = erdiag_diff::diff_snapshots(&Snapshot::from_slice(&read("healthy-private")).unwrap(), &Snapshot::from_slice(&read("secondary-path-down")).unwrap()).unwrap();
    let bgp = d.changes.iter().find_map(|c| match c {
        erdiag_diff::Change::Bgp(b) if b.at.path == Some(erdiag_model::DevicePath::Secondary) => Some(b),
        _ => None,
    });
    let bgp = bgp.expect("the secondary session changed");
    assert_eq!(bgp.sides.before.as_ref().unwrap().state, "Established");
    assert_eq!(bgp.sides.after.as_ref().unwrap().state, "Idle");
    assert!(!d.changes.iter().any(|c| c.place().contains("primary") && c.is_change()), "nothing changed on the primary path");
}
