//! `erdiag import` against real outputs: the guide's own examples verbatim,
//! Azure CLI JSON, and PowerShell tables. Every snapshot built here must load
//! the way `erdiag diagnose` loads it.

use erdiag_import::{detect, import, read_text, Content, Format, ImportError, Imported, Input, Kind, Options};
use erdiag_model::{BgpState, CircuitState, Collected, DevicePath, MacAddress, SecretPresence, Snapshot};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const CKT: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams";
const GUIDE_CKT: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Test-ER-RG/providers/Microsoft.Network/expressRouteCircuits/Test-ER-Ckt";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn input(name: &str) -> Input {
    Input::new(name, fixture(name))
}

fn run(names: &[&str]) -> Result<Imported, ImportError> {
    let inputs: Vec<Input> = names.iter().map(|n| input(n)).collect();
    import(&inputs, &Options::default())
}

fn decode(imp: &Imported) -> CircuitState {
    let bytes = serde_json::to_vec(&imp.snapshot).unwrap();
    let snap = Snapshot::from_slice(&bytes).unwrap();
    snap.decode().unwrap_or_else(|e| panic!("{e}\n{}", serde_json::to_string_pretty(&imp.snapshot).unwrap()))
}

fn resource<'a>(imp: &'a Imported, key: &str) -> &'a Value {
    imp.snapshot["resources"].get(key).unwrap_or_else(|| {
        let keys: Vec<&String> = imp.snapshot["resources"].as_object().unwrap().keys().collect();
        panic!("no resource {key}; have {keys:#?}")
    })
}

fn ok<T: std::fmt::Debug>(c: &Collected<T>) -> &T {
    match c {
        Collected::Ok(t) => t,
        other => panic!("not collected: {other:?}"),
    }
}

fn err(names: &[&str]) -> ImportError {
    run(names).expect_err("should not import")
}

fn k(content: Content, format: Format) -> Kind {
    Kind { content, format }
}

#[test]
fn detects_every_kind_of_output() {
    use Content::*;
    use Format::*;
    let cases = [
        ("guide-circuit.txt", k(Circuit, List)),
        ("guide-peering-private.txt", k(Peering, List)),
        ("guide-routes-private-primary.txt", k(RouteTable, List)),
        ("guide-stats-private.txt", k(Stats, Table)),
        ("guide-peering-not-configured.txt", k(PeeringNotConfigured, PowerShellError)),
        ("guide-peering-not-found.txt", k(PeeringNotFound, PowerShellError)),
        ("ps-arp-private-primary.txt", k(ArpTable, Table)),
        ("ps-arp-list-private-primary.txt", k(ArpTable, List)),
        ("ps-summary-private-primary.txt", k(RouteTableSummary, Table)),
        ("ps-routes-private-secondary.txt", k(RouteTable, Table)),
        ("ps-circuit-with-peerings.txt", k(Circuit, List)),
        ("console-arp.txt", k(ArpTable, Table)),
        ("az-circuit.json", k(Circuit, Json)),
        ("az-circuit-list.json", k(Circuit, Json)),
        ("az-rest-circuit.json", k(Circuit, Json)),
        ("az-peering-private.json", k(Peering, Json)),
        ("az-peering-list.json", k(Peering, Json)),
        ("az-rest-peering-list.json", k(Peering, Json)),
        ("az-arp-private-primary.json", k(ArpTable, Json)),
        ("az-routes-private-primary.json", k(RouteTable, Json)),
        ("az-summary-private-primary.json", k(RouteTableSummary, Json)),
        ("az-summary-private-secondary.json", k(RouteTableSummary, Json)),
        ("az-stats.json", k(Stats, Json)),
        ("az-table-summary-private-primary.txt", k(RouteTableSummary, Table)),
    ];
    for (name, want) in cases {
        assert_eq!(detect(&fixture(name)), Some(want), "{name}");
    }
    assert_eq!(detect("hello"), None);
    assert_eq!(detect(""), None);
    assert_eq!(detect("{\"value\": []}"), None, "an empty list says nothing about itself");
    assert_eq!(detect("{\"foo\": 1}"), None);
    assert_eq!(
        k(ArpTable, Table).to_string(),
        "ARP table (text table, as `Get-AzExpressRouteCircuitARPTable` prints it)"
    );
}

/// Every fixture imports (with a circuit where it is not one) and decodes.
#[test]
fn every_fixture_imports_and_decodes() {
    let mut names: Vec<String> = std::fs::read_dir(DIR).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert!(names.len() >= 25, "{names:?}");
    for name in &names {
        let circuit = if name.starts_with("guide-") {
            "guide-circuit.txt"
        } else if name.starts_with("az-rest-") {
            "az-rest-circuit.json"
        } else {
            "az-circuit.json"
        };
        let mut inputs = vec![input(name)];
        if detect(&fixture(name)).map(|k| k.content) != Some(Content::Circuit) {
            inputs.push(input(circuit));
        }
        let options = Options { circuit_name: Some("er-ckt-ams".into()), ..Options::default() };
        let options = if name == "az-circuit-list.json" { options } else { Options::default() };
        let imp = import(&inputs, &options).unwrap_or_else(|e| panic!("{name}: {e} (hint: {:?})", e.hint));
        decode(&imp);
        assert!(imp.notes.iter().any(|n| n.starts_with(name.as_str())), "{name}: {:?}", imp.notes);
    }
}

#[test]
fn powershell_properties_become_arm_fields() {
    let imp = run(&["guide-circuit.txt", "guide-peering-private.txt", "guide-stats-private.txt", "ps-summary-private-primary.txt", "ps-arp-private-primary.txt"]).unwrap();
    // The guide's Id is masked: a placeholder id, and a note saying so.
    assert_eq!(imp.snapshot["circuitId"], GUIDE_CKT);
    assert!(imp.notes.iter().any(|n| n.contains("masked: using") && n.contains("placeholder subscription")), "{:?}", imp.notes);
    let c = resource(&imp, GUIDE_CKT);
    assert_eq!(c["name"], "Test-ER-Ckt");
    assert_eq!(c["id"], GUIDE_CKT);
    assert_eq!(c["location"], "westus2");
    assert_eq!(c["sku"], serde_json::json!({"name": "Standard_UnlimitedData", "tier": "Standard", "family": "UnlimitedData"}));
    assert!(c.get("resourceGroupName").is_none() && c.get("ResourceGroupName").is_none());
    let p = &c["properties"];
    assert_eq!(p["circuitProvisioningState"], "Enabled");
    assert_eq!(p["serviceProviderProvisioningState"], "Provisioned");
    assert_eq!(p["serviceProviderNotes"], "");
    assert_eq!(p["serviceProviderProperties"]["bandwidthInMbps"], 100);
    assert_eq!(p["serviceProviderProperties"]["serviceProviderName"], "****");
    // The circuit said `Peerings : []`; the peering config is embedded too, as a circuit GET returns it.
    assert_eq!(p["peerings"].as_array().unwrap().len(), 1);
    assert_eq!(p["peerings"][0]["name"], "AzurePrivatePeering");

    let peering = resource(&imp, &format!("{GUIDE_CKT}/peerings/AzurePrivatePeering"));
    assert_eq!(peering["name"], "AzurePrivatePeering");
    assert_eq!(peering["id"], format!("{GUIDE_CKT}/peerings/AzurePrivatePeering"), "the masked id is replaced");
    let pp = &peering["properties"];
    assert_eq!(pp["peeringType"], "AzurePrivatePeering");
    assert_eq!(pp["azureASN"], 12076);
    assert_eq!(pp["vlanId"], 200);
    assert_eq!(pp["primaryPeerAddressPrefix"], "172.16.0.0/30");
    assert_eq!(pp["primaryAzurePort"], "");
    assert!(pp.get("sharedKey").is_none());
    assert!(pp.get("microsoftPeeringConfig").is_none(), "`null` is absent");
    // `123##` cannot be a number: left out, with a note naming its line.
    assert!(pp.get("peerASN").is_none());
    assert!(imp.notes.iter().any(|n| n.starts_with("guide-peering-private.txt: line 6: PeerASN `123##` is masked")), "{:?}", imp.notes);

    let stats = resource(&imp, &format!("{GUIDE_CKT}/peerings/AzurePrivatePeering/stats"));
    assert_eq!(
        *stats,
        serde_json::json!({"primarybytesIn": 240780020u64, "primarybytesOut": 239863857u64, "secondarybytesIn": 240565035u64, "secondarybytesOut": 239628474u64})
    );
    let summary = resource(&imp, &format!("{GUIDE_CKT}/peerings/AzurePrivatePeering/routeTablesSummary/primary"));
    assert_eq!(summary["value"][0], serde_json::json!({"neighbor": "172.16.0.1", "v": 4, "as": 65020, "upDown": "3d04h", "statePfxRcd": "3"}));
    let arp = resource(&imp, &format!("{GUIDE_CKT}/peerings/AzurePrivatePeering/arpTables/primary"));
    assert_eq!(arp["value"][0], serde_json::json!({"age": 12, "interface": "On-Prem", "ipAddress": "172.16.0.1", "macAddress": "5c5e.ab0d.4f01"}));

    let s = decode(&imp);
    assert_eq!(s.circuit.properties.service_provider_properties.as_ref().unwrap().bandwidth_in_mbps, Some(100));
    let pv = s.private_peering().unwrap();
    assert_eq!(pv.peering.properties.azure_asn, Some(12076));
    assert_eq!(pv.peering.properties.vlan_id, Some(200));
    assert_eq!(pv.peering.properties.peer_asn, None);
}

#[test]
fn powershell_circuit_with_embedded_peerings_keeps_no_secret() {
    let imp = run(&["ps-circuit-with-peerings.txt"]).unwrap();
    assert_eq!(imp.snapshot["circuitId"], CKT);
    let text = serde_json::to_string(&imp.snapshot).unwrap();
    assert!(!text.contains("never-in-a-snapshot"), "the MD5 key is never written");
    assert!(!text.contains("a1b2c3d4-0000-4000-8000-000000000001"), "an authorization key is never written");
    assert!(!text.to_ascii_lowercase().contains("sharedkey"));
    assert!(imp.notes.iter().any(|n| n.contains("SharedKey is never written")), "{:?}", imp.notes);
    let c = resource(&imp, CKT);
    assert_eq!(c["properties"]["globalReachEnabled"], false);
    assert_eq!(c["properties"]["stag"], 17);
    assert!(c["properties"].get("expressRoutePort").is_none());
    assert!(c["properties"].get("bandwidthInGbps").is_none());
    let p = &c["properties"]["peerings"][0];
    assert_eq!(p["properties"]["peerASN"], 65020);
    assert_eq!(p["properties"]["connections"], serde_json::json!([]));
    // Typed as ARM nests it, so the model reads it.
    assert_eq!(c["properties"]["authorizations"][0]["properties"]["authorizationUseStatus"], "InUse");
    let s = decode(&imp);
    assert!(s.authorizations.any_in_use().is_some());
    assert!(s.circuit.is_premium());
    assert_eq!(s.private_peering().unwrap().peering.properties.shared_key, SecretPresence::Absent);
    assert_eq!(s.private_peering().unwrap().peering.properties.peer_asn, Some(65020));
}

/// The task's full set in PowerShell form: circuit + peering + 2×ARP +
/// 2×routes + 2×summary + stats.
#[test]
fn full_import_of_powershell_output() {
    let inputs: Vec<Input> = [
        "guide-circuit.txt",
        "guide-peering-private.txt",
        "ps-arp-private-primary.txt",
        "ps-arp-private-secondary.txt",
        "guide-routes-private-primary.txt",
        "ps-routes-private-secondary.txt",
        "ps-summary-private-primary.txt",
        "ps-summary-private-secondary.txt",
        "guide-stats-private.txt",
    ]
    .iter()
    .map(|n| input(n))
    .collect();
    let options = Options {
        subscription: Some("3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61".into()),
        collected_at: Some("2026-11-21T10:00:00Z".into()),
        ..Options::default()
    };
    let imp = import(&inputs, &options).unwrap();
    assert_eq!(imp.snapshot["circuitId"], CKT.replace("rg-er-weu", "Test-ER-RG").replace("er-ckt-ams", "Test-ER-Ckt"));
    assert_eq!(imp.snapshot["collectedAt"], "2026-11-21T10:00:00Z");
    assert_eq!(imp.snapshot["format"], "erdiag-snapshot/1");
    assert!(!imp.notes.iter().any(|n| n.contains("placeholder")), "the subscription was given");

    let s = decode(&imp);
    assert_eq!(s.collected_at.as_deref(), Some("2026-11-21T10:00:00Z"));
    assert_eq!(s.circuit.properties.circuit_provisioning_state.as_deref(), Some("Enabled"));
    assert_eq!(s.peerings.len(), 1);
    let p = s.private_peering().unwrap();
    let arp1 = ok(p.arp(DevicePath::Primary));
    assert_eq!(arp1.len(), 2);
    assert!(arp1[0].is_on_prem() && arp1[1].is_microsoft());
    assert_eq!(arp1[0].age, Some(12));
    assert_eq!(ok(p.arp(DevicePath::Secondary))[0].mac_address, MacAddress::Incomplete);
    let sum1 = ok(p.summary(DevicePath::Primary));
    assert_eq!(sum1[0].state_pfx_rcd, BgpState::Established(3));
    assert_eq!(sum1[0].asn, Some(65020));
    assert_eq!(ok(p.summary(DevicePath::Secondary))[0].state_pfx_rcd, BgpState::IdleAdmin);
    let r1 = ok(p.routes(DevicePath::Primary));
    assert_eq!(r1.len(), 3);
    assert!(!r1[0].next_hop.marked());
    assert!(r1[1].next_hop.marked());
    assert_eq!(r1[1].next_hop.ip(), Some("10.17.17.140".parse().unwrap()));
    assert_eq!(r1[2].path.raw, "123##", "masked text stays text");
    assert_eq!(r1[2].loc_prf.as_deref(), Some(""));
    assert_eq!(r1[2].weight, Some(0));
    let r2 = ok(p.routes(DevicePath::Secondary));
    assert_eq!(r2[3].path.asns, vec![65020, 65021]);
    assert_eq!(r2[3].loc_prf.as_deref(), Some(""), "an empty table cell is empty text, as ARM writes it");
    assert_eq!(ok(&p.stats).primary_bytes_in, Some(240780020));
    assert!(matches!(s.circuit_stats, Collected::NotCollected));
}

/// `az … --query value -o table` is a text table too.
#[test]
fn azure_cli_tables() {
    let imp = run(&["az-circuit.json", "az-table-summary-private-primary.txt"]).unwrap();
    let s = decode(&imp);
    let row = &ok(s.private_peering().unwrap().summary(DevicePath::Primary))[0];
    assert_eq!((row.v, row.asn, row.state_pfx_rcd.clone()), (Some(4), Some(65020), BgpState::Established(3)));
}

/// The same set as the Azure CLI prints it.
#[test]
fn full_import_of_azure_cli_json() {
    let imp = run(&[
        "az-circuit.json",
        "az-peering-private.json",
        "az-arp-private-primary.json",
        "az-arp-private-secondary.json",
        "az-routes-private-primary.json",
        "az-routes-private-secondary.json",
        "az-summary-private-primary.json",
        "az-summary-private-secondary.json",
        "az-stats.json",
    ])
    .unwrap();
    assert_eq!(imp.snapshot["circuitId"], CKT);
    assert_eq!(imp.snapshot["failures"], serde_json::json!({}));
    let c = resource(&imp, CKT);
    assert!(c.get("resourceGroup").is_none() && c.get("tags").is_none());
    assert_eq!(c["properties"]["serviceKey"], "a73953b0-7f2b-543d-9bf7-dfb5a531bba1");
    assert_eq!(c["properties"]["peerings"][0]["properties"]["azureASN"], 12076, "`azureAsn` is ARM's `azureASN`");
    let s = decode(&imp);
    assert_eq!(s.circuit.properties.service_key.as_deref(), Some("a73953b0-7f2b-543d-9bf7-dfb5a531bba1"));
    let p = s.private_peering().unwrap();
    assert_eq!(p.peering.properties.peer_asn, Some(65020));
    assert_eq!(p.peering.properties.primary_peer_address_prefix.as_deref(), Some("172.16.0.0/30"));
    assert_eq!(ok(p.summary(DevicePath::Primary))[0].state_pfx_rcd, BgpState::Established(3));
    assert_eq!(ok(p.summary(DevicePath::Secondary))[0].state_pfx_rcd, BgpState::Idle);
    assert!(ok(p.routes(DevicePath::Primary))[1].next_hop.marked());
    assert_eq!(ok(p.arp(DevicePath::Secondary))[0].mac_address, MacAddress::Incomplete);
    assert_eq!(ok(&s.circuit_stats).secondary_bytes_out, Some(333749350));
    assert!(matches!(p.stats, Collected::NotCollected), "az-stats.json names no peering: circuit stats");
}

#[test]
fn arm_shaped_json_and_lists() {
    let imp = run(&["az-rest-circuit.json", "az-rest-peering-list.json"]).unwrap();
    let s = decode(&imp);
    assert_eq!(s.peerings.len(), 2);
    let m = s.peering("MicrosoftPeering").unwrap();
    assert_eq!(m.peering.properties.microsoft_peering_config.as_ref().unwrap().advertised_public_prefixes_state.as_deref(), Some("ValidationNeeded"));
    // A list of circuits: the one named, the other skipped with a note.
    let inputs = [input("az-circuit-list.json")];
    let imp = import(&inputs, &Options { circuit_name: Some("ER-CKT-LON".into()), ..Options::default() }).unwrap();
    assert!(imp.snapshot["circuitId"].as_str().unwrap().ends_with("/er-ckt-lon"));
    assert!(imp.notes.iter().any(|n| n.contains("er-ckt-ams skipped")), "{:?}", imp.notes);
    let e = import(&inputs, &Options::default()).unwrap_err();
    assert!(e.message.contains("several circuits"), "{e}");
    assert_eq!(e.hint.as_deref().map(|h| h.contains("--name NAME")), Some(true));
}

#[test]
fn peering_and_path_come_from_flags_command_line_file_name_or_addresses() {
    // File name.
    let imp = run(&["az-circuit.json", "ps-arp-private-secondary.txt"]).unwrap();
    resource(&imp, &format!("{CKT}/peerings/AzurePrivatePeering/arpTables/secondary"));
    assert!(imp.notes.iter().any(|n| n.contains("peering from the file name, path from the file name")), "{:?}", imp.notes);
    // Flags win over the file name, with a note.
    let mut arp = input("ps-arp-private-secondary.txt");
    arp.path = Some(DevicePath::Primary);
    arp.peering = Some("private".into());
    let imp = import(&[input("az-circuit.json"), arp], &Options::default()).unwrap();
    resource(&imp, &format!("{CKT}/peerings/AzurePrivatePeering/arpTables/primary"));
    assert!(imp.notes.iter().any(|n| n.contains("the file name says secondary")), "{:?}", imp.notes);
    assert!(imp.notes.iter().any(|n| n.contains("addresses in the table are on the secondary /30")), "{:?}", imp.notes);
    // The echoed command line.
    let imp = run(&["az-circuit.json", "console-arp.txt"]).unwrap();
    resource(&imp, &format!("{CKT}/peerings/AzurePrivatePeering/arpTables/secondary"));
    assert!(imp.notes.iter().any(|n| n.contains("peering from the command line in the file")), "{:?}", imp.notes);
    // The neighbor address: 172.16.0.5 is the first usable address of the secondary /30.
    let imp = run(&["az-circuit.json", "bgp-neighbors.txt"]).unwrap();
    resource(&imp, &format!("{CKT}/peerings/AzurePrivatePeering/routeTablesSummary/secondary"));
    assert!(imp.notes.iter().any(|n| n.contains("peering from its addresses, path from its addresses")), "{:?}", imp.notes);
    // No peering known (the guide's circuit embeds none): say which flag to pass.
    let e = err(&["guide-circuit.txt", "bgp-neighbors.txt"]);
    assert_eq!((e.file.as_str(), e.line), ("bgp-neighbors.txt", Some(4)));
    assert!(e.message.contains("which peering"), "{e}");
    assert!(e.hint.unwrap().contains("--peering"));
    // A peering but no path.
    let mut summary = input("bgp-neighbors.txt");
    summary.peering = Some("AzurePrivatePeering".into());
    let e = import(&[input("guide-circuit.txt"), summary], &Options::default()).unwrap_err();
    assert!(e.message.contains("which device path"), "{e}");
    assert!(e.hint.unwrap().contains("--path"));
    // Stats: with a peering in the name, the peering's; without, the circuit's.
    let mut stats = input("guide-stats-private.txt");
    stats.name = "stats.txt".into();
    let imp = import(&[input("guide-circuit.txt"), stats], &Options::default()).unwrap();
    resource(&imp, &format!("{GUIDE_CKT}/stats"));
}

#[test]
fn the_guides_error_texts_become_failures() {
    let imp = run(&["guide-circuit.txt", "guide-peering-not-configured.txt"]).unwrap();
    let key = format!("{GUIDE_CKT}/peerings/MicrosoftPeering");
    let f = &imp.snapshot["failures"][&key];
    assert_eq!(f["status"], 404);
    let s = decode(&imp);
    let under = s.failures_under_peering("MicrosoftPeering");
    assert_eq!(under.len(), 1);
    assert!(under[0].1.is_peering_not_found(), "{:?}", under[0].1);
    assert!(under[0].1.message.contains("Sequence contains no matching element"));

    // The 400: for the peering the message names, at the route table's path when known.
    let mut e400 = input("guide-peering-not-found.txt");
    e400.path = Some(DevicePath::Primary);
    let imp = import(&[input("guide-circuit.txt"), e400], &Options::default()).unwrap();
    let f = &imp.snapshot["failures"][format!("{GUIDE_CKT}/peerings/AzurePublicPeering/routeTables/primary")];
    assert_eq!(f["status"], 400);
    assert_eq!(f["error"]["error"]["message"], "The BGP Peering AzurePublicPeering with Service Key <ServiceKey> is not found.");
    let s = decode(&imp);
    let under = s.failures_under_peering("AzurePublicPeering");
    assert!(under[0].1.is_peering_not_found());
    assert_eq!(under[0].1.status, Some(400));
    // Without a path: recorded for the peering itself.
    let imp = run(&["guide-circuit.txt", "guide-peering-not-found.txt"]).unwrap();
    assert_eq!(imp.snapshot["failures"][format!("{GUIDE_CKT}/peerings/AzurePublicPeering")]["status"], 400);
    // --peering that contradicts the message is an error.
    let mut e400 = input("guide-peering-not-found.txt");
    e400.peering = Some("private".into());
    let e = import(&[input("guide-circuit.txt"), e400], &Options::default()).unwrap_err();
    assert_eq!(e.line, Some(1));
    // Another failed call, with its status and code.
    let text = "Get-AzExpressRouteCircuitARPTable : Operation returned an invalid status code 'TooManyRequests'\nStatusCode: 429\nReasonPhrase: Too Many Requests\nErrorCode: TooManyRequests\nErrorMessage: The request is being throttled.\n";
    let imp = import(&[input("az-circuit.json"), Input::new("arp-private-primary.txt", text)], &Options::default()).unwrap();
    let f = &imp.snapshot["failures"][format!("{CKT}/peerings/AzurePrivatePeering/arpTables/primary")];
    assert_eq!(*f, serde_json::json!({"status": 429, "error": {"error": {"code": "TooManyRequests", "message": "The request is being throttled."}}}));
    let s = decode(&imp);
    assert!(matches!(s.private_peering().unwrap().arp(DevicePath::Primary), Collected::Failed(f) if f.status == Some(429)));
}

#[test]
fn windows_powershell_files_in_utf16_with_crlf() {
    let text = fixture("guide-peering-private.txt").replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let decoded = read_text("peering.txt", &bytes).unwrap();
    let imp = import(&[input("guide-circuit.txt"), Input::new("peering.txt", decoded)], &Options::default()).unwrap();
    let s = decode(&imp);
    assert_eq!(s.private_peering().unwrap().peering.properties.vlan_id, Some(200));
    assert_eq!(s.private_peering().unwrap().peering.properties.secondary_peer_address_prefix.as_deref(), Some("172.16.0.4/30"));
}

/// Each bad input is an error that names the file and the line.
#[test]
fn errors_name_the_file_and_the_line() {
    let circuit = || input("az-circuit.json");
    let one = |name: &str, text: &str| -> ImportError {
        import(&[circuit(), Input::new(name, text)], &Options::default()).expect_err(text)
    };
    let cases: Vec<(ImportError, usize, &str)> = vec![
        (one("x.txt", "\n\nhello world\n"), 3, "not a recognised command output"),
        (one("x.txt", "Age : 0\n\u{0}\u{1}"), 2, "binary data"),
        (one("x.json", "{\n  \"value\": [\n    {\"age\": 1,}\n  ]\n}\n"), 3, "not valid JSON"),
        (one("x.json", "{\n  \"value\": [\n    {\"colour\": \"blue\"}\n  ]\n}\n"), 3, "unknown shape"),
        (one("arp-private-primary.json", "{\"value\": [\n {\"age\": 1, \"ipAddress\": \"172.16.0.1\"},\n {\"age\": \"abc\",\n  \"macAddress\": \"x\"}\n]}"), 3, "expected a number, found `abc`"),
        (one("arp-private-primary.json", "[{\"age\": 1, \"macAddress\": [1]}]"), 1, "expected text"),
        (one("peering.txt", "Name        : AzurePrivatePeering\nPeeringType : AzurePrivatePeering\nVlanId      : two hundred\n"), 3, "VlanId: expected a number"),
        (one("peering.txt", "Name        : AzurePrivatePeering\nPeeringType : AzurePrivatePeering\nMicrosoftPeeringConfig : {\n  \"CustomerASN\": \"abc\"\n}\n"), 4, "CustomerASN"),
        (one("peering.txt", "Name        : AzurePrivatePeering\nPeeringType : AzurePrivatePeering\nMicrosoftPeeringConfig : {\n  \"x\": 1,\n}\n"), 5, "not valid JSON"),
        (one("peering.txt", "Name : AzurePrivatePeering\nwhat is this\n"), 2, "expected `Name : value`"),
        (
            one("arp-private-primary.txt", "Age InterfaceProperty IpAddress MacAddress\n--- ----------------- --------- ----------\n10 On-Prem 172.16.0.1 ffff.eeee.dddd\n"),
            3,
            "second word under `InterfaceProperty`",
        ),
        (
            one("arp-private-primary.txt", "Age InterfaceProperty IpAddress MacAddress\n--- ----------------- --------- ----------\n10 On-Prem           172.16.0.1.1.1 ffff\n"),
            3,
            "lies under both `IpAddress` and `MacAddress`",
        ),
        (
            one("arp-private-primary.txt", "Age InterfaceProperty IpAddress  MacAddress\n--- ----------------- ---------  ----------\n 10 On-Prem           172.16.0.1 ffff.eeee.dddd\n  0 Microsoft   172.16.0.2 aaaa.bbbb.cccc\n"),
            4,
            "lies under both `InterfaceProperty` and `IpAddress`",
        ),
        (one("routes-private-primary.txt", "Network\tNextHop\n-------\t-------\n"), 1, "tab"),
        (one("arp-private-primary.txt", "Get-AzExpressRouteCircuitARPTable : boom\nStatusCode: lots\n"), 2, "StatusCode"),
        (one("arp.txt", "Age : 0\nInterfaceProperty : On-Prem\nIpAddress : 10.9.9.9\nMacAddress : x\n"), 1, "which peering"),
        (one("x.txt", "PS C:\\> Get-AzExpressRouteCircuitARPTable -DevicePath Tertiary -PeeringType AzurePrivatePeering\nAge : 0\nMacAddress : x\n"), 1, "device path `Tertiary`"),
        (
            one("peering.json", &fixture("az-peering-private.json").replace("er-ckt-ams/peerings", "other-ckt/peerings")),
            1,
            "belongs to another circuit",
        ),
        (
            import(&[circuit(), input("ps-arp-private-primary.txt"), input("ps-arp-list-private-primary.txt")], &Options::default()).unwrap_err(),
            2,
            "also in ps-arp-private-primary.txt",
        ),
    ];
    for (e, line, text) in &cases {
        assert_eq!(e.line, Some(*line), "{e}");
        assert!(e.message.contains(text), "`{text}` not in: {e}");
        assert!(e.to_string().starts_with(&format!("{}: line {line}: ", e.file)), "{e}");
    }
    // The duplicate names both files.
    let dup = &cases.last().unwrap().0;
    assert_eq!(dup.file, "ps-arp-list-private-primary.txt");
}

#[test]
fn errors_without_a_line() {
    let e = run(&["az-peering-private.json"]).unwrap_err();
    assert!(e.message.contains("none of the files is a circuit"), "{e}");
    assert!(e.hint.unwrap().contains("az network express-route show"));
    let e = import(&[input("az-circuit.json"), Input::new("arp.txt", "  \n\n")], &Options::default()).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("arp.txt", None));
    assert!(e.message.contains("empty"));
    let other_rg = CKT.replace("rg-er-weu", "rg-other");
    let e = import(&[input("az-circuit.json")], &Options { circuit_id: Some(other_rg), ..Options::default() }).unwrap_err();
    assert_eq!(e.file, "az-circuit.json");
    assert!(e.message.contains("--circuit-id"), "{e}");
    let e = import(&[input("az-circuit.json")], &Options { resource_group: Some("rg-other".into()), ..Options::default() }).unwrap_err();
    assert!(e.message.contains("--resource-group"), "{e}");
    let e = import(&[input("az-circuit.json")], &Options { circuit_id: Some("/subscriptions/x".into()), ..Options::default() }).unwrap_err();
    assert!(e.message.contains("not an ExpressRoute circuit id"), "{e}");
    let mut i = input("ps-arp-private-primary.txt");
    i.peering = Some("Express".into());
    let e = import(&[input("az-circuit.json"), i], &Options::default()).unwrap_err();
    assert!(e.message.contains("unknown peering `Express`"), "{e}");
    let e = import(&[], &Options::default()).unwrap_err();
    assert!(e.message.contains("nothing to import"));
    let e = import(&[input("az-circuit.json"), Input::new("x.json", "{\"value\": []}")], &Options::default()).unwrap_err();
    assert_eq!(e.line, Some(1));
    assert!(e.hint.unwrap().contains("arp-"), "an empty list needs a telling file name");
    let imp = import(&[input("az-circuit.json"), Input::new("arp-private-primary.json", "{\"value\": []}")], &Options::default()).unwrap();
    let s = decode(&imp);
    assert!(ok(s.private_peering().unwrap().arp(DevicePath::Primary)).is_empty());
}

#[test]
fn masked_circuit_ids_use_the_options() {
    let inputs = [input("guide-circuit.txt")];
    let opts = Options {
        subscription: Some("11111111-1111-1111-1111-111111111111".into()),
        resource_group: Some("rg-real".into()),
        ..Options::default()
    };
    let imp = import(&inputs, &opts).unwrap();
    assert_eq!(
        imp.snapshot["circuitId"],
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-real/providers/Microsoft.Network/expressRouteCircuits/Test-ER-Ckt"
    );
    let id = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/Test-ER-Ckt";
    let imp = import(&inputs, &Options { circuit_id: Some(id.into()), ..Options::default() }).unwrap();
    assert_eq!(imp.snapshot["circuitId"], id);
    decode(&imp);
}

/// No input makes the importer panic.
#[test]
fn odd_inputs_never_panic() {
    let samples = [
        "", " ", "\u{feff}", "{", "[", "]", "{}", "[]", "null", "1", "\"x\"", "[1,2]", "[{}]", "{\"value\": 3}", "{\"value\": [null]}",
        ":", "A:", "A :\n :", "-", "--\n--", "a\n-", "a b\n- -\n  x", "a\n-\n\u{e9}\u{e9}\u{e9} \u{e9}", "Get-Az :", "Get-AzX : ", "Get-AzX : m\n+ -Name",
        "PS > ", "$ az", "Sku : {\n\"a\": [\n", "Name : x\n  y\n\n  z", "{\"properties\": 1, \"peeringType\": 2}",
        "{\"circuitProvisioningState\": {}}", "{\"serviceKey\": \"k\", \"peerings\": [1]}", "{\"serviceKey\": \"k\", \"peerings\": [{}]}",
        "{\"serviceKey\": \"k\", \"id\": \"/subscriptions/*/resourceGroups/*/x\", \"name\": \"*\"}",
        "\u{10FFFF}\u{10FFFF}\n---- ----\n\u{10FFFF}",
    ];
    for s in samples {
        let _ = detect(s);
        let _ = import(&[Input::new("f", s)], &Options::default());
        let _ = import(&[input("az-circuit.json"), Input::new("arp-private-primary.txt", s)], &Options::default());
        let _ = read_text("f", s.as_bytes());
    }
}

/// Every fixture cut short anywhere (a half-saved file) gives a snapshot or
/// an error, never a panic; an error always names the file.
#[test]
fn truncated_fixtures_never_panic() {
    for entry in std::fs::read_dir(DIR).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let text = fixture(&name);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).filter(|i| i % 7 == 0 || text[..*i].ends_with('\n')).collect();
        for cut in cuts {
            let part = &text[..cut];
            let _ = detect(part);
            match import(&[input("az-circuit.json"), Input::new(name.as_str(), part)], &Options::default()) {
                Ok(imp) => {
                    decode(&imp);
                }
                Err(e) => assert!(e.file == name || e.file == "az-circuit.json" || e.file == "(all files)", "{e}"),
            }
        }
    }
}

#[test]
fn az_express_route_gateway_list_keeps_each_hub_gateway_under_its_id_without_its_authorization_keys() {
    let imp = run(&["az-circuit.json", "az-er-gateway-list.json"]).unwrap();
    let gw = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-vwan-weu/providers/Microsoft.Network/expressRouteGateways/ergw-vwan-weu";
    let body = resource(&imp, gw);
    assert_eq!(body["properties"]["autoScaleConfiguration"]["bounds"]["min"], 2, "{body:#}");
    assert!(!imp.snapshot.to_string().contains("c7f4a0e2"), "an authorization key reached the snapshot");
    let state = decode(&imp);
    let v = &state.vwan.gateways;
    assert_eq!(v.len(), 1, "the hub gateway connects the circuit's private peering");
    assert_eq!(v[0].hub_name(), Some("hub-weu"));
    let g = ok(&v[0].gateway);
    assert_eq!((g.min_scale_units(), g.properties.allow_non_virtual_wan_traffic), (Some(2), Some(false)));
    assert_eq!(g.connections_to(CKT).len(), 1);
    assert!(matches!(v[0].hub, Collected::NotCollected), "the hub is not in the input");
}
