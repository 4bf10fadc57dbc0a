//! `az network express-route port show -o json` and `Get-AzExpressRoutePort
//! | ConvertTo-Json` print an ExpressRoute Direct port: import keeps it
//! under its id, as ARM's body (links with their `macSecConfig`), so the
//! Direct checks run on an imported snapshot. The outputs are built from
//! the REST specification's `ExpressRoutePortGet` example (read from
//! `ERDIAG_CORPUS`, skipped with a notice without it), spelt as each tool
//! prints it: the Azure CLI flattens `properties` and adds `resourceGroup`;
//! PowerShell flattens too, in PascalCase, with `ResourceGroupName`.

use erdiag_import::{import, Input, Options};
use erdiag_model::{DevicePath, Snapshot};
use serde_json::{json, Map, Value};

/// The 200 body of the specification's `ExpressRoutePortGet` example, with
/// MACsec on link1 (the fields the specification defines for
/// `macSecConfig`, which the example leaves out).
fn corpus_port() -> Option<Value> {
    let dir = erdiag_testsupport::corpus("azure-rest-api-specs", "the ExpressRoute Direct port import test")?;
    let example = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("examples/ExpressRoutePortGet.json"))
        .find(|p| p.is_file())
        .expect("the corpus holds examples/ExpressRoutePortGet.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(example).unwrap()).unwrap();
    let mut body = v["responses"]["200"]["body"].clone();
    body["properties"]["links"][0]["properties"]["macSecConfig"] = json!({
        "cknSecretIdentifier": "https://kv-macsec.vault.azure.net/secrets/ckn",
        "cakSecretIdentifier": "https://kv-macsec.vault.azure.net/secrets/cak",
        "cipher": "GcmAesXpn256",
        "sciState": "Enabled"
    });
    Some(body)
}

/// `properties` moved to the top, as the Azure CLI and PowerShell print a resource.
fn flatten(v: &Value) -> Value {
    let mut out = Map::new();
    for (k, val) in v.as_object().unwrap() {
        if k == "properties" {
            for (pk, pv) in val.as_object().unwrap() {
                let pv = if pk == "links" { Value::Array(pv.as_array().unwrap().iter().map(flatten).collect()) } else { pv.clone() };
                out.insert(pk.clone(), pv);
            }
        } else {
            out.insert(k.clone(), val.clone());
        }
    }
    Value::Object(out)
}

/// Every key in PascalCase, as `ConvertTo-Json` writes a PowerShell object.
fn pascal(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let mut c = k.chars();
                    let k = c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default();
                    (k, pascal(v))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(pascal).collect()),
        other => other.clone(),
    }
}

fn circuit(port_id: &str) -> Value {
    let rg = "/subscriptions/subid/resourceGroups/rg1";
    json!({
        "id": format!("{rg}/providers/Microsoft.Network/expressRouteCircuits/er-direct"), "name": "er-direct", "resourceGroup": "rg1",
        "location": "westus", "provisioningState": "Succeeded", "circuitProvisioningState": "Enabled",
        "serviceProviderProvisioningState": "Provisioned", "serviceKey": "a73953b0-7f2b-543d-9bf7-dfb5a531bba1",
        "sku": {"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"},
        "expressRoutePort": {"id": port_id}, "bandwidthInGbps": 10.0, "peerings": []
    })
}

/// Imports the circuit and the port output, and returns the decoded port.
fn imported_port(port_file: &str, port_text: String, port_id: &str) -> erdiag_model::direct::ExpressRoutePort {
    let inputs = [Input::new("circuit.json", circuit(port_id).to_string()), Input::new(port_file, port_text)];
    let imported = import(&inputs, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(imported.notes.iter().any(|n| n.starts_with(&format!("{port_file}: ExpressRoute Direct port"))), "{:#?}", imported.notes);
    let bytes = serde_json::to_vec(&imported.snapshot).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    let direct = state.direct.expect("the circuit is on a port");
    direct.port.ok().cloned().expect("the imported port is read")
}

fn assert_port(port: &erdiag_model::direct::ExpressRoutePort) {
    assert_eq!(port.properties.bandwidth_in_gbps, Some(100.0));
    assert_eq!(port.properties.encapsulation.as_deref(), Some("QinQ"));
    let link1 = port.link(DevicePath::Primary).expect("link1");
    assert!(link1.admin_disabled());
    assert_eq!(link1.properties.router_name.as_deref(), Some("router1"));
    let m = link1.macsec().expect("MACsec on link1");
    assert_eq!((m.cipher.as_deref(), m.sci_state.as_deref()), (Some("GcmAesXpn256"), Some("Enabled")));
    assert_eq!(m.cak_secret_identifier.as_deref(), Some("https://kv-macsec.vault.azure.net/secrets/cak"));
    let link2 = port.link(DevicePath::Secondary).expect("link2");
    assert!(link2.macsec().is_none(), "link2 has no MACsec");
}

#[test]
fn az_port_show_json_is_imported_as_the_port_body() {
    let Some(body) = corpus_port() else { return };
    let id = body["id"].as_str().unwrap().to_string();
    let mut az = flatten(&body);
    az["resourceGroup"] = json!("rg1");
    assert_port(&imported_port("port.json", serde_json::to_string_pretty(&az).unwrap(), &id));
}

#[test]
fn powershell_get_azexpressrouteport_json_is_imported_as_the_port_body() {
    let Some(body) = corpus_port() else { return };
    let id = body["id"].as_str().unwrap().to_string();
    let mut ps = pascal(&flatten(&body));
    ps["ResourceGroupName"] = json!("rg1");
    // PowerShell's text twins of its complex properties.
    ps["LinksText"] = json!("[ { \"Name\": \"link1\" } ]");
    ps["CircuitsText"] = json!("[]");
    assert!(ps.get("AdminState").is_none() && ps["Links"][0].get("AdminState").is_some() && ps["Links"][0].get("MacSecConfig").is_some());
    assert_port(&imported_port("Get-AzExpressRoutePort.json", serde_json::to_string_pretty(&ps).unwrap(), &id));
}

#[test]
fn a_port_without_its_id_is_an_error_naming_the_file() {
    let Some(body) = corpus_port() else { return };
    let id = body["id"].as_str().unwrap().to_string();
    let mut az = flatten(&body);
    az.as_object_mut().unwrap().remove("id");
    let inputs = [Input::new("circuit.json", circuit(&id).to_string()), Input::new("port.json", az.to_string())];
    let e = import(&inputs, &Options::default()).unwrap_err();
    assert_eq!(e.file, "port.json");
    assert!(e.to_string().contains("ExpressRoute Direct port without its `id`"), "{e}");
}

/// `Get-AzExpressRoutePort | Format-Table -AutoSize` of the specification's
/// port, as a console too narrow for its `Id` prints it: the columns that
/// fit, `Links` as its items' names.
fn port_table(body: &Value) -> String {
    let p = &body["properties"];
    let cols = [
        ("Name", body["name"].as_str().unwrap().to_string()),
        ("ResourceGroupName", "rg1".to_string()),
        ("Location", body["location"].as_str().unwrap().to_string()),
        ("PeeringLocation", p["peeringLocation"].as_str().unwrap().to_string()),
        ("BandwidthInGbps", p["bandwidthInGbps"].to_string()),
        ("ProvisionedBandwidthInGbps", "0".to_string()),
        ("Encapsulation", p["encapsulation"].as_str().unwrap().to_string()),
        ("EtherType", p["etherType"].as_str().unwrap().to_string()),
        ("ProvisioningState", p["provisioningState"].as_str().unwrap().to_string()),
        ("Links", "{link1, link2}".to_string()),
    ];
    let widths: Vec<usize> = cols.iter().map(|(h, v)| h.len().max(v.len())).collect();
    let row = |f: &dyn Fn(usize) -> String| cols.iter().enumerate().map(|(i, _)| format!("{:w$}", f(i), w = widths[i])).collect::<Vec<_>>().join(" ").trim_end().to_string();
    format!(
        "PS /home/netops> Get-AzExpressRoutePort -ResourceGroupName rg1 -Name {} | Format-Table -AutoSize\nWARNING: 9 columns do not fit into the display and were removed.\n\n{}\n{}\n{}\n",
        body["name"].as_str().unwrap(),
        row(&|i| cols[i].0.to_string()),
        row(&|i| "-".repeat(cols[i].0.len())),
        row(&|i| cols[i].1.clone())
    )
}

#[test]
fn powershell_get_azexpressrouteport_table_is_imported_under_the_circuits_port_id() {
    let Some(body) = corpus_port() else { return };
    let id = body["id"].as_str().unwrap().to_string();
    let table = port_table(&body);
    let inputs = [Input::new("circuit.json", circuit(&id).to_string()), Input::new("port-ft.txt", table.clone())];
    let imported = import(&inputs, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let note = imported.notes.iter().find(|n| n.starts_with("port-ft.txt: ExpressRoute Direct port")).unwrap_or_else(|| panic!("{:#?}", imported.notes));
    assert!(note.contains("Get-AzExpressRoutePort") && note.contains("its id is the circuit's expressRoutePort"), "{note}");
    assert!(imported.notes.iter().any(|n| n.contains("`Links` cell") && n.contains("is a list printed by its items' names")), "{:#?}", imported.notes);
    // What the table shows is read; the links it does not show are absent, not empty.
    let port = &imported.snapshot["resources"][&id];
    assert_eq!((port["properties"]["bandwidthInGbps"].as_f64(), port["properties"]["encapsulation"].as_str()), (Some(100.0), Some("QinQ")), "{port:#}");
    assert!(port["properties"].get("links").is_none(), "{port:#}");
    let fields: Vec<&str> = imported.snapshot["provenance"][&id]["fields"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(fields.contains(&"properties.peeringLocation") && !fields.iter().any(|f| f.contains("links")), "{fields:?}");
    let bytes = serde_json::to_vec(&imported.snapshot).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    let port = state.direct.expect("the circuit is on a port").port.ok().cloned().expect("the imported port is read");
    assert_eq!(port.properties.bandwidth_in_gbps, Some(100.0));
    assert!(port.link(DevicePath::Primary).is_none(), "no link was printed");

    // A circuit on another port: the table names no id to keep it under.
    let other = id.replace("/portName", "/otherPort");
    let inputs = [Input::new("circuit.json", circuit(&other).to_string()), Input::new("port-ft.txt", table)];
    let e = import(&inputs, &Options::default()).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("port-ft.txt", Some(6)), "{e}");
    assert!(e.to_string().contains("without its `id`") && e.to_string().contains("otherPort"), "{e}");
}
