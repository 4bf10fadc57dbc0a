//! A dual-stack peering imported from what the Azure CLI and PowerShell
//! print: the circuit's `ipv6PeeringConfig` is kept, and a route-table
//! summary listing the IPv6 neighbor beside the IPv4 one keeps it as a row
//! of its own, found on its path by its address in the /126.

use erdiag_import::{import, Input, Options};
use erdiag_model::{session_row_of, BgpState, Collected, DevicePath, Family, Snapshot};
use serde_json::{json, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// `az network express-route show` of the fixtures' circuit, with IPv6 added to private peering.
fn dual_stack_circuit() -> String {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/az-circuit.json")).unwrap()).unwrap();
    let p = v["peerings"].as_array_mut().unwrap().iter_mut().find(|p| p["name"] == "AzurePrivatePeering").unwrap();
    p["ipv6PeeringConfig"] = json!({
        "primaryPeerAddressPrefix": "2001:db8:2c0:10::/126",
        "secondaryPeerAddressPrefix": "2001:db8:2c0:10::4/126",
        "state": "Enabled",
        "microsoftPeeringConfig": null,
        "routeFilter": null
    });
    serde_json::to_string_pretty(&v).unwrap()
}

/// `Get-AzExpressRouteCircuitRouteTableSummary … -DevicePath Secondary`,
/// default table, the IPv6 neighbor's session down: no path in the file name.
const PS_SUMMARY: &str = "
Neighbor           V    As UpDown   StatePfxRcd
--------           -    -- ------   -----------
172.16.0.5         4 65020 3d04h    3
2001:db8:2c0:10::5 4 65020 00:41:17 Active
";

#[test]
fn an_ipv6_neighbor_row_is_kept_and_found_on_its_path_by_its_address() {
    let inputs = [Input::new("az-circuit.json", dual_stack_circuit()), Input::new("summary.txt", PS_SUMMARY.to_string())];
    let imp = import(&inputs, &Options::default()).unwrap();
    assert!(imp.notes.iter().any(|n| n.contains("path from its addresses")), "{:?}", imp.notes);
    let bytes = serde_json::to_vec(&imp.snapshot).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    let p = state.private_peering().unwrap();
    let v6 = p.peering.ipv6().expect("ipv6PeeringConfig kept");
    assert_eq!(v6.addresses(DevicePath::Secondary).unwrap().customer.to_string(), "2001:db8:2c0:10::5");
    let Collected::Ok(rows) = p.summary(DevicePath::Secondary) else { panic!("no secondary summary: {:?}", p.summary(DevicePath::Secondary)) };
    assert_eq!(rows.len(), 2, "{rows:?}");
    let six = session_row_of(rows, Family::V6, None).unwrap();
    assert_eq!((six.neighbor.as_deref(), &six.state_pfx_rcd), (Some("2001:db8:2c0:10::5"), &BgpState::Active));
    let four = session_row_of(rows, Family::V4, None).unwrap();
    assert_eq!(four.state_pfx_rcd, BgpState::Established(3));
}
