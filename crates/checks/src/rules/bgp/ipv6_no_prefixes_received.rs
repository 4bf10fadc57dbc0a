use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::BgpState;

check! {
    /// ## What it checks
    /// For each path whose IPv6 session is Established, the MSEE receives
    /// at least one IPv6 prefix from on-premises (`statePfxRcd` of the IPv6
    /// neighbor row). Paths without an IPv6 session are
    /// `ipv6-bgp-session-down`'s to report.
    ///
    /// ## Why it matters
    /// An Established IPv6 session with 0 prefixes gives Azure no IPv6 route
    /// back to on-premises: IPv6 traffic from the VNet has nowhere to go
    /// although every session is up, while IPv4 works. When the CE's own
    /// output shows that it sends the MSEE nothing over IPv6
    /// (ce-advertised-prefixes on the IPv6 neighbor), that finding is the
    /// cause and this one its consequence, as for IPv4.
    ///
    /// ## Evidence
    /// The IPv6 neighbor row of `routeTablesSummary/{primary,secondary}`.
    ///
    /// ## Remediation
    /// Advertise the on-premises IPv6 prefixes to the MSEE's IPv6 neighbor:
    /// `network` statements or redistribution under `address-family ipv6`,
    /// and the outbound prefix-list or route-map towards the MSEE.
    ///
    /// ## References
    /// Add IPv6 support for private peering; Verify ExpressRoute
    /// connectivity: "Validate BGP and routes on the MSEE".
    pub static IPV6_NO_PREFIXES_RECEIVED = {
        id: "ER411", name: "ipv6-no-prefixes-received", layer: Bgp, owner: Customer, points: [2],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_path(out, |p, d| {
        let row = facts::session6(p, d).filter(|_| p.peering.ipv6().is_some_and(|v6| !v6.is_disabled()))?;
        let BgpState::Established(n) = row.state_pfx_rcd else { return None };
        let f = if n == 0 {
            let f = Finding::fail(c, "IPv6 Established, but 0 prefixes received: nothing is advertised over IPv6 from on-premises, so Azure has no IPv6 route back.")
                .evidence(format!("{d} summary: IPv6 neighbor {} statePfxRcd 0", row.neighbor.as_deref().unwrap_or("?")))
                .fix("Advertise the on-premises IPv6 prefixes to the MSEE's IPv6 neighbor: network statements or redistribution under address-family ipv6, and the outbound prefix-list/route-map towards it.");
            facts::advertised_by(f, &p.peering)
        } else {
            Finding::pass(c, format!("{n} IPv6 prefixes received from on-premises."))
        };
        Some(f.ipv6())
    });
}
