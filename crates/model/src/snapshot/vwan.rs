//! Virtual WAN ExpressRoute gateways: the hub's gateway a circuit may be
//! connected to instead of (or besides) a VNet's virtual network gateway.
//!
//! A vWAN gateway is found from the subscription's listing of
//! `Microsoft.Network/expressRouteGateways`: its embedded
//! `expressRouteConnections[]` name the circuit peering each connects
//! (`expressRouteCircuitPeering.id`). The gateway, its connections' list,
//! its virtual hub and its Resource Health are then read one by one.

use crate::arm::{AvailabilityStatus, SubResource};
use crate::id::last_segment;
use crate::snapshot::{normalize_path, Collected};
use crate::values::lenient_u64;
use serde::Deserialize;

/// `Microsoft.Network/expressRouteGateways` (the subscription's listing
/// keeps a projection of it: id, location, hub and connections' peerings).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressRouteGateway {
    pub id: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub properties: ExpressRouteGatewayProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressRouteGatewayProperties {
    pub provisioning_state: Option<String>,
    pub auto_scale_configuration: Option<AutoScaleConfiguration>,
    pub express_route_connections: Option<Vec<ExpressRouteConnection>>,
    pub virtual_hub: Option<SubResource>,
    /// Whether the gateway accepts traffic from networks outside the
    /// Virtual WAN (a VNet gateway connected to the same circuit).
    pub allow_non_virtual_wan_traffic: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoScaleConfiguration {
    pub bounds: Option<ScaleBounds>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleBounds {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub min: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub max: Option<u64>,
}

/// `{gatewayId}/expressRouteConnections/{name}`: the hub gateway's
/// connection to one circuit peering.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressRouteConnection {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: ExpressRouteConnectionProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressRouteConnectionProperties {
    pub provisioning_state: Option<String>,
    pub express_route_circuit_peering: Option<SubResource>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub routing_weight: Option<u64>,
    pub enable_internet_security: Option<bool>,
    /// FastPath.
    pub express_route_gateway_bypass: Option<bool>,
    pub enable_private_link_fast_path: Option<bool>,
}

impl ExpressRouteConnection {
    /// The circuit peering it connects, normalized.
    pub fn peering(&self) -> Option<String> {
        self.properties.express_route_circuit_peering.as_ref().and_then(|p| p.id.as_deref()).map(normalize_path)
    }
    /// Whether it connects a peering of this circuit.
    pub fn connects(&self, circuit_id: &str) -> bool {
        let prefix = normalize_path(circuit_id) + "/peerings/";
        self.peering().is_some_and(|p| p.starts_with(&prefix))
    }
    pub fn label(&self) -> &str {
        self.name.as_deref().or(self.id.as_deref().map(last_segment)).unwrap_or("?")
    }
}

impl ExpressRouteGateway {
    /// The embedded connections to a peering of this circuit.
    pub fn connections_to(&self, circuit_id: &str) -> Vec<&ExpressRouteConnection> {
        self.properties.express_route_connections.iter().flatten().filter(|c| c.connects(circuit_id)).collect()
    }
    /// The hub's name, from `virtualHub.id`.
    pub fn hub_name(&self) -> Option<&str> {
        self.properties.virtual_hub.as_ref().and_then(|h| h.id.as_deref()).map(last_segment)
    }
    /// The minimum scale units (`autoScaleConfiguration.bounds.min`).
    pub fn min_scale_units(&self) -> Option<u64> {
        self.properties.auto_scale_configuration.as_ref()?.bounds.as_ref()?.min
    }
}

/// `Microsoft.Network/virtualHubs`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualHub {
    pub id: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub properties: VirtualHubProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualHubProperties {
    pub provisioning_state: Option<String>,
    /// `None`, `Provisioned`, `Provisioning` or `Failed`: the hub's router.
    pub routing_state: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub virtual_router_asn: Option<u64>,
    pub virtual_router_ips: Option<Vec<String>>,
    pub address_prefix: Option<String>,
}

/// What kind of gateway stands at network point 6.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GatewayKind {
    /// A VNet's virtual network gateway (`Microsoft.Network/virtualNetworkGateways`).
    #[default]
    Vnet,
    /// A Virtual WAN hub's ExpressRoute gateway, with its hub's name.
    VirtualWan { hub: Option<String> },
}

/// A Virtual WAN ExpressRoute gateway connected to the circuit.
#[derive(Debug, Clone)]
pub struct VwanGateway {
    pub id: String,
    pub gateway: Collected<ExpressRouteGateway>,
    /// `{gatewayId}/expressRouteConnections`.
    pub connections: Collected<Vec<ExpressRouteConnection>>,
    pub hub_id: Option<String>,
    pub hub: Collected<VirtualHub>,
    pub health: Collected<AvailabilityStatus>,
}

impl VwanGateway {
    pub fn name(&self) -> &str {
        last_segment(&self.id)
    }
    /// The hub's name, as the diagram and messages print it.
    pub fn hub_name(&self) -> Option<&str> {
        self.hub_id.as_deref().map(last_segment)
    }
}

/// The Virtual WAN side of a circuit.
#[derive(Debug, Clone)]
pub struct VwanState {
    /// The subscription's listing of ExpressRoute gateways (its items as
    /// kept: id, location, hub, connections' peerings). `NotCollected` in
    /// snapshots made before it was read, or by importers.
    pub listing: Collected<Vec<ExpressRouteGateway>>,
    /// The gateways with a connection to one of the circuit's peerings.
    pub gateways: Vec<VwanGateway>,
}

impl Default for VwanState {
    fn default() -> Self {
        VwanState { listing: Collected::NotCollected, gateways: Vec::new() }
    }
}

impl VwanState {
    /// The listed gateways that connect nothing of this circuit.
    pub fn unconnected(&self, circuit_id: &str) -> Vec<&ExpressRouteGateway> {
        match &self.listing {
            Collected::Ok(items) => items.iter().filter(|g| g.connections_to(circuit_id).is_empty()).collect(),
            _ => Vec::new(),
        }
    }
}

/// The ARM path of the subscription's listing of ExpressRoute gateways.
pub fn gateways_in_subscription(subscription: &str) -> String {
    format!("/subscriptions/{subscription}/providers/Microsoft.Network/expressRouteGateways")
}

/// The ARM path of a vWAN gateway's connections.
pub fn gateway_connections(gateway_id: &str) -> String {
    format!("{}/expressRouteConnections", gateway_id.trim_end_matches('/'))
}

/// Whether a normalized path is a top-level `expressRouteGateways/{name}`.
pub fn is_gateway_path(normalized: &str) -> bool {
    const T: &str = "/providers/microsoft.network/expressroutegateways/";
    normalized.find(T).is_some_and(|i| !normalized[i + T.len()..].contains('/'))
}
