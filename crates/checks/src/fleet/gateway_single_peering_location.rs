use super::{list, Fleet};
use crate::{Check, Finding};
use std::collections::BTreeMap;

check! {
    /// ## What it checks
    /// For each virtual network gateway, the circuits of the fleet connected
    /// to it are in at least two peering locations. A gateway with one
    /// circuit fails too: that circuit is its single point of failure.
    ///
    /// ## Why it matters
    /// A circuit's two paths end in one peering location: a power, fibre or
    /// provider outage there takes both down at once. Only circuits in
    /// different peering locations keep the VNet reachable when a site is
    /// lost; Microsoft recommends them for every workload that must survive
    /// one ("site resiliency").
    ///
    /// ## Evidence
    /// Each circuit's `serviceProviderProperties.peeringLocation` (on
    /// ExpressRoute Direct its port's `peeringLocation`) and the connections
    /// whose `peer` is the circuit (`virtualNetworkGateway1`). A circuit
    /// whose location is not known leaves the gateway `unknown` unless the
    /// others already span two locations. A circuit whose connections could
    /// not be listed may serve the gateway too: when it is (or may be) in
    /// another peering location the gateway is `unknown`, not failed; when it
    /// is in the same location, the failure stands and says so.
    ///
    /// ## Remediation
    /// Connect the gateway to a second circuit in another peering location
    /// (the same metro's other site, or another metro), with its own CE
    /// routers, and advertise the same prefixes on both.
    ///
    /// ## References
    /// Designing for high availability with ExpressRoute
    /// (https://learn.microsoft.com/azure/expressroute/designing-for-high-availability-with-expressroute);
    /// Designing for disaster recovery with ExpressRoute private peering
    /// (https://learn.microsoft.com/azure/expressroute/designing-for-disaster-recovery-with-expressroute-privatepeering).
    pub static GATEWAY_SINGLE_PEERING_LOCATION = {
        id: "ER001", name: "gateway-single-peering-location", layer: Resiliency, owner: Customer, points: [5, 6],
    };
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_gateway(out, |g| {
        // By location, compared case-insensitively, spelt as first read.
        let mut at: BTreeMap<String, (&str, Vec<&str>)> = BTreeMap::new();
        let mut unknown = Vec::new();
        for m in &g.members {
            match fleet.peering_location(m.circuit) {
                Some(l) => at.entry(l.to_lowercase()).or_insert((l, Vec::new())).1.push(&m.circuit.name),
                None => unknown.push(m.circuit.name.clone()),
            }
        }
        let evidence: Vec<String> = at.values().map(|(l, cs)| format!("{l}: {}", cs.join(", "))).collect();
        let locations: Vec<&str> = at.values().map(|(l, _)| *l).collect();
        let f = if at.len() >= 2 {
            Finding::pass(c, format!("Gateway {}: its {} circuits are in {} peering locations ({}).", g.name(), g.members.len(), at.len(), list(&locations)))
        } else if !unknown.is_empty() {
            Finding::unknown(c, format!("Gateway {}: the peering location of {} is not known, so whether its circuits span two locations cannot be told.", g.name(), list(&unknown)))
                .fix("Give the circuits' full bodies (serviceProviderProperties.peeringLocation), or for ExpressRoute Direct the port's.")
        } else {
            let (loc, names) = at.values().next().expect("a gateway has a circuit");
            let msg = if g.members.len() == 1 {
                format!("Gateway {} has one circuit, {}, in {loc}: that circuit and its peering location are a single point of failure.", g.name(), names[0])
            } else {
                format!("Gateway {}: all its {} circuits ({}) are in {loc}: an outage of that peering location takes them all down.", g.name(), names.len(), list(names))
            };
            // A circuit whose connections could not be listed may serve this
            // gateway too: it changes the answer only if it may be elsewhere.
            let elsewhere: Vec<String> = fleet
                .circuits
                .iter()
                .filter(|o| o.connections_unread.is_some() && !g.members.iter().any(|m| std::ptr::eq(m.circuit, **o)))
                .filter(|o| fleet.peering_location(o).is_none_or(|l| !l.eq_ignore_ascii_case(loc)))
                .map(|o| match fleet.peering_location(o) {
                    Some(l) => format!("{} ({l})", o.name),
                    None => format!("{} (location not known)", o.name),
                })
                .collect();
            if elsewhere.is_empty() {
                let f = Finding::fail(c, msg).fix(format!("Connect gateway {} to a circuit in another peering location than {loc}, and advertise the same prefixes on it.", g.name()));
                match fleet.connections_unread() {
                    Some(why) => f.evidence(format!("{why}; all of them are in {loc} too, so none would add a location")),
                    None => f,
                }
            } else {
                Finding::unknown(
                    c,
                    format!("Gateway {}: its known circuits are all in {loc}, but the connections of {} could not be read: if one of them serves this gateway, it has a second location.", g.name(), list(&elsewhere)),
                )
                .fix("Give read access to those circuits' connections (Microsoft.Network/connections/read in their subscriptions) and run the fleet again.")
            }
        };
        Some(f.evidence_all(evidence))
    });
}
