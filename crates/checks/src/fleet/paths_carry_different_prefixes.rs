use super::{list, prefixes, Fleet, Member};
use crate::{Check, Finding};
use erdiag_model::DevicePath;
use ipnet::IpNet;
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// For each virtual network gateway, the primary and secondary paths of
    /// every circuit connected to it carry the same prefixes on private
    /// peering, and for each prefix carried on one path only, whether
    /// another circuit of the gateway still carries it on both.
    ///
    /// ## Why it matters
    /// A prefix on one path only loses its path redundancy and invites
    /// asymmetric routing (traffic out on one path, back on the other,
    /// dropped by stateful firewalls). A single circuit's report says so for
    /// its own paths (ER501 routes-paths-differ). This check is its fleet
    /// view and does not report anything ER501 would not: it takes the same
    /// comparison (the customer's and the VNet's prefixes, compared only when
    /// both sessions are Established), gathers it once per gateway, and adds
    /// what one circuit cannot see — whether the gateway still reaches the
    /// prefix over two paths through another circuit. Microsoft peering, and
    /// circuits connected to no gateway, are left to ER501.
    ///
    /// ## Evidence
    /// `routeTables/{primary,secondary}` and `routeTablesSummary` of each
    /// circuit's private peering; the connections to the gateway. A route
    /// table or summary not read makes the circuit's part `unknown`.
    ///
    /// ## Remediation
    /// Advertise the same prefixes on both CE sessions of each circuit;
    /// prefer a path with AS-path prepend or MED, never by leaving prefixes
    /// out.
    ///
    /// ## References
    /// Designing for high availability with ExpressRoute
    /// (https://learn.microsoft.com/azure/expressroute/designing-for-high-availability-with-expressroute);
    /// `erdiag explain ER501`.
    pub static PATHS_CARRY_DIFFERENT_PREFIXES = {
        id: "ER002", name: "paths-carry-different-prefixes", layer: Resiliency, owner: Customer, points: [2, 5],
    };
}

/// What ER501 compares for one circuit: both paths' prefixes when both
/// sessions are Established; `None` when it would not compare them.
fn compared(m: &Member) -> Option<Result<[BTreeSet<IpNet>; 2], String>> {
    let p = m.circuit.private()?;
    let mut sets = [BTreeSet::new(), BTreeSet::new()];
    for d in DevicePath::BOTH {
        let path = p.path(d);
        let routes = match (&path.routes, &path.session) {
            (super::Fact::Unread(why), _) | (_, super::Fact::Unread(why)) => return Some(Err(format!("{}: {why}", m.circuit.name))),
            (super::Fact::Read(r), super::Fact::Read(s)) if s.established => r,
            _ => return None,
        };
        sets[d.index()] = routes.compared();
    }
    Some(Ok(sets))
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_gateway(out, |g| {
        let mut differ = Vec::new();
        let mut same = Vec::new();
        let mut unread = Vec::new();
        let mut both: Vec<(&str, BTreeSet<IpNet>)> = Vec::new();
        for m in &g.members {
            match compared(m) {
                Some(Ok([a, b])) => {
                    let only: Vec<(DevicePath, Vec<IpNet>)> = vec![
                        (DevicePath::Primary, a.difference(&b).copied().collect()),
                        (DevicePath::Secondary, b.difference(&a).copied().collect()),
                    ];
                    if only.iter().all(|(_, v)| v.is_empty()) {
                        same.push(m.circuit.name.as_str());
                    } else {
                        differ.push((m.circuit, only));
                    }
                    both.push((m.circuit.id.as_str(), a.intersection(&b).copied().collect()));
                }
                Some(Err(why)) => unread.push(why),
                None => {}
            }
        }
        if differ.is_empty() {
            return Some(if !unread.is_empty() {
                Finding::unknown(c, format!("Gateway {}: not every circuit's paths could be compared: {}.", g.name(), unread.join("; ")))
            } else if same.is_empty() {
                return None;
            } else {
                Finding::pass(c, format!("Gateway {}: both paths of {} carry the same prefixes.", g.name(), list(&same)))
            });
        }
        let mut f = Finding::warn(
            c,
            format!("Gateway {}: the paths of {} carry different prefixes: asymmetric routing risk.", g.name(), list(&differ.iter().map(|(c, _)| c.name.as_str()).collect::<Vec<_>>())),
        )
        .fix("Advertise the same prefixes on both CE sessions of each circuit; prefer a path with AS-path prepend or MED rather than by omitting prefixes.")
        .circuits(differ.iter().map(|(c, _)| c.id.as_str()));
        for (circuit, only) in &differ {
            for (d, v) in only.iter().filter(|(_, v)| !v.is_empty()) {
                let (covered, single): (Vec<&IpNet>, Vec<&IpNet>) =
                    v.iter().partition(|n| both.iter().any(|(id, s)| *id != circuit.id && s.contains(n)));
                let names = |ns: &[&IpNet]| list(&ns.iter().map(|n| n.to_string()).collect::<Vec<_>>());
                let mut e = format!("{}: {} only on the {d} path", circuit.name, prefixes(v.len()));
                if !single.is_empty() {
                    e.push_str(&format!("; on one path only at this gateway: {}", names(&single)));
                }
                if !covered.is_empty() {
                    e.push_str(&format!("; still on both paths of another circuit: {}", names(&covered)));
                }
                f = f.evidence(e);
            }
        }
        Some(f.evidence_all(unread))
    });
}
