use super::{each, each_show};
use crate::ce::{at, facing_interface, snippet};
use crate::{facts, Check, Context, Finding};
use erdiag_ce::model::BgpState;
use erdiag_ce::values::is_addr;
use erdiag_model::{PeerSubnet, PeeringState};

check! {
    /// ## What it checks
    /// On a path of a peering with IPv6 enabled, the CE's IPv6 side matches
    /// the path's /126: the configuration's subinterface facing the MSEE
    /// carries the first usable address of the /126 and `router bgp` has an
    /// IPv6 neighbor at the second usable (the MSEE); a CE BGP summary
    /// (`show bgp ipv6 unicast summary`, or any summary listing IPv6
    /// neighbors) shows that neighbor Established. Without CE evidence or
    /// without IPv6 on the peering, nothing is reported.
    ///
    /// ## Why it matters
    /// On a /126 the MSEE takes the second usable address and expects the
    /// CE at the first, as on the IPv4 /30. An IPv6 neighbor at another
    /// address, or none, keeps the IPv6 session of the path down while
    /// IPv4 works; the CE line that is wrong is the root cause of the
    /// MSEE's `ipv6-bgp-session-down` on that path.
    ///
    /// ## Evidence
    /// The `--ce` configuration (interface IPv6 addresses, BGP neighbors)
    /// and show outputs of the path, against
    /// `ipv6PeeringConfig.{primary,secondary}PeerAddressPrefix`.
    ///
    /// ## Remediation
    /// Address the CE subinterface with the first usable address of the
    /// /126 and configure `neighbor <second usable> remote-as 12076`,
    /// activated under `address-family ipv6`.
    ///
    /// ## References
    /// Add IPv6 support for private peering; ExpressRoute routing
    /// requirements: "IP addresses used for peerings" (a /126 per path,
    /// first usable for the router, second for Microsoft).
    pub static CE_IPV6_NEIGHBOR_MISMATCH = {
        id: "ER925", name: "ce-ipv6-neighbor-mismatch", layer: CustomerEdge, owner: Customer, points: [2],
        explains: [Bgp],
    };
}

/// The /126 of a path of a peering with IPv6 enabled.
fn subnet6(p: &PeeringState, d: erdiag_model::DevicePath) -> Option<PeerSubnet> {
    p.peering.ipv6().filter(|v6| !v6.is_disabled())?.addresses(d)
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |d, f, p, _| {
        let sub6 = subnet6(p, d)?;
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        let v6 = facing_interface(&f.config, p, &facts::addresses(&p.peering, d)?)
            .and_then(|i| i.addresses.iter().find(|a| a.value.addr().is_ipv6()).map(|a| (i, a)));
        match v6 {
            Some((i, a)) if a.value.addr() != sub6.customer || a.value.prefix_len() != 126 => {
                evidence.push(snippet(f, a.span, &format!("Azure expects {}/126", sub6.customer)));
                problems.push(format!("{} has {}, Azure expects {}/126 ({})", i.name.value, a.value, sub6.customer, at(f, a.span)));
            }
            Some(_) => {}
            None => problems.push(format!("the subinterface facing the MSEE has no IPv6 address; it must be {}/126", sub6.customer)),
        }
        if let Some(bgp) = &f.config.bgp {
            let v6n: Vec<_> = bgp.neighbors.iter().filter(|n| n.address.value.is_ipv6()).collect();
            match v6n.iter().find(|n| sub6.net.contains(&n.address.value)) {
                Some(n) if n.address.value != sub6.msee => {
                    evidence.push(snippet(f, n.address.span, &format!("the MSEE is {}", sub6.msee)));
                    problems.push(format!("the IPv6 BGP neighbor is {}, the MSEE is {} ({})", n.address.value, sub6.msee, at(f, n.address.span)));
                }
                Some(_) => {}
                None => {
                    evidence.push(snippet(f, bgp.span, &format!("no neighbor {}", sub6.msee)));
                    problems.push(format!("router bgp has no IPv6 neighbor {} (the MSEE)", sub6.msee));
                }
            }
        }
        Some(verdict(c, f.file, problems, evidence, &sub6))
    });
    each_show(cx, out, |d, o, p, _| {
        let sub6 = subnet6(p, d)?;
        let erdiag_ce::Model::BgpSummary(rows) = &o.parsed.model else { return None };
        let row = rows.iter().find(|r| r.neighbor.trim().parse::<std::net::IpAddr>().is_ok_and(|a| sub6.net.contains(&a)))?;
        let ev = format!("{}: IPv6 neighbor {} state {:?} prefixes received {}", o.at, row.neighbor, row.state, row.prefixes_received.map(|n| n.to_string()).unwrap_or_else(|| "-".into()));
        let problems = if !is_addr(&row.neighbor, sub6.msee) {
            vec![format!("the CE's IPv6 neighbor is {}, the MSEE is {}", row.neighbor, sub6.msee)]
        } else if row.state != BgpState::Established {
            vec![format!("the CE shows its IPv6 session to the MSEE {} as {:?}", sub6.msee, row.state)]
        } else {
            Vec::new()
        };
        Some(verdict(c, &o.at, problems, vec![ev], &sub6))
    });
}

fn verdict(c: &Check, source: &str, problems: Vec<String>, evidence: Vec<String>, sub6: &PeerSubnet) -> Finding {
    let f = if problems.is_empty() {
        Finding::pass(c, format!("The CE uses {}/126 and peers over IPv6 with the MSEE at {}.", sub6.customer, sub6.msee))
    } else {
        Finding::fail(c, format!("{source}: {}.", problems.join("; ")))
            .fix(format!("Address the CE subinterface with {}/126 (first usable) and configure the IPv6 neighbor {} (second usable, the MSEE) with remote-as 12076, activated under address-family ipv6.", sub6.customer, sub6.msee))
    };
    f.evidence_all(evidence).ipv6()
}
