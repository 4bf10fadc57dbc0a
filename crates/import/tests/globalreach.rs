//! `az network express-route show` prints the private peering's Global
//! Reach links (`connections[]`) and the circuit's `authorizations[]`:
//! import keeps them, so the Global Reach and authorization checks run on
//! an imported snapshot, and drops every authorization key. (A link read
//! on its own, `az network express-route peering connection show`, is not
//! an input kind of its own: the circuit's output carries the same.)

use erdiag_import::{import, Input, Options};
use erdiag_model::{SecretPresence, Snapshot};
use serde_json::{json, Value};

const CKT: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams";
const OTHER: &str = "/subscriptions/b81d4e6f-3c2a-4b9e-8d7f-6a5c4b3e2d10/resourceGroups/rg-er-uks/providers/Microsoft.Network/expressRouteCircuits/er-ckt-lon";
const AUTH_KEY: &str = "7d4c1e2a-9b3f-4e8d-a6c5-0f1e2d3c4b5a";
const LINK_KEY: &str = "5f0c2d7e-91ab-4c3d-8e6f-a1b2c3d4e5f6";

/// The circuit as `az network express-route show -o json` prints it (flattened, with `resourceGroup`).
fn az_circuit() -> Value {
    json!({
        "id": CKT, "name": "er-ckt-ams", "resourceGroup": "rg-er-weu", "location": "westeurope",
        "type": "Microsoft.Network/expressRouteCircuits", "provisioningState": "Succeeded",
        "circuitProvisioningState": "Enabled", "serviceProviderProvisioningState": "Provisioned",
        "serviceKey": "a73953b0-7f2b-543d-9bf7-dfb5a531bba1", "globalReachEnabled": true,
        "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
        "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam", "bandwidthInMbps": 1000},
        "authorizations": [{"name": "auth-spoke-prod", "id": format!("{CKT}/authorizations/auth-spoke-prod"),
            "authorizationKey": AUTH_KEY, "authorizationUseStatus": "InUse", "provisioningState": "Succeeded"}],
        "peerings": [{
            "name": "AzurePrivatePeering", "id": format!("{CKT}/peerings/AzurePrivatePeering"), "peeringType": "AzurePrivatePeering",
            "state": "Enabled", "azureAsn": 12076, "peerAsn": 65020, "vlanId": 200,
            "primaryPeerAddressPrefix": "172.16.0.0/30", "secondaryPeerAddressPrefix": "172.16.0.4/30",
            "connections": [{"name": "gr-ams-lon", "id": format!("{CKT}/peerings/AzurePrivatePeering/connections/gr-ams-lon"),
                "addressPrefix": "192.168.254.0/29", "authorizationKey": LINK_KEY, "circuitConnectionStatus": "Disconnected",
                "expressRouteCircuitPeering": {"id": format!("{CKT}/peerings/AzurePrivatePeering")},
                "peerExpressRouteCircuitPeering": {"id": format!("{OTHER}/peerings/AzurePrivatePeering")}}],
            "peeredConnections": []
        }]
    })
}

#[test]
fn an_imported_circuit_keeps_its_links_and_authorizations_without_their_keys() {
    let imported = import(&[Input::new("circuit.json", az_circuit().to_string())], &Options::default()).unwrap();
    let text = imported.snapshot.to_string();
    assert!(!text.contains(AUTH_KEY) && !text.contains(LINK_KEY), "an authorization key reached the snapshot");
    let bytes = serde_json::to_vec(&imported.snapshot).unwrap();
    let state = Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    let auth = state.authorizations.all().expect("authorizations imported");
    assert_eq!(auth.len(), 1);
    assert!(auth[0].in_use());
    assert_eq!(auth[0].properties.authorization_key, SecretPresence::Absent, "the key is left out, not kept");
    let link = &state.global_reach.connections[0];
    assert_eq!((link.name(), link.status()), ("gr-ams-lon", Some("Disconnected")));
    assert_eq!(link.embedded.peer_circuit_id().as_deref(), Some(OTHER));
}
