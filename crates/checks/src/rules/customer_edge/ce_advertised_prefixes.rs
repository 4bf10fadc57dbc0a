use super::each_path_shows;
use crate::ce::{session_established, ShowOutput};
use erdiag_model::{DevicePath, PeerSubnet, PeeringState};
use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_ce::values::is_addr;
use erdiag_ce::Model;
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// From the CE's own show outputs (given with `--ce`): how many prefixes
    /// the CE advertises to the MSEE on each path — the distinct prefixes of
    /// `show ip bgp neighbors <MSEE> advertised-routes`, or else the
    /// `prefixes sent` of `show ip bgp neighbors <MSEE>`. Zero fails (the
    /// "return path" problem); more than the MSEE accepts fails: 4,000 on
    /// private peering (10,000 with Premium), 200 on Microsoft peering.
    /// Warns from 80% of the limit. Zero on a session that is not
    /// Established is skipped: nothing can be advertised then (see
    /// bgp-session-down). Skipped when no such output was given. On a
    /// dual-stack peering the CE's IPv6 neighbor (the MSEE's address of the
    /// path's /126) is judged the same way, for zero only: an IPv6 finding
    /// explains only the IPv6 findings of the path (ER411).
    ///
    /// ## Why it matters
    /// A session that is up while the CE advertises nothing leaves Azure
    /// without a route back to on-premises: traffic from on-premises reaches
    /// the VNet and the replies are lost. The guide: "are you advertising the
    /// appropriate prefixes to Azure?" Over the limit, the MSEE drops the
    /// session. The MSEE's summary shows the count it received
    /// (bgp-no-prefixes-received, bgp-prefix-limit-exceeded); the CE's output
    /// shows why, on the router where it is fixed, so this check explains
    /// them.
    ///
    /// ## Evidence
    /// The CE's advertised routes to the MSEE address (the second usable
    /// address of the path's /30), or its neighbor detail's sent count, or
    /// the sent column of its BGP summary (FRR's `PfxSnt`); the circuit SKU
    /// for the limit.
    ///
    /// ## Remediation
    /// Zero: advertise the on-premises prefixes to the MSEE (`network`
    /// statements or redistribution), and check the outbound prefix-list or
    /// route-map towards the MSEE neighbor. Over the limit: aggregate or
    /// filter what is sent (or move private peering to Premium).
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Test private peering connectivity"
    /// (return-path routing); ExpressRoute limits.
    pub static CE_ADVERTISED_PREFIXES = {
        id: "ER909", name: "ce-advertised-prefixes", layer: CustomerEdge, owner: Customer, points: [1, 2],
        breaks_path: true,
        explains: [Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_path_shows(cx, out, |d, shows, p, sub4| {
        // The IPv4 session, and the IPv6 one of a dual-stack peering: a
        // finding about the IPv6 session explains only IPv6 findings.
        let v6 = facts::addresses6(&p.peering, d);
        [Some(sub4), v6].into_iter().flatten().filter_map(|sub| advertised(c, cx, d, shows, p, sub).map(|f| if sub.customer.is_ipv6() { f.ipv6() } else { f })).collect::<Vec<_>>()
    });
}

/// What the CE advertises to the MSEE of one family's subnet on a path.
fn advertised(c: &Check, cx: &Context, d: DevicePath, shows: &[ShowOutput], p: &PeeringState, sub: PeerSubnet) -> Option<Finding> {
    // What the CE sends to this path's MSEE: its advertised routes, else
    // the sent count of its neighbor detail or of its BGP summary.
    let advertised = shows.iter().filter(|o| !o.filtered()).find_map(|o| {
        o.advertised_to(sub.msee).map(|rows| {
            let prefixes: BTreeSet<&str> = rows.iter().map(|r| r.prefix.as_str()).collect();
            (prefixes.len() as u64, format!("{}: `{}`: {} prefixes", o.at, o.typed.as_deref().unwrap_or(o.parsed.command), prefixes.len()))
        })
    });
    let sent = || {
        shows.iter().find_map(|o| match &o.parsed.model {
            Model::BgpNeighbors(rows) => rows
                .iter()
                .find(|r| is_addr(&r.neighbor, sub.msee))
                .and_then(|r| r.prefixes_sent.map(|n| (n, format!("{}: neighbor {}: {n} prefixes sent", o.at, r.neighbor)))),
            // FRR's summary has a sent column (`PfxSnt`).
            Model::BgpSummary(rows) => rows
                .iter()
                .find(|r| is_addr(&r.neighbor, sub.msee))
                .and_then(|r| r.prefixes_sent.map(|n| (n, format!("{}: summary row {}: PfxSnt {n}", o.at, r.neighbor)))),
            _ => None,
        })
    };
    let (n, ev) = advertised.or_else(sent)?;
    let v6 = sub.customer.is_ipv6();
    let limit = facts::prefix_limit(cx.state, &p.peering);
    let sku = cx.state.circuit.sku.as_ref().and_then(|s| s.name.clone()).unwrap_or_else(|| "?".into());
    let limit_ev = format!("limit {limit} ({}, {sku})", if p.peering.is_microsoft() { "Microsoft peering" } else { "private peering" });
    let over_fix = if p.peering.is_private() && !cx.state.circuit.is_premium() {
        format!("Advertise at most {limit} prefixes to the MSEE {}: aggregate or filter on the CE (outbound prefix-list), or upgrade the circuit to Premium (10,000).", sub.msee)
    } else {
        format!("Advertise at most {limit} prefixes to the MSEE {}: aggregate or filter on the CE (outbound prefix-list).", sub.msee)
    };
    let f = if n == 0 {
        match session_established(p, d, &sub, shows) {
            Some(false) => Finding::skip(c, format!("The CE advertises nothing to the MSEE {}, but the session is not Established: nothing can be advertised until it is.", sub.msee)),
            _ => Finding::fail(c, format!("The CE advertises no {}prefix to the MSEE {}: Azure has no {}route back to on-premises (the return path).", if v6 { "IPv6 " } else { "" }, sub.msee, if v6 { "IPv6 " } else { "" }))
                .fix(format!(
                    "Advertise the on-premises prefixes to the MSEE {} (network statements or redistribution on the CE), and check the outbound prefix-list or route-map of that neighbor.",
                    sub.msee
                )),
        }
    } else if v6 {
        // The IPv4 limits above are not IPv6's: only nothing advertised is judged.
        return Some(Finding::pass(c, format!("The CE advertises {n} IPv6 prefixes to the MSEE {}.", sub.msee)).evidence(ev));
    } else if n > limit {
        Finding::fail(c, format!("The CE advertises {n} prefixes to the MSEE {}, over the limit of {limit}: the MSEE drops the session.", sub.msee)).fix(over_fix)
    } else if n * 10 >= limit * 8 {
        Finding::warn(c, format!("The CE advertises {n} prefixes to the MSEE {}, {}% of the limit of {limit}.", sub.msee, n * 100 / limit)).breaks(false).fix(over_fix)
    } else {
        Finding::pass(c, format!("The CE advertises {n} prefixes to the MSEE {} (at most {limit}).", sub.msee))
    };
    Some(if v6 { f.evidence(ev) } else { f.evidence(ev).evidence(limit_ev) })
}
