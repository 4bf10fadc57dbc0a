use crate::{Check, Context, Finding};
use erdiag_model::{Collected, DevicePath, RouteEntry};
use ipnet::IpNet;
use prefix_trie::PrefixMap;
use std::net::IpAddr;

check! {
    /// ## What it checks
    /// For each destination given with `--dest IP`, the longest-prefix match
    /// in each path's MSEE route table, on every peering: which prefix, next
    /// hop and AS path the MSEE would use. Skipped when no `--dest` is given.
    ///
    /// ## Why it matters
    /// The guide: "If certain destinations are unreachable over a peering,
    /// check the MSEE route table for the corresponding peering context. If
    /// a matching prefix is present, ensure no firewalls, network security
    /// groups, or ACLs are blocking the traffic."
    ///
    /// ## Evidence
    /// `routeTables/{primary,secondary}` of each peering.
    ///
    /// ## Remediation
    /// No match: advertise a prefix covering the destination (on-premises) or
    /// connect its VNet. Match on one path only: advertise it on both. Match
    /// on both: look at NSGs, firewalls and ACLs on the way.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the MSEE".
    pub static ROUTES_DESTINATION_LOOKUP = {
        id: "ER504", name: "routes-destination-lookup", layer: Routes, owner: Customer, points: [2, 5, 6],
        explainable: true,
    };
}

fn lookup(rows: &[RouteEntry], dest: IpAddr) -> Option<(IpNet, Vec<&RouteEntry>)> {
    // Built per call: destinations are few; the table is read once per lookup.
    let mut v4: PrefixMap<ipnet::Ipv4Net, Vec<&RouteEntry>> = PrefixMap::new();
    let mut v6: PrefixMap<ipnet::Ipv6Net, Vec<&RouteEntry>> = PrefixMap::new();
    for r in rows {
        match r.prefix().map(|p| p.trunc()) {
            Some(IpNet::V4(n)) if dest.is_ipv4() => v4.entry(n).or_default().push(r),
            Some(IpNet::V6(n)) if dest.is_ipv6() => v6.entry(n).or_default().push(r),
            _ => {}
        }
    }
    match dest {
        IpAddr::V4(a) => v4.get_lpm(&ipnet::Ipv4Net::from(a)).map(|(p, v)| (IpNet::V4(*p), v.clone())),
        IpAddr::V6(a) => v6.get_lpm(&ipnet::Ipv6Net::from(a)).map(|(p, v)| (IpNet::V6(*p), v.clone())),
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if cx.options.destinations.is_empty() {
        out.push(Finding::skip(c, "No destination given (--dest IP looks one up in each path's route table)."));
        return;
    }
    for &dest in &cx.options.destinations {
        let mut hits = Vec::new();
        let mut unknown = Vec::new();
        for p in &cx.state.peerings {
            for d in DevicePath::BOTH {
                match p.routes(d) {
                    Collected::Ok(rows) => {
                        if let Some((net, routes)) = lookup(rows, dest) {
                            let via: Vec<String> = routes.iter().map(|r| format!("{} (AS path {})", r.next_hop, if r.path.raw.is_empty() { "local" } else { &r.path.raw })).collect();
                            hits.push((p.name().to_string(), d, format!("{}/{d}: {dest} → {net} via {}", p.name(), via.join(", "))));
                        }
                    }
                    other => unknown.push(other.missing_reason(&format!("{}/{d} route table", p.name())).unwrap_or_default()),
                }
            }
        }
        let f = match hits.as_slice() {
            [] if !unknown.is_empty() => Finding::unknown(c, format!("{dest}: no match in the route tables that were read; {}.", unknown.join("; "))),
            [] => Finding::fail(c, format!("{dest} matches no route on either path of any peering: the MSEE cannot forward to it."))
                .fix("Advertise a prefix covering the destination from on-premises, or connect its virtual network to the circuit."),
            [(peering, d, _)] => Finding::warn(c, format!("{dest} is reachable only over {peering}/{d}: no redundancy for it."))
                .peering(peering)
                .fix("Advertise the covering prefix on both paths."),
            _ => Finding::pass(c, format!("{dest} is routed on {} path(s); if it is still unreachable, check NSGs, firewalls and ACLs on the way.", hits.len())),
        };
        let ev: Vec<String> = hits.into_iter().map(|(_, _, e)| e).collect();
        out.push(f.evidence_all(ev));
    }
}
