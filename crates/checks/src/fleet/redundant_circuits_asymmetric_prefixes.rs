use super::{list, prefixes, Fact, Fleet, Member};
use crate::{Check, Finding};
use erdiag_model::DevicePath;
use ipnet::IpNet;
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// For each virtual network gateway with two circuits or more, every
    /// circuit receives the same on-premises prefixes on private peering. An
    /// asymmetric advertisement is named prefix by prefix: for each circuit,
    /// the prefixes the others receive and it does not.
    ///
    /// ## Why it matters
    /// Redundant circuits protect only what both carry. A prefix advertised
    /// over one circuit alone is unreachable from the VNet when that circuit
    /// or its peering location fails, however many circuits the gateway
    /// has; with different prefixes per circuit, traffic also returns over
    /// another circuit than it came, through other firewalls.
    ///
    /// ## Evidence
    /// The MSEE route tables (`routeTables/{primary,secondary}`) of each
    /// circuit's private peering: the routes learned from the customer side
    /// (AS path not ending in the VNet's 65515, not Microsoft's 12076), on
    /// the paths whose session is Established. A circuit none of whose paths
    /// is up is named and not compared (its own report says why); a route
    /// table not read makes the finding `unknown` unless the circuits read
    /// already differ.
    ///
    /// ## Remediation
    /// Advertise the same on-premises prefixes over every circuit of the
    /// gateway; to prefer one circuit use AS-path prepend or the
    /// connections' routing weights, not missing prefixes.
    ///
    /// ## References
    /// Designing for high availability with ExpressRoute
    /// (https://learn.microsoft.com/azure/expressroute/designing-for-high-availability-with-expressroute);
    /// Optimize ExpressRoute routing
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-optimize-routing).
    pub static REDUNDANT_CIRCUITS_ASYMMETRIC_PREFIXES = {
        id: "ER003", name: "redundant-circuits-asymmetric-prefixes", layer: Resiliency, owner: Customer, points: [2, 5, 6],
    };
}

/// What a circuit receives from on-premises on private peering, over the
/// paths whose session is up.
pub(crate) enum Received {
    Prefixes(BTreeSet<IpNet>),
    /// No session up: nothing to compare.
    Down,
    Unread(String),
}

pub(crate) fn received(m: &Member) -> Received {
    let Some(p) = m.circuit.private() else { return Received::Unread(format!("{} has no private peering", m.circuit.name)) };
    let mut set = BTreeSet::new();
    let mut up = false;
    for d in DevicePath::BOTH {
        let path = p.path(d);
        match (&path.session, &path.routes) {
            (Fact::Unread(why), _) | (_, Fact::Unread(why)) => return Received::Unread(format!("{}: {why}", m.circuit.name)),
            (Fact::Read(s), Fact::Read(r)) if s.established => {
                up = true;
                set.extend(r.on_prem.iter().copied());
            }
            _ => {}
        }
    }
    if up {
        Received::Prefixes(set)
    } else {
        Received::Down
    }
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_gateway(out, |g| {
        if g.members.len() < 2 {
            return None;
        }
        let mut sets = Vec::new();
        let mut down = Vec::new();
        let mut unread = Vec::new();
        for m in &g.members {
            match received(m) {
                Received::Prefixes(s) => sets.push((m.circuit, s)),
                Received::Down => down.push(m.circuit.name.clone()),
                Received::Unread(why) => unread.push(why),
            }
        }
        let all: BTreeSet<IpNet> = sets.iter().flat_map(|(_, s)| s.iter().copied()).collect();
        let lacking: Vec<_> = sets.iter().map(|(c, s)| (*c, all.difference(s).map(|n| n.to_string()).collect::<Vec<_>>())).filter(|(_, v)| !v.is_empty()).collect();
        let not_compared = (!down.is_empty()).then(|| format!("not compared, no session up: {}", list(&down)));
        let f = if !lacking.is_empty() {
            let names: Vec<&str> = lacking.iter().map(|(c, _)| c.name.as_str()).collect();
            Finding::warn(c, format!("Gateway {}: its circuits receive different on-premises prefixes; some lack prefixes the others carry: {}.", g.name(), list(&names)))
                .fix(format!("Advertise the same on-premises prefixes over every circuit of gateway {}; prefer one with AS-path prepend or routing weight, not by leaving prefixes out.", g.name()))
                .evidence_all(lacking.iter().map(|(c, v)| format!("{} lacks {}: {}", c.name, prefixes(v.len()), list(v))))
                .evidence_all(unread)
                .circuits(g.members.iter().map(|m| m.circuit.id.as_str()))
        } else if !unread.is_empty() {
            Finding::unknown(c, format!("Gateway {}: not every circuit's on-premises prefixes could be read: {}.", g.name(), unread.join("; ")))
        } else if sets.len() < 2 {
            Finding::unknown(c, format!("Gateway {}: fewer than two of its circuits have a session up, so their prefixes cannot be compared.", g.name()))
        } else {
            Finding::pass(c, format!("Gateway {}: its {} circuits receive the same {} on-premises prefixes.", g.name(), sets.len(), all.len()))
        };
        Some(match not_compared {
            Some(e) => f.evidence(e),
            None => f,
        })
    });
}
