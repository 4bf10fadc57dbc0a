//! Facts several checks derive from the same data, computed one way.

use erdiag_model::{
    session_row_of, ArpEntry, CircuitState, Collected, DevicePath, Family, Ipv6PeeringConfig, PeerSubnet, PeerSubnetError, Peering, PeeringState, ResourceId, RouteEntry,
    RouteSummaryEntry,
};
use crate::{Check, Finding};
use std::net::IpAddr;

/// The ASN of the virtual network gateway's side of the MSEE sessions.
pub const VNET_ASN: u32 = 65515;
/// Microsoft's ASN on every ExpressRoute peering.
pub const MICROSOFT_ASN: u64 = 12076;

/// The peering subnet of one device path, if configured.
pub fn subnet(p: &Peering, d: DevicePath) -> Option<Result<PeerSubnet, PeerSubnetError>> {
    let s = match d {
        DevicePath::Primary => p.properties.primary_peer_address_prefix.as_deref(),
        DevicePath::Secondary => p.properties.secondary_peer_address_prefix.as_deref(),
    }?;
    Some(PeerSubnet::parse(s))
}

/// The addresses both ends must use on a path, when its subnet is valid.
pub fn addresses(p: &Peering, d: DevicePath) -> Option<PeerSubnet> {
    subnet(p, d).and_then(Result::ok)
}

/// The network points of the layer-2 segment between the customer's router
/// and the MSEE: 2-3-4-5, or 2-5 on ExpressRoute Direct.
pub fn l2_points(state: &CircuitState) -> &'static [u8] {
    if state.circuit.is_direct() {
        &[2, 5]
    } else {
        &[2, 3, 4, 5]
    }
}

/// The network point at the other end of the MSEE's BGP session: the CE (2),
/// or the provider's PE-MSEE (4) when the provider manages the peering.
pub fn bgp_points(p: &Peering) -> &'static [u8] {
    if p.managed_by_provider() {
        &[4, 5]
    } else {
        &[2, 5]
    }
}

/// The route-table summary row for the IPv4 session on this path: the
/// neighbor at the customer address, else the first row that is not an
/// IPv6 session (the summary lists both families' neighbors).
pub fn session_row(rows: &[RouteSummaryEntry], expected: Option<IpAddr>) -> Option<&RouteSummaryEntry> {
    session_row_of(rows, Family::V4, expected)
}

/// The session row of a path whose route-table summary was read: `None` when
/// the summary is missing or lists no session.
pub fn session(p: &PeeringState, d: DevicePath) -> Option<&RouteSummaryEntry> {
    match p.summary(d) {
        Collected::Ok(rows) => session_row(rows, addresses(&p.peering, d).map(|a| a.customer)),
        _ => None,
    }
}

/// The IPv6 /126 addresses of a path, when the peering has a valid one.
pub fn addresses6(p: &Peering, d: DevicePath) -> Option<PeerSubnet> {
    p.ipv6()?.addresses(d)
}

/// The IPv6 session row of a path whose route-table summary was read.
pub fn session6(p: &PeeringState, d: DevicePath) -> Option<&RouteSummaryEntry> {
    match p.summary(d) {
        Collected::Ok(rows) => session_row_of(rows, Family::V6, addresses6(&p.peering, d).map(|a| a.customer)),
        _ => None,
    }
}

/// Pushes the one circuit-wide `not_used` of a check about a feature the
/// circuit does not use (`what`, with why, as `Finding::not_used` words
/// it), which coverage leaves out; says whether it did. The check ends there.
pub fn unused(c: &Check, used: bool, what: &str, out: &mut Vec<Finding>) -> bool {
    if !used {
        out.push(Finding::not_used(c, what));
    }
    !used
}

/// Pushes the one circuit-wide `not_used` of an IPv6 check when no peering
/// of the circuit has an IPv6 configuration; says whether it did.
pub fn ipv6_unused(c: &Check, state: &CircuitState, out: &mut Vec<Finding>) -> bool {
    let used = state.peerings.iter().any(|p| p.peering.ipv6().is_some());
    unused(c, used, "IPv6 (no peering has an IPv6 configuration, ipv6PeeringConfig).", out)
}

/// A finding about what on-premises advertises: the provider's PE-MSEE (4)
/// advertises when the provider manages the peering, else the CE.
pub fn advertised_by(f: Finding, p: &Peering) -> Finding {
    if p.managed_by_provider() {
        f.owner(crate::Owner::Provider).points(&[4])
    } else {
        f
    }
}

/// A peering's IPv6 configuration, else the `not_used` saying it has none.
pub fn ipv6_config<'a>(c: &Check, p: &'a PeeringState) -> Result<&'a Ipv6PeeringConfig, Finding> {
    p.peering.ipv6().ok_or_else(|| Finding::not_used(c, format!("IPv6 on {} (it has no ipv6PeeringConfig).", p.name())))
}

/// What is wrong between a peering's two path subnets (the same, or
/// overlapping) and with every other peering's (`all`, labelled
/// `peering/path`): one sentence each.
pub fn subnet_overlaps(name: &str, subnets: &[(DevicePath, PeerSubnet)], all: &[(String, PeerSubnet)]) -> Vec<String> {
    let overlap = |a: &PeerSubnet, b: &PeerSubnet| a.net.contains(&b.net.network()) || b.net.contains(&a.net.network());
    let mut problems = Vec::new();
    if let [(_, a), (_, b)] = subnets {
        if a.net == b.net {
            problems.push(format!("primary and secondary are the same subnet {}", a.net));
        } else if overlap(a, b) {
            problems.push(format!("primary {} and secondary {} overlap", a.net, b.net));
        }
    }
    for (d, s) in subnets {
        for (other, o) in all.iter().filter(|(other, _)| !other.starts_with(&format!("{name}/"))) {
            if overlap(s, o) {
                problems.push(format!("{d} subnet {} overlaps {other} ({})", s.net, o.net));
            }
        }
    }
    problems
}

/// The `unknown` for data that was not read: why, as a sentence
/// (`the primary ARP table could not be read: HTTP 403 …`).
pub fn unread<T>(c: &Check, data: &Collected<T>, what: &str) -> Finding {
    Finding::unknown(c, format!("{}.", data.missing_reason(what).unwrap_or_default()))
}

/// What `f` concludes from the data when it was read, else [`unread`].
pub fn when_read<T>(c: &Check, data: &Collected<T>, what: impl FnOnce() -> String, f: impl FnOnce(&T) -> Finding) -> Finding {
    match data {
        Collected::Ok(x) => f(x),
        other => unread(c, other, &what()),
    }
}

/// The name of private peering, for findings about the VNet's path: the
/// configured one's, else Azure's name for it.
pub fn private_peering_name(state: &CircuitState) -> &str {
    state.private_peering().map_or("AzurePrivatePeering", |p| p.name())
}

/// A route the MSEE learned from the virtual network gateway (AS 65515).
pub fn is_vnet_route(r: &RouteEntry) -> bool {
    r.path.origin() == Some(VNET_ASN)
}

/// A route the MSEE learned from the customer side: not from the VNet, not
/// Microsoft's own.
pub fn is_onprem_route(r: &RouteEntry) -> bool {
    match (r.path.first(), r.path.origin()) {
        (Some(first), Some(origin)) => origin != VNET_ASN && first as u64 != MICROSOFT_ASN,
        _ => false,
    }
}

/// The most prefixes the MSEE accepts on one session of this peering.
pub fn prefix_limit(state: &CircuitState, p: &Peering) -> u64 {
    if p.is_microsoft() {
        200
    } else if state.circuit.is_premium() {
        10_000
    } else {
        4_000
    }
}

/// Layer-2 state of a path, as the ARP table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum L2 {
    /// The CE's (first usable) address resolves to a MAC.
    Up,
    Down,
    Unknown,
}

/// Reads a path's ARP table against the expected CE address.
pub fn l2_state(p: &PeeringState, d: DevicePath) -> L2 {
    let Some(expected) = addresses(&p.peering, d) else { return L2::Unknown };
    match p.arp(d) {
        Collected::Ok(rows) => {
            if on_prem_entry(rows, expected.customer).is_some_and(|e| e.mac_address.is_resolved()) {
                L2::Up
            } else {
                L2::Down
            }
        }
        _ => L2::Unknown,
    }
}

/// The ARP row for an address on the on-premises interface.
pub fn on_prem_entry(rows: &[ArpEntry], addr: IpAddr) -> Option<&ArpEntry> {
    rows.iter().find(|e| e.ip() == Some(addr) && !e.is_microsoft())
}

/// Formats a byte count for evidence.
pub fn bytes(n: u64) -> String {
    const U: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i < U.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", U[i])
    }
}

/// How [`absent`] words a field the input does not carry.
pub const NOT_IN_INPUT: &str = "is not in the input";

/// The resource whose body lacks a field, for [`absent`].
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    Circuit,
    Peering(&'a str),
    /// A virtual network gateway, by its ARM id.
    Gateway(&'a str),
}

/// `unknown` because the input does not carry `field` (a dotted path in the
/// body): a trimmed table or list leaves fields out, and an absent field is
/// neither a fault nor a pass. Every rule says it this way, naming the
/// fuller output that carries the field.
pub fn absent(c: &Check, state: &CircuitState, body: Body, field: &str) -> Finding {
    let paths = state.paths();
    let rg = resource_group(&state.circuit_id);
    let ckt = state.circuit_name();
    let (subject, give, source) = match body {
        Body::Peering(p) => (
            p.to_string(),
            format!(
                "`az network express-route peering show -g {rg} --circuit-name {ckt} -n {p} -o json`, or `Get-AzExpressRouteCircuitPeeringConfig -Name {p} -ExpressRouteCircuit (Get-AzExpressRouteCircuit -ResourceGroupName {rg} -Name {ckt}) | Format-List *`"
            ),
            state.source_of(&paths.peering(p)).or_else(|| state.source_of(&paths.circuit)),
        ),
        Body::Circuit => (
            "The circuit".to_string(),
            format!(
                "`az network express-route show -g {rg} -n {ckt} -o json`, or `Get-AzExpressRouteCircuit -ResourceGroupName {rg} -Name {ckt} | ConvertTo-Json -Depth 10` (`| Format-List *` shows every field too)"
            ),
            state.source_of(&paths.circuit),
        ),
        Body::Gateway(id) => {
            let name = erdiag_model::last_segment(id);
            let grg = resource_group(id);
            (
                format!("Gateway {name}"),
                format!(
                    "`az network vnet-gateway show -g {grg} -n {name} -o json`, or `Get-AzVirtualNetworkGateway -ResourceGroupName {grg} -Name {name} | ConvertTo-Json -Depth 10`"
                ),
                state.source_of(id),
            )
        }
    };
    let from = source.and_then(|s| s.source.as_deref()).map(|s| format!(" (it came from {s})")).unwrap_or_default();
    Finding::unknown(c, format!("{subject}: {field} {NOT_IN_INPUT}{from}, so it cannot be checked."))
        .evidence(format!("{field}: (absent)"))
        .fix(format!("Give the full output, which carries {field}: {give}. A table (`Format-Table`, `-o table`) leaves fields out."))
}

/// Whether the input carried a field of a peering (a dotted path in its
/// body). ARM's JSON leaves some fields out when they are unset (a Microsoft
/// peering without `routeFilter`), which means "none"; a source that carried
/// only some fields (`provenance`) says nothing about the others.
pub fn carried(state: &CircuitState, peering: &str, field: &str) -> bool {
    let paths = state.paths();
    match (state.source_of(&paths.peering(peering)), state.source_of(&paths.circuit)) {
        (Some(p), _) => p.carried(field),
        (None, Some(c)) => c.carried(&format!("properties.peerings.{field}")),
        (None, None) => true,
    }
}

/// The resource group named in an ARM id, or `RG` for a command to complete.
fn resource_group(id: &str) -> String {
    ResourceId::parse(id).ok().and_then(|r| r.resource_group().map(str::to_string)).unwrap_or_else(|| "RG".into())
}
