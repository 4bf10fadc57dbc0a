use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{DevicePath, PeerSubnet};

check! {
    /// ## What it checks
    /// On a peering with an IPv6 configuration (`ipv6PeeringConfig`), the
    /// primary and secondary peer subnets are valid /126s with no host bits
    /// set, distinct, and overlapping neither each other nor another
    /// peering's IPv6 subnets. A peering without IPv6 is `skip` (not used).
    ///
    /// ## Why it matters
    /// Each /126 carries the IPv6 addresses of one path, on the same
    /// sub-interface as its IPv4 /30: the CE takes the first usable address,
    /// the MSEE the second. A wrong length, host bits or the same /126 on
    /// both paths leave one end unable to address the other, and the IPv6
    /// session of that path never comes up while IPv4 works.
    ///
    /// ## Evidence
    /// `ipv6PeeringConfig.primaryPeerAddressPrefix` and
    /// `ipv6PeeringConfig.secondaryPeerAddressPrefix` of each peering.
    ///
    /// ## Remediation
    /// Set a distinct /126 per path on the peering's IPv6 configuration, and
    /// configure the CE with the first usable address of each (`::1` of a
    /// /126 starting at `::0`), the MSEE being the second (`::2`).
    ///
    /// ## References
    /// Add IPv6 support for private peering (Azure ExpressRoute); Create and
    /// modify peering: "a /126 IPv6 subnet for the primary and secondary
    /// links"; the guide's note on the first and second usable addresses.
    pub static IPV6_PEERING_SUBNET_INVALID = {
        id: "ER220", name: "ipv6-peering-subnet-invalid", layer: Peering, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if facts::ipv6_unused(c, cx.state, out) {
        return;
    }
    // Every valid IPv6 subnet of every peering, for the cross-peering overlap test.
    let mut all: Vec<(String, PeerSubnet)> = Vec::new();
    for p in &cx.state.peerings {
        for d in DevicePath::BOTH {
            if let Some(s) = p.peering.ipv6().and_then(|v6| v6.addresses(d)) {
                all.push((format!("{}/{d}", p.name()), s));
            }
        }
    }
    cx.per_peering(out, |p, name| {
        let v6 = match facts::ipv6_config(c, p) {
            Ok(v6) => v6,
            Err(skip) => return Some(skip),
        };
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        let mut subnets = Vec::new();
        let mut absent = Vec::new();
        for d in DevicePath::BOTH {
            match v6.subnet(d) {
                None => absent.push(format!("ipv6PeeringConfig.{d}PeerAddressPrefix")),
                Some(Err(e)) => problems.push(format!("{d}: {e}")),
                Some(Ok(s)) => {
                    evidence.push(format!("IPv6 {d}PeerAddressPrefix: {}", s.net));
                    subnets.push((d, s));
                }
            }
        }
        problems.extend(facts::subnet_overlaps(name, &subnets, &all));
        let f = if !problems.is_empty() {
            Finding::fail(c, format!("{name} IPv6: {}.", problems.join("; ")))
                .fix("Give each path its own IPv6 /126 with no host bits set and no overlap, then configure the CE with the first usable address of each (the MSEE takes the second).")
        } else if !absent.is_empty() {
            Finding::unknown(c, format!("{name} has an IPv6 configuration without {}: the input does not carry it.", absent.join(" and ")))
                .fix("Collect the peering again (erdiag collect, or az network express-route peering show), which carries ipv6PeeringConfig in full.")
        } else {
            Finding::pass(c, format!("{name}: the IPv6 peer subnets are valid, distinct /126s."))
        };
        Some(f.ipv6().evidence_all(evidence))
    });
}
