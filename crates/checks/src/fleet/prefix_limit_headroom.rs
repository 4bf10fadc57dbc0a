use super::{Fact, Fleet};
use crate::{Check, Finding};
use erdiag_model::DevicePath;

check! {
    /// ## What it checks
    /// For each circuit and peering, the prefixes the MSEE receives keep at
    /// least 20% headroom to the limit: 4,000 on private peering (10,000 on
    /// Premium), 200 on Microsoft peering. Warns below 20% headroom, fails
    /// over the limit or when the MSEE dropped a session for it.
    ///
    /// ## Why it matters
    /// The MSEE drops the BGP session of a path whose count passes the
    /// limit, and both paths receive the same advertisement: a routine
    /// change on-premises (a new site, a de-aggregation) can then take the
    /// whole circuit down at once. Headroom is what lets a fleet grow without
    /// that cliff. A single circuit's report judges each session against the
    /// same limits (ER403 bgp-prefix-limit-exceeded, from the same
    /// `facts::prefix_limit`); this check gives the fleet's inventory, one
    /// line per circuit with its tightest peering.
    ///
    /// ## Evidence
    /// `statePfxRcd` of `routeTablesSummary/{primary,secondary}` of each
    /// peering (the higher of the two paths), the circuit's SKU tier. A
    /// summary not read makes the circuit `unknown` when no other peering
    /// already fails.
    ///
    /// ## Remediation
    /// Aggregate or filter what the CE advertises (summary routes, an
    /// outbound prefix-list), or move the circuit to Premium for the
    /// private-peering limit of 10,000.
    ///
    /// ## References
    /// ExpressRoute limits
    /// (https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#expressroute-limits);
    /// ExpressRoute FAQ, route limits
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-faqs).
    pub static PREFIX_LIMIT_HEADROOM = {
        id: "ER004", name: "prefix-limit-headroom", layer: Resiliency, owner: Customer, points: [2, 5],
    };
}

/// The headroom below which the check warns, in percent of the limit.
pub const MIN_HEADROOM_PCT: u64 = 20;

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_circuit(out, |ckt| {
        // (status rank, finding) per peering; the worst is the circuit's.
        let mut worst: Option<(u8, Finding)> = None;
        let mut evidence = Vec::new();
        for p in &ckt.peerings {
            let mut max: Option<(u64, DevicePath)> = None;
            let mut dropped = None;
            let mut unread = None;
            for d in DevicePath::BOTH {
                match &p.path(d).session {
                    Fact::Read(s) if s.state.contains("PfxCt") => dropped = Some(d),
                    Fact::Read(s) => {
                        if let Some(n) = s.received.filter(|n| max.is_none_or(|(m, _)| n > &m)) {
                            max = Some((n, d));
                        }
                    }
                    Fact::Unread(why) => unread = Some(why.clone()),
                }
            }
            let limit = p.limit;
            let (rank, f) = if let Some(d) = dropped {
                (3, Finding::fail(c, format!("{} {}: the MSEE dropped the {d} session for more than {limit} prefixes (Idle (PfxCt)).", ckt.name, p.name)))
            } else if let Some((n, d)) = max.filter(|(n, _)| *n > limit) {
                (3, Finding::fail(c, format!("{} {}: {n} prefixes received on the {d} path, over the limit of {limit}.", ckt.name, p.name)))
            } else if let Some(why) = unread {
                (2, Finding::unknown(c, format!("{} {}: the prefix counts are not known: {why}.", ckt.name, p.name)))
            } else if let Some((n, d)) = max.filter(|(n, _)| (limit - n) * 100 < limit * MIN_HEADROOM_PCT) {
                (1, Finding::warn(c, format!("{} {}: {n} of {limit} prefixes on the {d} path: {}% headroom, under {MIN_HEADROOM_PCT}%.", ckt.name, p.name, (limit - n) * 100 / limit)))
            } else if let Some((n, _)) = max {
                (0, Finding::pass(c, format!("{} {}: at most {n} of {limit} prefixes ({}% headroom).", ckt.name, p.name, (limit - n) * 100 / limit)))
            } else {
                continue; // No session up: bgp-session-down's, in the circuit's report.
            };
            evidence.push(format!("{}: {}", p.name, f.message));
            if worst.as_ref().is_none_or(|(r, _)| rank > *r) {
                worst = Some((rank, f.peering(&p.name)));
            }
        }
        let (rank, f) = worst?;
        let tier = if ckt.premium() { "Premium" } else { "Standard" };
        let f = if rank > 0 { f.fix(format!("Aggregate or filter what the CE advertises to the MSEE ({tier} circuit{}).", if ckt.premium() { "" } else { "; Premium raises the private-peering limit to 10,000" })) } else { f };
        Some(if evidence.len() > 1 { f.evidence_all(evidence) } else { f })
    });
}
