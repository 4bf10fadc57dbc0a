use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{DevicePath, PeerSubnet};

check! {
    /// ## What it checks
    /// Each peering's primary and secondary peer subnets are valid /30s
    /// with no host bits set, distinct, and overlapping neither each other
    /// nor another peering's subnets. The IPv6 /126s of `ipv6PeeringConfig`
    /// are `ipv6-peering-subnet-invalid`'s (ER220).
    ///
    /// ## Why it matters
    /// The two /30s carry the point-to-point links of the two paths: a wrong
    /// length or an overlap means one end cannot address the other, and the
    /// MSEE refuses or misroutes the session.
    ///
    /// ## Evidence
    /// `primaryPeerAddressPrefix` and `secondaryPeerAddressPrefix`.
    ///
    /// ## Remediation
    /// Correct the subnets on the peering so that each path has its own /30,
    /// and configure the CE with the first usable address of each.
    ///
    /// ## References
    /// Create and modify routing for an ExpressRoute circuit; the guide's note
    /// on the first and second usable addresses.
    pub static PEERING_SUBNET_INVALID = {
        id: "ER203", name: "peering-subnet-invalid", layer: Peering, owner: Customer, points: [2, 5],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    // Every subnet of every peering, for the cross-peering overlap test.
    let mut all: Vec<(String, PeerSubnet)> = Vec::new();
    for p in &cx.state.peerings {
        for d in DevicePath::BOTH {
            if let Some(Ok(s)) = facts::subnet(&p.peering, d) {
                all.push((format!("{}/{d}", p.name()), s));
            }
        }
    }
    cx.per_peering(out, |p, name| {
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        let mut subnets = Vec::new();
        let mut absent = None;
        for d in DevicePath::BOTH {
            match facts::subnet(&p.peering, d) {
                None => absent = absent.or(Some(format!("properties.{d}PeerAddressPrefix"))),
                Some(Err(e)) => problems.push(format!("{d}: {e}")),
                Some(Ok(s)) => {
                    evidence.push(format!("{d}PeerAddressPrefix: {}", s.net));
                    subnets.push((d, s));
                }
            }
        }
        problems.extend(facts::subnet_overlaps(name, &subnets, &all));
        let f = if let (true, Some(field)) = (problems.is_empty(), &absent) {
            facts::absent(c, cx.state, crate::facts::Body::Peering(name), field)
        } else if problems.is_empty() {
            Finding::pass(c, format!("{name}: the peer subnets are valid, distinct /30s."))
        } else {
            Finding::fail(c, format!("{name}: {}.", problems.join("; ")))
                .fix("Give each path its own /30 with no host bits set and no overlap, then configure the CE with the first usable address of each.")
        };
        Some(f.evidence_all(evidence))
    });
}
