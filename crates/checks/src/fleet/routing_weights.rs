use super::redundant_circuits_asymmetric_prefixes::{received, Received};
use super::{list, prefixes, Fleet, Member};
use crate::{Check, Finding};
use erdiag_model::DevicePath;
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// For each virtual network gateway with two circuits or more, the
    /// connections' routing weights send traffic where it can go. When all
    /// weights are equal and the circuits are in different peering
    /// locations, a note (never a failure): the gateway spreads traffic over
    /// them (ECMP) and prefers none. When one circuit weighs most, a warning
    /// if that preferred circuit is not healthy (a private-peering session
    /// not Established) or lacks on-premises prefixes another circuit
    /// carries.
    ///
    /// ## Why it matters
    /// The gateway sends traffic for a prefix over the connection with the
    /// highest routing weight that carries it. Equal weights across two
    /// metros send part of the traffic the long way, which is often not what
    /// was meant; a preferred circuit that has lost a path or some prefixes
    /// keeps the traffic on the weaker circuit, or splits it by prefix.
    ///
    /// ## Evidence
    /// `routingWeight` of each connection from the gateway to a circuit; the
    /// circuits' peering locations; the private peering's route-table
    /// summaries and route tables. A connection whose body lacks the weight
    /// makes the finding `unknown`.
    ///
    /// ## Remediation
    /// Give the circuit that should carry the traffic the highest routing
    /// weight (`az network vpn-connection update --routing-weight`), and
    /// repair or reweigh a preferred circuit that lost a path or prefixes.
    ///
    /// ## References
    /// Optimize ExpressRoute routing
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-optimize-routing);
    /// Designing for high availability with ExpressRoute
    /// (https://learn.microsoft.com/azure/expressroute/designing-for-high-availability-with-expressroute).
    pub static ROUTING_WEIGHTS = {
        id: "ER005", name: "routing-weights", layer: Resiliency, owner: Customer, points: [6],
    };
}

/// Why a preferred circuit is a poor preference, if it is.
fn weakness(m: &Member, others: &BTreeSet<ipnet::IpNet>) -> Result<Option<String>, String> {
    let name = &m.circuit.name;
    let Some(p) = m.circuit.private() else { return Ok(Some(format!("{name} has no private peering"))) };
    let mut down = Vec::new();
    for d in DevicePath::BOTH {
        match p.path(d).established() {
            None => return Err(format!("{name}: {}", p.path(d).session.reason().unwrap_or_default())),
            Some(false) => down.push(d.to_string()),
            Some(true) => {}
        }
    }
    if !down.is_empty() {
        return Ok(Some(format!("{name}'s private-peering session is not Established on the {} path", down.join(" and "))));
    }
    match received(m) {
        Received::Prefixes(own) => {
            let missing: Vec<String> = others.difference(&own).map(|n| n.to_string()).collect();
            Ok((!missing.is_empty()).then(|| format!("{name} lacks {} other circuits carry from on-premises: {}", prefixes(missing.len()), list(&missing))))
        }
        Received::Down => Ok(Some(format!("{name} has no session up"))),
        Received::Unread(why) => Err(why),
    }
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_gateway(out, |g| {
        if g.members.len() < 2 {
            return None;
        }
        let weights: Vec<(&Member, u64)> = g.members.iter().filter_map(|m| Some((m, m.link.routing_weight?))).collect();
        let evidence: Vec<String> = g
            .members
            .iter()
            .map(|m| format!("{} ({}): weight {}", m.circuit.name, fleet.peering_location(m.circuit).unwrap_or("unknown location"), m.link.routing_weight.map_or("not in the input".into(), |w| w.to_string())))
            .collect();
        if weights.len() < g.members.len() {
            let lacking: Vec<&str> = g.members.iter().filter(|m| m.link.routing_weight.is_none()).map(|m| m.circuit.name.as_str()).collect();
            return Some(Finding::unknown(c, format!("Gateway {}: the routing weight of the connection to {} is not in the input.", g.name(), list(&lacking))).evidence_all(evidence));
        }
        let top = weights.iter().map(|(_, w)| *w).max().expect("two members");
        let preferred: Vec<&Member> = weights.iter().filter(|(_, w)| *w == top).map(|(m, _)| *m).collect();
        if preferred.len() == weights.len() {
            let mut locations: Vec<&str> = g.members.iter().filter_map(|m| fleet.peering_location(m.circuit)).collect();
            locations.sort_by_key(|l| l.to_lowercase());
            locations.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
            let msg = if locations.len() >= 2 {
                format!("Note: all {} connections of gateway {} weigh {top}: traffic is spread over the circuits in {} (ECMP), none is preferred.", weights.len(), g.name(), list(&locations))
            } else {
                format!("All {} connections of gateway {} weigh {top}.", weights.len(), g.name())
            };
            return Some(Finding::pass(c, msg).evidence_all(evidence));
        }
        let mut others = BTreeSet::new();
        for (m, _) in weights.iter().filter(|(_, w)| *w < top) {
            if let Received::Prefixes(s) = received(m) {
                others.extend(s);
            }
        }
        let mut weak = Vec::new();
        let mut unread = Vec::new();
        for m in &preferred {
            match weakness(m, &others) {
                Ok(Some(w)) => weak.push(w),
                Ok(None) => {}
                Err(why) => unread.push(why),
            }
        }
        let names: Vec<&str> = preferred.iter().map(|m| m.circuit.name.as_str()).collect();
        let f = if !weak.is_empty() {
            Finding::warn(c, format!("Gateway {} prefers {} (weight {top}), which is not fit to carry its traffic: {}.", g.name(), list(&names), weak.join("; ")))
                .fix(format!("Repair the preferred circuit, or give the healthy circuit the highest routing weight on gateway {} until it is.", g.name()))
        } else if !unread.is_empty() {
            Finding::unknown(c, format!("Gateway {} prefers {} (weight {top}), whose state is not known: {}.", g.name(), list(&names), unread.join("; ")))
        } else {
            Finding::pass(c, format!("Gateway {} prefers {} (weight {top}), which is up on both paths and carries every on-premises prefix the others do.", g.name(), list(&names)))
        };
        Some(f.evidence_all(evidence))
    });
}
