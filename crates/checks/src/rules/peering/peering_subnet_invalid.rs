use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{DevicePath, PeerSubnet};

check! {
    /// ## What it checks
    /// Each peering's primary and secondary peer subnets are valid /30s
    /// (IPv6: /126) with no host bits set, distinct, and overlapping neither
    /// each other nor another peering's subnets. The same for the IPv6
    /// peering configuration when there is one.
    ///
    /// ## Why it matters
    /// The two /30s carry the point-to-point links of the two paths: a wrong
    /// length or an overlap means one end cannot address the other, and the
    /// MSEE refuses or misroutes the session.
    ///
    /// ## Evidence
    /// `primaryPeerAddressPrefix`, `secondaryPeerAddressPrefix` and their
    /// `ipv6PeeringConfig` counterparts.
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
        if let [(_, a), (_, b)] = subnets.as_slice() {
            if a.net == b.net {
                problems.push(format!("primary and secondary are the same subnet {}", a.net));
            } else if a.net.contains(&b.net.network()) || b.net.contains(&a.net.network()) {
                problems.push(format!("primary {} and secondary {} overlap", a.net, b.net));
            }
        }
        for (d, s) in &subnets {
            for (other, o) in &all {
                if other.starts_with(&format!("{name}/")) {
                    continue;
                }
                if o.net.contains(&s.net.network()) || s.net.contains(&o.net.network()) {
                    problems.push(format!("{d} subnet {} overlaps {other} ({})", s.net, o.net));
                }
            }
        }
        if let Some(v6) = &p.peering.properties.ipv6_peering_config {
            for (label, pfx) in [("IPv6 primary", &v6.primary_peer_address_prefix), ("IPv6 secondary", &v6.secondary_peer_address_prefix)] {
                if let Some(pfx) = pfx {
                    match PeerSubnet::parse(pfx) {
                        Ok(s) => evidence.push(format!("{label}: {}", s.net)),
                        Err(e) => problems.push(format!("{label}: {e}")),
                    }
                }
            }
        }
        let f = if let (true, Some(field)) = (problems.is_empty(), &absent) {
            facts::absent(c, cx.state, crate::facts::Body::Peering(name), field)
        } else if problems.is_empty() {
            Finding::pass(c, format!("{name}: the peer subnets are valid, distinct /30s."))
        } else {
            Finding::fail(c, format!("{name}: {}.", problems.join("; ")))
                .fix("Give each path its own /30 (IPv6 /126) with no host bits set and no overlap, then configure the CE with the first usable address of each.")
        };
        Some(f.evidence_all(evidence))
    });
}
