use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::BgpState;

check! {
    /// ## What it checks
    /// For each Established session, the MSEE receives at least one prefix
    /// from the CE (or PE-MSEE).
    ///
    /// ## Why it matters
    /// An Established session with 0 prefixes received means nothing is
    /// advertised from on-premises: Azure has no route back to on-premises
    /// and return traffic is lost, although everything looks "up".
    ///
    /// ## Evidence
    /// `statePfxRcd` of `routeTablesSummary/{primary,secondary}`.
    ///
    /// ## Remediation
    /// Advertise the on-premises prefixes to the MSEE: check the CE's
    /// `network` statements or redistribution and the outbound route-map or
    /// prefix-list towards the MSEE neighbor.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Test private peering connectivity"
    /// (return-path routing).
    pub static BGP_NO_PREFIXES_RECEIVED = {
        id: "ER402", name: "bgp-no-prefixes-received", layer: Bgp, owner: Customer, points: [1, 2],
        breaks_path: true, explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_session(out, |p, d, row| {
        let BgpState::Established(n) = row.state_pfx_rcd else { return None };
        Some(if n == 0 {
            let f = Finding::fail(c, "Established, but 0 prefixes received: nothing is advertised from on-premises, so Azure has no route back.")
                .evidence(format!("{d} summary: neighbor {} statePfxRcd 0", row.neighbor.as_deref().unwrap_or("?")))
                .fix("Advertise the on-premises prefixes to the MSEE: check the CE's network statements or redistribution, and the outbound prefix-list/route-map towards the MSEE neighbor.");
            facts::advertised_by(f, &p.peering)
        } else {
            Finding::pass(c, format!("{n} prefixes received from on-premises."))
        })
    });
}
