//! `erdiag import` against PowerShell consoles as engineers paste them: the
//! command echoed with its pipeline (`| where-object …`, continued over
//! `>>` lines), `Format-Table` output cut to the console's width, and one
//! table printed twice through two filters. What the console did not show
//! is left out and said so in `provenance`, never read as a value.

use erdiag_import::{import, ImportError, Imported, Input, Options};
use erdiag_model::{CircuitState, Collected, DevicePath, MacAddress, Snapshot};
use serde_json::{json, Value};

const PASTES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pastes");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const CKT: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams";

fn paste(name: &str) -> Input {
    let path = if name.ends_with(".json") { format!("{FIXTURES}/{name}") } else { format!("{PASTES}/{name}") };
    Input::new(name, std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn run(names: &[&str]) -> Result<Imported, ImportError> {
    import(&names.iter().map(|n| paste(n)).collect::<Vec<_>>(), &Options::default())
}

fn decode(imp: &Imported) -> CircuitState {
    let bytes = serde_json::to_vec(&imp.snapshot).unwrap();
    Snapshot::from_slice(&bytes).unwrap().decode().unwrap()
}

fn provenance<'a>(imp: &'a Imported, key: &str) -> &'a Value {
    imp.snapshot["provenance"].get(key).unwrap_or_else(|| panic!("no provenance for {key}: {:#}", imp.snapshot["provenance"]))
}

fn fields(imp: &Imported, key: &str) -> Vec<String> {
    provenance(imp, key)["fields"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect()
}

fn rows(c: &Collected<Vec<erdiag_model::RouteEntry>>) -> Vec<(String, String)> {
    match c {
        Collected::Ok(r) => r.iter().map(|r| (r.network.to_string(), r.next_hop.to_string())).collect(),
        other => panic!("{other:?}"),
    }
}

/// `-DevicePath Primary| where-object {…}`: the `|` ends the parameter, and
/// the filter is recorded — the rows shown may not be all of them.
#[test]
fn an_echoed_pipeline_names_the_peering_path_and_filter() {
    let imp = run(&["az-circuit.json", "routes-private-primary-vnet.txt"]).unwrap_or_else(|e| panic!("{e}"));
    let key = format!("{CKT}/peerings/AzurePrivatePeering/routeTables/primary");
    assert_eq!(imp.snapshot["resources"][&key]["value"].as_array().unwrap().len(), 2);
    assert_eq!(provenance(&imp, &key)["filters"], json!([r#"where-object {$_.Network -like "10.1*"}"#]));
    assert!(imp.notes.iter().any(|n| n.contains("peering from the command line in the file, path from the command line in the file")), "{:?}", imp.notes);
    assert!(imp.notes.iter().any(|n| n.contains("rows may be missing")), "{:?}", imp.notes);
    decode(&imp);
}

/// The route table printed twice through two filters, one of them echoed
/// over `>>` continuation lines: one table, each row once.
#[test]
fn filtered_outputs_of_one_table_are_merged() {
    let imp = run(&["az-circuit.json", "routes-private-primary-vnet.txt", "routes-private-primary-onprem.txt"]).unwrap_or_else(|e| panic!("{e}"));
    let key = format!("{CKT}/peerings/AzurePrivatePeering/routeTables/primary");
    let s = decode(&imp);
    let got = rows(s.private_peering().unwrap().routes(DevicePath::Primary));
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[0].0, "10.1.0.0/16");
    assert_eq!(got[3].0, "192.168.50.0/24");
    let p = provenance(&imp, &key);
    assert_eq!(p["filters"].as_array().unwrap().len(), 2, "{p:#}");
    assert!(p["source"].as_str().unwrap().contains("routes-private-primary-vnet.txt") && p["source"].as_str().unwrap().contains("routes-private-primary-onprem.txt"));
    assert_eq!(fields(&imp, &key), ["value.locPrf", "value.network", "value.nextHop", "value.path", "value.weight"]);
    assert!(imp.notes.iter().any(|n| n.contains("merged: 2 not already imported")), "{:?}", imp.notes);
    // Two complete outputs of one table are still a mistake.
    let arp = Input::new("arp-private-primary.txt", std::fs::read_to_string(format!("{FIXTURES}/ps-arp-private-primary.txt")).unwrap());
    let again = Input::new("arp-again.txt", std::fs::read_to_string(format!("{FIXTURES}/ps-arp-private-primary.txt")).unwrap());
    let e = import(&[paste("az-circuit.json"), arp, again], &Options::default()).unwrap_err();
    assert!(e.message.contains("also in arp-private-primary.txt"), "{e}");
}

/// Windows PowerShell's `| ft` of the peerings in a 120-column console: names,
/// ids and prefixes cut to `...`, two headers cut too. What was cut is not
/// shown; the circuit's own output fills in what the table did not show.
#[test]
fn format_table_of_peerings_cut_by_the_console() {
    let imp = run(&["az-circuit.json", "peerings-ft.txt"]).unwrap_or_else(|e| panic!("{e}"));
    let key = format!("{CKT}/peerings/MicrosoftPeering");
    let m = &imp.snapshot["resources"][&key];
    assert_eq!(m["properties"]["vlanId"], 300);
    assert_eq!(m["properties"]["state"], "Enabled");
    assert!(m["properties"].get("primaryPeerAddressPrefix").is_none(), "a cut prefix is not a value: {m:#}");
    assert!(m["properties"].get("peeringType").is_none());
    assert_eq!(fields(&imp, &key), ["properties.azureASN", "properties.peerASN", "properties.state", "properties.vlanId"]);
    assert!(imp.notes.iter().any(|n| n.contains("the peering's name is MicrosoftPeering, the only peering type its Name `Microsoft...` can begin")), "{:?}", imp.notes);
    assert!(imp.notes.iter().any(|n| n.contains("the header `PrimaryPe...` was cut short")), "{:?}", imp.notes);
    // The private peering is also in the circuit's JSON: what the table cut comes from there.
    let key = format!("{CKT}/peerings/AzurePrivatePeering");
    let p = &imp.snapshot["resources"][&key]["properties"];
    assert_eq!((p["vlanId"].clone(), p["primaryPeerAddressPrefix"].clone()), (json!(200), json!("172.16.0.0/30")));
    assert!(fields(&imp, &key).contains(&"properties.primaryPeerAddressPrefix".to_string()));
    assert!(provenance(&imp, &key)["source"].as_str().unwrap().contains("az-circuit.json"));
    let s = decode(&imp);
    assert_eq!(s.peering("MicrosoftPeering").unwrap().peering.properties.vlan_id, Some(300));
}

/// PowerShell 7's `Format-Table` in a narrow pane cuts the MAC addresses:
/// the rows are kept, their MAC is not shown (not `Incomplete`).
#[test]
fn format_table_cells_cut_are_left_out() {
    let imp = run(&["az-circuit.json", "arp-private-secondary-narrow.txt"]).unwrap_or_else(|e| panic!("{e}"));
    let key = format!("{CKT}/peerings/AzurePrivatePeering/arpTables/secondary");
    assert_eq!(imp.snapshot["resources"][&key]["value"][0], json!({"age": 9, "interface": "On-Prem", "ipAddress": "172.16.0.5"}));
    assert_eq!(fields(&imp, &key), ["value.age", "value.interface", "value.ipAddress"]);
    assert!(provenance(&imp, &key).get("filters").is_none(), "Format-Table drops no rows");
    assert!(imp.notes.iter().any(|n| n.contains("line 6: the `MacAddress` cell `0022.bdf8…` was cut short by the console: left out (not shown)")), "{:?}", imp.notes);
    let s = decode(&imp);
    match s.private_peering().unwrap().arp(DevicePath::Secondary) {
        Collected::Ok(rows) => assert_eq!(rows[0].mac_address, MacAddress::Missing),
        other => panic!("{other:?}"),
    }
}

/// `Get-AzExpressRouteCircuit | Format-Table -AutoSize`: the console's
/// warning is not output; the SKU prints as its type name and the peerings
/// as a list of names — neither is shown, so neither is read.
#[test]
fn format_table_of_the_circuit() {
    let imp = run(&["circuit-ft.txt"]).unwrap_or_else(|e| panic!("{e}"));
    let id = imp.snapshot["circuitId"].as_str().unwrap();
    assert!(id.ends_with("/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams"), "{id}");
    let c = &imp.snapshot["resources"][id];
    assert!(c.get("sku").is_none() && c["properties"].get("peerings").is_none(), "{c:#}");
    assert_eq!(c["properties"]["serviceKey"], "a73953b0-7f2b-543d-9bf7-dfb5a531bba1");
    let f = fields(&imp, id);
    assert!(f.contains(&"properties.circuitProvisioningState".to_string()) && !f.iter().any(|f| f.starts_with("sku") || f == "properties.peerings"), "{f:?}");
    assert!(imp.notes.iter().any(|n| n.contains("line 2: a console warning, not output")), "{:?}", imp.notes);
    assert!(imp.notes.iter().any(|n| n.contains("`Sku` cell") && n.contains("is an object printed as its type name")), "{:?}", imp.notes);
    assert!(imp.notes.iter().any(|n| n.contains("`Peerings` cell") && n.contains("is a list printed by its items' names")), "{:?}", imp.notes);
    decode(&imp);
}

/// Every imported body has a provenance entry, keyed as in `resources`.
#[test]
fn every_imported_body_has_its_provenance() {
    let imp = run(&["az-circuit.json", "az-peering-list.json", "az-arp-private-primary.json", "routes-private-primary-vnet.txt"]).unwrap();
    let prov = imp.snapshot["provenance"].as_object().unwrap();
    for key in imp.snapshot["resources"].as_object().unwrap().keys() {
        assert!(prov.contains_key(key), "{key} has no provenance");
    }
    assert!(fields(&imp, CKT).contains(&"properties.peerings".to_string()));
    assert!(!fields(&imp, CKT).iter().any(|f| f.starts_with("properties.peerings.")), "the peerings have their own entries");
}

/// Every paste cut short anywhere (a half-copied console) gives a snapshot
/// or an error naming the file, never a panic.
#[test]
fn cut_pastes_never_panic() {
    for entry in std::fs::read_dir(PASTES).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let text = paste(&name).text;
        for (cut, _) in text.char_indices().filter(|(i, _)| i % 5 == 0) {
            match import(&[paste("az-circuit.json"), Input::new(name.as_str(), &text[..cut])], &Options::default()) {
                Ok(imp) => {
                    decode(&imp);
                }
                Err(e) => assert!(e.file == name || e.file == "az-circuit.json", "{e}"),
            }
        }
    }
}
