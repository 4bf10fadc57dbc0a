use crate::facts;
use crate::globalreach;
use crate::{Check, Context, Finding};
use erdiag_model::{Collected, DevicePath};

check! {
    /// ## What it checks
    /// No Global Reach link's /29 (or IPv6 /125) overlaps a VNet prefix, an
    /// on-premises prefix, or a peering subnet of this circuit.
    ///
    /// ## Why it matters
    /// The MSEEs route the /29 between the two circuits: a VNet or an
    /// on-premises network inside it is shadowed or black-holed for the
    /// sites behind the other circuit, and a peering subnet inside it breaks
    /// the BGP sessions of that peering.
    ///
    /// ## Evidence
    /// `addressPrefix` of each link; the private peering's MSEE route tables
    /// on both paths (VNet prefixes: AS path ending in 65515; on-premises:
    /// learned from the CE); `primaryPeerAddressPrefix` and
    /// `secondaryPeerAddressPrefix` (and their IPv6 counterparts) of every
    /// peering. An overlap with a peering subnet fails even when the route
    /// tables were not read; otherwise unread route tables are `unknown`.
    /// Skipped without Global Reach.
    ///
    /// ## Remediation
    /// Recreate the link with a /29 taken from address space used nowhere
    /// else.
    ///
    /// ## References
    /// Configure ExpressRoute Global Reach (the /29 must not overlap other
    /// address space); ExpressRoute routing requirements.
    pub static GLOBAL_REACH_PREFIX_OVERLAP = {
        id: "ER214", name: "global-reach-prefix-overlap", layer: Peering, owner: Customer, points: [5],
    };
}

fn overlaps(a: &ipnet::IpNet, b: &ipnet::IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    // What the link's subnet must not touch: (what it is, prefix).
    let mut taken: Vec<(String, ipnet::IpNet)> = Vec::new();
    for p in &cx.state.peerings {
        let props = &p.peering.properties;
        let v6 = props.ipv6_peering_config.as_ref();
        let subnets = [
            ("primary", props.primary_peer_address_prefix.as_deref()),
            ("secondary", props.secondary_peer_address_prefix.as_deref()),
            ("IPv6 primary", v6.and_then(|v| v.primary_peer_address_prefix.as_deref())),
            ("IPv6 secondary", v6.and_then(|v| v.secondary_peer_address_prefix.as_deref())),
        ];
        for (label, s) in subnets {
            if let Some(n) = s.and_then(|s| s.trim().parse::<ipnet::IpNet>().ok()) {
                taken.push((format!("the {label} subnet of {}", p.name()), n.trunc()));
            }
        }
    }
    let mut unread: Option<String> = None;
    if let Some(private) = cx.state.private_peering() {
        for d in DevicePath::BOTH {
            match private.routes(d) {
                Collected::Ok(rows) => {
                    for r in rows {
                        let Some(net) = r.network.net else { continue };
                        let kind = if facts::is_vnet_route(r) {
                            "the VNet prefix"
                        } else if facts::is_onprem_route(r) {
                            "the on-premises prefix"
                        } else {
                            continue;
                        };
                        if !taken.iter().any(|(_, n)| *n == net) {
                            taken.push((format!("{kind} {net} ({d} route table)"), net));
                        }
                    }
                }
                other => unread = unread.or_else(|| other.missing_reason(&format!("the {d} route table of {}", private.name()))),
            }
        }
    }
    globalreach::per_link(c, cx, out, |link, _| {
        let who = globalreach::label(link);
        let body = link.body();
        let mut mine: Vec<ipnet::IpNet> = Vec::new();
        let v6 = body.properties.ipv6_circuit_connection_config.as_ref().and_then(|x| x.address_prefix.as_deref());
        for raw in body.properties.address_prefix.as_deref().or(link.embedded.properties.address_prefix.as_deref()).into_iter().chain(v6) {
            if let Ok(n) = raw.trim().parse::<ipnet::IpNet>() {
                mine.push(n.trunc());
            }
        }
        if mine.is_empty() {
            return Finding::unknown(c, format!("{who}: no readable addressPrefix to compare (ER210)."));
        }
        let hits: Vec<String> = mine.iter().flat_map(|m| taken.iter().filter(move |(_, n)| overlaps(m, n)).map(move |(what, _)| format!("{m} overlaps {what}"))).collect();
        let evidence = mine.iter().map(|m| format!("addressPrefix: {m}"));
        if !hits.is_empty() {
            return Finding::fail(c, format!("{who}: {}.", hits.join("; ")))
                .evidence_all(evidence)
                .fix("Recreate the Global Reach link with a /29 (IPv6 /125) taken from address space no VNet, on-premises network or peering uses.");
        }
        match &unread {
            Some(why) => Finding::unknown(c, format!("{who}: no overlap with the peering subnets, but {why}, so VNet and on-premises prefixes were not compared.")).evidence_all(evidence),
            None => Finding::pass(c, format!("{who}: {} overlaps no VNet, on-premises or peering prefix.", mine.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(" and ")))
                .evidence_all(evidence),
        }
    });
}
