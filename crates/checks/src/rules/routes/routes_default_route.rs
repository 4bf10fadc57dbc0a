use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{Collected, DevicePath};

check! {
    /// ## What it checks
    /// Whether on-premises advertises a default route (0.0.0.0/0 or ::/0) to
    /// the MSEE. On private peering this is forced tunnelling and is reported
    /// for information; on Microsoft peering it is a warning.
    ///
    /// ## Why it matters
    /// A default route over private peering sends all of the VNets' internet
    /// traffic to on-premises: intended for forced tunnelling, surprising
    /// otherwise (VMs lose direct internet access, PaaS endpoints become
    /// reachable only through on-premises). Microsoft peering is no place for
    /// a default route.
    ///
    /// ## Evidence
    /// `routeTables/{primary,secondary}`.
    ///
    /// ## Remediation
    /// If forced tunnelling is not intended, stop advertising the default
    /// route to the MSEE.
    ///
    /// ## References
    /// ExpressRoute routing requirements (default routes).
    pub static ROUTES_DEFAULT_ROUTE = {
        id: "ER503", name: "routes-default-route", layer: Routes, owner: Customer, points: [2, 6, 7],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, name| {
        let mut seen = Vec::new();
        let mut any = false;
        for d in DevicePath::BOTH {
            if let Collected::Ok(rows) = p.routes(d) {
                any = true;
                if let Some(r) = rows.iter().find(|r| facts::is_onprem_route(r) && r.prefix().is_some_and(|n| n.prefix_len() == 0)) {
                    seen.push(format!("{d}: {} via {} (AS path {})", r.network, r.next_hop, r.path.raw));
                }
            }
        }
        if !any {
            return Some(facts::unread(c, p.routes(DevicePath::Primary), &format!("the route tables of {name}")));
        }
        let f = match (seen.is_empty(), p.peering.is_microsoft()) {
            (true, _) => Finding::pass(c, "No default route is advertised from on-premises."),
            (false, false) => Finding::pass(c, "On-premises advertises a default route: forced tunnelling of the VNets' internet traffic is in effect."),
            (false, true) => Finding::warn(c, "On-premises advertises a default route over Microsoft peering.")
                .fix("Stop advertising the default route to the MSEE on Microsoft peering; advertise only your public prefixes."),
        };
        Some(f.evidence_all(seen))
    });
}
