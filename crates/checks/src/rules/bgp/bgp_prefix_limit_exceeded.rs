use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::BgpState;

check! {
    /// ## What it checks
    /// For each session, the prefixes the MSEE receives stay within the
    /// limit: 4,000 on private peering (10,000 with Premium), 200 per session
    /// on Microsoft peering. Warns from 80% of the limit; fails when the
    /// count is over it or the MSEE shut the session for it (`Idle (PfxCt)`).
    ///
    /// ## Why it matters
    /// The MSEE drops the BGP session when the customer advertises more
    /// prefixes than the limit; it stays down until the count is brought
    /// under the limit.
    ///
    /// ## Evidence
    /// `statePfxRcd` of `routeTablesSummary/{primary,secondary}`, the circuit
    /// SKU.
    ///
    /// ## Remediation
    /// Summarize or filter what the CE advertises to the MSEE (aggregate
    /// routes, an outbound prefix-list), or move to the Premium SKU for
    /// private peering.
    ///
    /// ## References
    /// ExpressRoute limits (Azure subscription and service limits);
    /// ExpressRoute routing requirements.
    pub static BGP_PREFIX_LIMIT_EXCEEDED = {
        id: "ER403", name: "bgp-prefix-limit-exceeded", layer: Bgp, owner: Customer, points: [2, 5],
        breaks_path: true, explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_session(out, |p, d, row| {
        let limit = facts::prefix_limit(cx.state, &p.peering);
        let sku = cx.state.circuit.sku.as_ref().and_then(|s| s.name.clone()).unwrap_or_else(|| "?".into());
        let fix = if p.peering.is_private() && !cx.state.circuit.is_premium() {
            format!("Advertise at most {limit} prefixes to the MSEE: aggregate or filter on the CE (outbound prefix-list), or upgrade the circuit to Premium (10,000).")
        } else {
            format!("Advertise at most {limit} prefixes to the MSEE: aggregate or filter on the CE (outbound prefix-list).")
        };
        let ev = format!("{d} summary: statePfxRcd {}; limit {limit} ({sku})", row.state_pfx_rcd);
        let f = match row.state_pfx_rcd {
            BgpState::IdlePrefixLimit => Finding::fail(
                c,
                format!("The MSEE dropped the session: more than {limit} prefixes were advertised (Idle (PfxCt))."),
            )
            .fix(fix),
            BgpState::Established(n) if n > limit => {
                Finding::fail(c, format!("{n} prefixes received, over the limit of {limit}: the MSEE will drop the session.")).fix(fix)
            }
            BgpState::Established(n) if n * 10 >= limit * 8 => Finding::warn(c, format!("{n} prefixes received, {}% of the limit of {limit}.", n * 100 / limit))
                .breaks(false)
                .fix(fix),
            BgpState::Established(n) => Finding::pass(c, format!("{n} of at most {limit} prefixes.")),
            _ => return None,
        };
        Some(f.evidence(ev))
    });
}
