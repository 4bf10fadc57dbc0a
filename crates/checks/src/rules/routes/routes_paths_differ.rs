use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{Collected, DevicePath};
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// For each peering whose two sessions are up, the MSEE's primary and
    /// secondary route tables carry the same prefixes. On a dual-stack
    /// peering the IPv6 prefixes are compared only when both IPv6 sessions
    /// are up (else `ipv6-bgp-session-down` says why one path lacks them).
    ///
    /// ## Why it matters
    /// The two paths are meant to be redundant. A prefix advertised on one
    /// path only loses redundancy for that prefix and invites asymmetric
    /// routing: traffic that leaves on one path and returns on the other
    /// breaks stateful firewalls on the way.
    ///
    /// ## Evidence
    /// `routeTables/{primary,secondary}` of each peering, compared only
    /// when `routeTablesSummary` shows both BGP sessions Established (a
    /// summary that could not be read leaves it `unknown`, naming the call).
    ///
    /// ## Remediation
    /// Advertise the same prefixes on both CE sessions (use AS-path prepend or
    /// MED, not missing prefixes, to prefer one path).
    ///
    /// ## References
    /// Designing for high availability with ExpressRoute.
    pub static ROUTES_PATHS_DIFFER = {
        id: "ER501", name: "routes-paths-differ", layer: Routes, owner: Customer, points: [2, 5],
        explainable: true,
    };
}

fn prefixes(rows: &[erdiag_model::RouteEntry]) -> BTreeSet<ipnet::IpNet> {
    rows.iter().filter(|r| facts::is_onprem_route(r) || facts::is_vnet_route(r)).filter_map(|r| r.prefix()).collect()
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, _| {
        let (Collected::Ok(a), Collected::Ok(b)) = (p.routes(DevicePath::Primary), p.routes(DevicePath::Secondary)) else {
            let why: Vec<String> = DevicePath::BOTH.iter().filter_map(|&d| p.routes(d).missing_reason(&format!("the {d} route table"))).collect();
            return Some(Finding::unknown(c, format!("{}.", why.join("; "))));
        };
        // Whether both sessions are up is read from the summaries.
        let unread: Vec<String> = DevicePath::BOTH.iter().filter_map(|&d| p.summary(d).missing_reason(&format!("the {d} route-table summary"))).collect();
        if !unread.is_empty() {
            return Some(Finding::unknown(c, format!("Whether both BGP sessions are up is not known: {}.", unread.join("; "))));
        }
        if !DevicePath::BOTH.iter().all(|&d| facts::session(p, d).is_some_and(|r| r.state_pfx_rcd.is_established())) {
            return None;
        }
        let (mut pa, mut pb) = (prefixes(a), prefixes(b));
        // A dual-stack peering whose IPv6 session is down on a path carries
        // no IPv6 prefix there: that is ipv6-bgp-session-down's to report,
        // so the IPv6 prefixes are compared only when both IPv6 sessions are up.
        if !DevicePath::BOTH.iter().all(|&d| facts::session6(p, d).is_some_and(|r| r.state_pfx_rcd.is_established())) {
            pa.retain(|n| n.addr().is_ipv4());
            pb.retain(|n| n.addr().is_ipv4());
        }
        let only_a: Vec<String> = pa.difference(&pb).map(|n| n.to_string()).collect();
        let only_b: Vec<String> = pb.difference(&pa).map(|n| n.to_string()).collect();
        let f = if only_a.is_empty() && only_b.is_empty() {
            Finding::pass(c, format!("Both paths carry the same {} prefixes.", pa.len()))
        } else {
            let list = |v: &[String]| {
                let mut s = v.iter().take(5).map(|x| x.as_str()).collect::<Vec<_>>().join(", ");
                if v.len() > 5 {
                    s.push_str(&format!(" and {} more", v.len() - 5));
                }
                s
            };
            let mut f = Finding::warn(c, format!("The paths carry different prefixes ({} only on primary, {} only on secondary): asymmetric routing risk.", only_a.len(), only_b.len()))
                .fix("Advertise the same prefixes on both CE sessions; prefer a path with AS-path prepend or MED rather than by omitting prefixes.");
            if !only_a.is_empty() {
                f = f.evidence(format!("only on primary: {}", list(&only_a)));
            }
            if !only_b.is_empty() {
                f = f.evidence(format!("only on secondary: {}", list(&only_b)));
            }
            f
        };
        Some(f)
    });
}
