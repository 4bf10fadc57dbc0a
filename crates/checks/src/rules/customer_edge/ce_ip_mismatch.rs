use super::each;
use crate::ce::{at, facing_interface, facing_neighbor, snippet};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On each path, the CE subinterface facing the MSEE has the first usable
    /// address of the path's /30 (with a /30 mask), and the CE's BGP neighbor
    /// towards the MSEE is the second usable address.
    ///
    /// ## Why it matters
    /// The guide: "Microsoft will use the second usable IP address for the
    /// MSEE interface. Ensure the first usable IP address is assigned to the
    /// peered CE/PE-MSEE." A shifted or swapped address leaves the MSEE's ARP
    /// entry unanswered, or BGP pointed at the wrong peer.
    ///
    /// ## Evidence
    /// The CE's interface addresses and `neighbor` statements against the
    /// peering's primary and secondary /30s.
    ///
    /// ## Remediation
    /// Address the CE subinterface with the first usable address and point
    /// the BGP neighbor at the second.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate peering configuration".
    pub static CE_IP_MISMATCH = {
        id: "ER902", name: "ce-ip-mismatch", layer: CustomerEdge, owner: Customer, points: [2],
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |_, f, p, sub| {
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        match facing_interface(&f.config, p, &sub) {
            None => problems.push(format!("no CE interface has {}/{}", sub.customer, sub.net.prefix_len())),
            Some(i) => {
                let v4 = i.addresses.iter().find(|a| a.value.addr().is_ipv4() == sub.customer.is_ipv4());
                match v4 {
                    None => problems.push(format!("{} has no address; it must be {}/{}", i.name.value, sub.customer, sub.net.prefix_len())),
                    Some(a) if a.value.addr() != sub.customer || a.value.prefix_len() != sub.net.prefix_len() => {
                        let what = if a.value.addr() == sub.msee {
                            format!("{} uses the MSEE's address {}: swapped with the MSEE", i.name.value, a.value)
                        } else {
                            format!("{} has {}, Azure expects {}/{} ({})", i.name.value, a.value, sub.customer, sub.net.prefix_len(), at(f, a.span))
                        };
                        evidence.push(snippet(f, a.span, &format!("Azure expects {}/{}", sub.customer, sub.net.prefix_len())));
                        problems.push(what);
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(bgp) = &f.config.bgp {
            match facing_neighbor(&f.config, &sub) {
                Some(n) if n.address.value != sub.msee => {
                    evidence.push(snippet(f, n.address.span, &format!("the MSEE is {}", sub.msee)));
                    problems.push(format!("the BGP neighbor is {}, the MSEE is {} ({})", n.address.value, sub.msee, at(f, n.address.span)));
                }
                Some(_) => {}
                None => {
                    evidence.push(snippet(f, bgp.span, &format!("no neighbor {}", sub.msee)));
                    problems.push(format!("router bgp has no neighbor {} (the MSEE)", sub.msee));
                }
            }
        }
        let finding = if problems.is_empty() {
            Finding::pass(c, format!("The CE uses {}/{} and peers with the MSEE at {}.", sub.customer, sub.net.prefix_len(), sub.msee))
        } else {
            Finding::fail(c, format!("{}: {}.", f.file, problems.join("; ")))
                .evidence_all(evidence)
                .fix(format!("Address the CE subinterface {}/{} (first usable) and use neighbor {} (second usable, the MSEE).", sub.customer, sub.net.prefix_len(), sub.msee))
        };
        Some(finding)
    });
}
