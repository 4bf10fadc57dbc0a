//! Response bodies of the ARM calls the guide makes, as typed structs.
//!
//! Field names follow the REST API (camelCase, and the real `primarybytesIn`
//! casing of the stats). Every field is optional unless the guide cannot be
//! followed without it, and unknown fields are ignored.

use crate::values::{lenient_u64, AsPath, BgpState, MacAddress, NextHop};
use serde::{Deserialize, Deserializer, Serialize};

/// A reference to another resource (`{"id": "..."}`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct SubResource {
    #[serde(default)]
    pub id: Option<String>,
}

/// `Microsoft.Network/expressRouteCircuits`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressRouteCircuit {
    pub id: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub sku: Option<CircuitSku>,
    #[serde(default)]
    pub properties: CircuitProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitSku {
    pub name: Option<String>,
    pub tier: Option<String>,
    pub family: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitProperties {
    pub provisioning_state: Option<String>,
    pub circuit_provisioning_state: Option<String>,
    pub service_provider_provisioning_state: Option<String>,
    pub service_provider_properties: Option<ServiceProviderProperties>,
    pub service_provider_notes: Option<String>,
    pub service_key: Option<String>,
    /// `None` when the body does not carry the field (a trimmed table), which
    /// is not the same as a circuit with no peering (`[]`).
    #[serde(default)]
    pub peerings: Option<Vec<Peering>>,
    pub express_route_port: Option<SubResource>,
    /// The circuit's S-tag: the outer 802.1Q tag of its traffic with QinQ
    /// encapsulation (ExpressRoute Direct ports set to QinQ).
    #[serde(default, deserialize_with = "lenient_u64")]
    pub stag: Option<u64>,
    pub bandwidth_in_gbps: Option<f64>,
    pub global_reach_enabled: Option<bool>,
    pub allow_classic_operations: Option<bool>,
    /// `None` when the body does not carry the field.
    pub authorizations: Option<Vec<Authorization>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceProviderProperties {
    pub service_provider_name: Option<String>,
    pub peering_location: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bandwidth_in_mbps: Option<u64>,
}

impl ExpressRouteCircuit {
    /// ExpressRoute Direct: the circuit sits on a port the customer owns,
    /// with no provider between CE and MSEE (network points 3 and 4 absent).
    pub fn is_direct(&self) -> bool {
        self.properties.express_route_port.as_ref().and_then(|p| p.id.as_deref()).is_some_and(|s| !s.is_empty())
    }
    /// Premium SKU (higher private-peering prefix limit).
    pub fn is_premium(&self) -> bool {
        self.sku.as_ref().is_some_and(|s| {
            s.tier.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("premium"))
                || s.name.as_deref().is_some_and(|n| n.to_ascii_lowercase().starts_with("premium"))
        })
    }
    /// Bandwidth in Mbps, from the provider properties or the Direct port's Gbps.
    pub fn bandwidth_mbps(&self) -> Option<u64> {
        let p = &self.properties;
        p.service_provider_properties
            .as_ref()
            .and_then(|s| s.bandwidth_in_mbps)
            .or_else(|| p.bandwidth_in_gbps.map(|g| (g * 1000.0).round() as u64))
    }
}

/// A peering of the circuit (`expressRouteCircuits/peerings`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Peering {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: PeeringProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeeringProperties {
    pub peering_type: Option<String>,
    pub state: Option<String>,
    #[serde(rename = "azureASN", default, deserialize_with = "lenient_u64")]
    pub azure_asn: Option<u64>,
    #[serde(rename = "peerASN", default, deserialize_with = "lenient_u64")]
    pub peer_asn: Option<u64>,
    pub primary_peer_address_prefix: Option<String>,
    pub secondary_peer_address_prefix: Option<String>,
    pub primary_azure_port: Option<String>,
    pub secondary_azure_port: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub vlan_id: Option<u64>,
    /// The MD5 key. ARM never returns a configured key; it is kept only as
    /// "set or not" and never printed.
    #[serde(default, deserialize_with = "secret_presence")]
    pub shared_key: SecretPresence,
    pub microsoft_peering_config: Option<MicrosoftPeeringConfig>,
    pub ipv6_peering_config: Option<Ipv6PeeringConfig>,
    pub route_filter: Option<SubResource>,
    pub provisioning_state: Option<String>,
    pub last_modified_by: Option<String>,
    /// Global Reach links this circuit made (private peering).
    pub connections: Option<Vec<CircuitConnection>>,
    /// Global Reach links another circuit made to this one.
    pub peered_connections: Option<Vec<CircuitConnection>>,
}

/// Whether a secret field carried a value. The value itself is dropped at
/// parse time so that it can never reach a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum SecretPresence {
    /// Not there, `null` or `""`.
    #[default]
    Absent,
    /// A non-empty string.
    Present,
    /// There, but not a string (a number, an object, …): it says nothing
    /// about whether a key is set.
    Unreadable,
}

pub(crate) fn secret_presence<'de, D: Deserializer<'de>>(d: D) -> Result<SecretPresence, D::Error> {
    // Read as a value of no type, so that nothing of the secret is kept.
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => SecretPresence::Absent,
        serde_json::Value::String(s) if s.is_empty() => SecretPresence::Absent,
        serde_json::Value::String(_) => SecretPresence::Present,
        _ => SecretPresence::Unreadable,
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MicrosoftPeeringConfig {
    #[serde(default)]
    pub advertised_public_prefixes: Vec<String>,
    #[serde(default)]
    pub advertised_communities: Vec<String>,
    pub advertised_public_prefixes_state: Option<String>,
    #[serde(rename = "customerASN", default, deserialize_with = "lenient_u64")]
    pub customer_asn: Option<u64>,
    pub legacy_mode: Option<i64>,
    pub routing_registry_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ipv6PeeringConfig {
    pub primary_peer_address_prefix: Option<String>,
    pub secondary_peer_address_prefix: Option<String>,
    pub microsoft_peering_config: Option<MicrosoftPeeringConfig>,
    pub route_filter: Option<SubResource>,
    pub state: Option<String>,
}

impl Peering {
    /// The peering's name as ARM uses it in paths (`AzurePrivatePeering`, …).
    pub fn name(&self) -> &str {
        self.name.as_deref().or(self.properties.peering_type.as_deref()).unwrap_or("?")
    }
    pub fn peering_type(&self) -> &str {
        self.properties.peering_type.as_deref().or(self.name.as_deref()).unwrap_or("?")
    }
    pub fn is_private(&self) -> bool {
        self.peering_type().eq_ignore_ascii_case("AzurePrivatePeering")
    }
    pub fn is_microsoft(&self) -> bool {
        self.peering_type().eq_ignore_ascii_case("MicrosoftPeering")
    }
    /// Provisioned by the service provider (IPVPN model): then the PE-MSEE,
    /// not the customer's CE, holds the other end of the BGP session.
    pub fn managed_by_provider(&self) -> bool {
        self.properties.last_modified_by.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("ServiceProvider"))
    }
}

/// A `{"value": [...]}` list, the body of every list operation.
#[derive(Debug, Clone, Deserialize)]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "nextLink")]
    pub next_link: Option<String>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List { value: Vec::new(), next_link: None }
    }
}

/// One row of `arpTables/{devicePath}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArpEntry {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub age: Option<u64>,
    /// `On-Prem` or `Microsoft`.
    #[serde(default)]
    pub interface: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default = "missing_mac")]
    pub mac_address: MacAddress,
}

fn missing_mac() -> MacAddress {
    MacAddress::Missing
}

impl ArpEntry {
    pub fn is_on_prem(&self) -> bool {
        self.interface.as_deref().is_some_and(|i| {
            let i = i.to_ascii_lowercase();
            i.contains("on-prem") || i.contains("onprem") || i.contains("on prem")
        })
    }
    pub fn is_microsoft(&self) -> bool {
        self.interface.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("Microsoft"))
    }
    pub fn ip(&self) -> Option<std::net::IpAddr> {
        self.ip_address.as_deref()?.trim().parse().ok()
    }
}

/// A prefix as a router prints it, parsed once when read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    pub raw: String,
    /// The prefix, truncated to its network address; `None` when `raw` is
    /// not a prefix (a bare address is a host route).
    pub net: Option<ipnet::IpNet>,
}

impl<'de> Deserialize<'de> for Network {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Option::<String>::deserialize(d)?.unwrap_or_default();
        let net = parse_prefix(&raw).map(|n| n.trunc());
        Ok(Network { raw, net })
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

/// One row of `routeTables/{devicePath}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteEntry {
    #[serde(default)]
    pub network: Network,
    #[serde(default)]
    pub next_hop: NextHop,
    #[serde(default)]
    pub loc_prf: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub weight: Option<u64>,
    #[serde(default)]
    pub path: AsPath,
}

impl RouteEntry {
    /// The route's prefix (network address), when it is one.
    pub fn prefix(&self) -> Option<ipnet::IpNet> {
        self.network.net
    }
}

/// Parses a prefix as routers print it; a bare address is a host route.
pub fn parse_prefix(s: &str) -> Option<ipnet::IpNet> {
    let t = s.trim();
    t.parse::<ipnet::IpNet>().ok().or_else(|| t.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
}

/// One row of `routeTablesSummary/{devicePath}`: a BGP neighbor of the MSEE.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteSummaryEntry {
    #[serde(default)]
    pub neighbor: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub v: Option<u64>,
    #[serde(rename = "as", default, deserialize_with = "lenient_u64")]
    pub asn: Option<u64>,
    #[serde(default)]
    pub up_down: Option<String>,
    #[serde(default = "unknown_state")]
    pub state_pfx_rcd: BgpState,
}

impl RouteSummaryEntry {
    /// The session's uptime in seconds, as `upDown` writes it under a day
    /// (`00:03:12`); coarser forms (`3d04h`) cannot place a reset within
    /// minutes and give `None`.
    pub fn uptime_secs(&self) -> Option<i64> {
        let mut parts = self.up_down.as_deref()?.trim().split(':').map(|x| x.parse::<i64>().ok().filter(|v| *v >= 0));
        let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
        (parts.next().is_none() && m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
    }
}

fn unknown_state() -> BgpState {
    BgpState::Other(String::new())
}

/// `{circuitId}/stats` and `{peeringId}/stats`.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Stats {
    #[serde(rename = "primarybytesIn", default, deserialize_with = "lenient_u64")]
    pub primary_bytes_in: Option<u64>,
    #[serde(rename = "primarybytesOut", default, deserialize_with = "lenient_u64")]
    pub primary_bytes_out: Option<u64>,
    #[serde(rename = "secondarybytesIn", default, deserialize_with = "lenient_u64")]
    pub secondary_bytes_in: Option<u64>,
    #[serde(rename = "secondarybytesOut", default, deserialize_with = "lenient_u64")]
    pub secondary_bytes_out: Option<u64>,
}

/// `Microsoft.Network/connections`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: ConnectionProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionProperties {
    pub provisioning_state: Option<String>,
    pub connection_type: Option<String>,
    pub connection_status: Option<String>,
    pub peer: Option<SubResource>,
    pub virtual_network_gateway1: Option<SubResource>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub routing_weight: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub ingress_bytes_transferred: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub egress_bytes_transferred: Option<u64>,
    pub express_route_gateway_bypass: Option<bool>,
    /// FastPath to private endpoints and Private Link services.
    pub enable_private_link_fast_path: Option<bool>,
}

/// `Microsoft.Network/virtualNetworkGateways`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualNetworkGateway {
    pub id: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub properties: GatewayProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayProperties {
    pub provisioning_state: Option<String>,
    pub gateway_type: Option<String>,
    pub sku: Option<GatewaySku>,
    pub active_active: Option<bool>,
    pub bgp_settings: Option<BgpSettings>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewaySku {
    pub name: Option<String>,
    pub tier: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub capacity: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BgpSettings {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub asn: Option<u64>,
    pub bgp_peering_address: Option<String>,
}

/// One row of the gateway's `getBgpPeerStatus` result.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BgpPeerStatus {
    pub local_address: Option<String>,
    pub neighbor: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub asn: Option<u64>,
    /// `Unknown`, `Stopped`, `Idle`, `Connecting` or `Connected`.
    pub state: Option<String>,
    pub connected_duration: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub routes_received: Option<u64>,
}

/// One row of the gateway's `getLearnedRoutes` result.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayRoute {
    pub local_address: Option<String>,
    #[serde(default)]
    pub network: Network,
    #[serde(default)]
    pub next_hop: NextHop,
    pub source_peer: Option<String>,
    /// `EBgp`, `IBgp`, `Network`, …
    pub origin: Option<String>,
    #[serde(default)]
    pub as_path: AsPath,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub weight: Option<u64>,
}

/// `Microsoft.ResourceHealth/availabilityStatuses/current`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityStatus {
    pub id: Option<String>,
    #[serde(default)]
    pub properties: AvailabilityProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityProperties {
    /// `Available`, `Unavailable`, `Degraded` or `Unknown`.
    pub availability_state: Option<String>,
    pub summary: Option<String>,
    pub detailed_status: Option<String>,
    pub reason_type: Option<String>,
    /// ARM's own spelling.
    pub occured_time: Option<String>,
    pub reason_chronicity: Option<String>,
    pub reported_time: Option<String>,
}

/// An ARM error body: `{"error": {"code": ..., "message": ...}}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ArmErrorBody {
    #[serde(default)]
    pub error: ArmErrorDetail,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ArmErrorDetail {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// `Microsoft.Network/expressRouteCircuits/peerings/connections` and
/// `…/peerConnections`: one Global Reach link as one side sees it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitConnection {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: CircuitConnectionProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitConnectionProperties {
    pub express_route_circuit_peering: Option<SubResource>,
    pub peer_express_route_circuit_peering: Option<SubResource>,
    /// The /29 (IPv4) the two MSEE pairs address each other with.
    pub address_prefix: Option<String>,
    /// The key of the other circuit's authorization (a link across
    /// subscriptions): only whether one was set.
    #[serde(default, deserialize_with = "secret_presence")]
    pub authorization_key: SecretPresence,
    pub circuit_connection_status: Option<String>,
    pub provisioning_state: Option<String>,
    pub ipv6_circuit_connection_config: Option<Ipv6CircuitConnectionConfig>,
    /// A peer connection's name for the link on the circuit that made it.
    pub connection_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ipv6CircuitConnectionConfig {
    /// The /125 of the IPv6 link.
    pub address_prefix: Option<String>,
    pub circuit_connection_status: Option<String>,
}

impl CircuitConnection {
    pub fn name(&self) -> &str {
        self.name.as_deref().or(self.properties.connection_name.as_deref()).unwrap_or("?")
    }
    /// The other circuit's private peering, as ARM writes its id.
    pub fn peer_peering_id(&self) -> Option<&str> {
        self.properties.peer_express_route_circuit_peering.as_ref().and_then(|p| p.id.as_deref()).filter(|s| !s.is_empty())
    }
    /// This side's peering, as ARM writes its id.
    pub fn own_peering_id(&self) -> Option<&str> {
        self.properties.express_route_circuit_peering.as_ref().and_then(|p| p.id.as_deref()).filter(|s| !s.is_empty())
    }
    /// The other circuit's id (the peering id without `/peerings/{name}`).
    pub fn peer_circuit_id(&self) -> Option<String> {
        circuit_of_peering(self.peer_peering_id()?)
    }
}

/// The circuit id of a peering id, case kept.
pub fn circuit_of_peering(peering_id: &str) -> Option<String> {
    let i = peering_id.to_ascii_lowercase().rfind("/peerings/")?;
    Some(peering_id[..i].to_string())
}

/// `Microsoft.Network/expressRouteCircuits/authorizations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: AuthorizationProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationProperties {
    /// The key a connection in another subscription redeems: a secret,
    /// kept only as "set or not".
    #[serde(default, deserialize_with = "secret_presence")]
    pub authorization_key: SecretPresence,
    /// `Available` or `InUse`.
    pub authorization_use_status: Option<String>,
    pub provisioning_state: Option<String>,
}

impl Authorization {
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("?")
    }
    pub fn in_use(&self) -> bool {
        self.properties.authorization_use_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("InUse"))
    }
}
