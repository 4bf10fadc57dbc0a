use super::each;
use crate::ce::facing_neighbor;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// BFD is enabled for the CE's BGP neighbor towards the MSEE on each
    /// path (a recommendation, never a failure).
    ///
    /// ## Why it matters
    /// Without BFD a dead path is noticed only when the BGP hold timer
    /// expires (up to 180 s): traffic is blackholed until then. With BFD the
    /// failover to the other path takes about a second. The MSEEs have BFD
    /// enabled on private and Microsoft peering.
    ///
    /// ## Evidence
    /// `neighbor … fall-over bfd`, `bfd`, `bfd fast-detect`,
    /// `bfd-liveness-detection`.
    ///
    /// ## Remediation
    /// Enable BFD on the CE interface and for the MSEE neighbor.
    ///
    /// ## References
    /// Configure BFD over ExpressRoute.
    pub static CE_BFD_DISABLED = {
        id: "ER905", name: "ce-bfd-disabled", layer: CustomerEdge, owner: Customer, points: [2],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |_, f, _, sub| {
        let Some(n) = facing_neighbor(&f.config, &sub) else { return None };
        let finding = if n.bfd.is_some() {
            Finding::pass(c, format!("BFD is on for neighbor {}.", n.address.value))
        } else {
            Finding::warn(c, format!("BFD is not enabled for neighbor {}: a dead path is noticed only when the BGP hold timer expires.", n.address.value))
                .fix(format!("Enable BFD for neighbor {} (e.g. `neighbor {} fall-over bfd` on IOS).", n.address.value, n.address.value))
        };
        Some(finding)
    });
}
