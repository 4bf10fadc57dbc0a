use crate::facts;
use crate::rules::bgp::bgp_no_prefixes_received::BGP_NO_PREFIXES_RECEIVED;
use crate::rules::bgp::bgp_session_down::BGP_SESSION_DOWN;
use crate::{Check, Context, Finding};
use erdiag_model::{BgpState, Collected, DevicePath};
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// The gateway has learned (its `getLearnedRoutes`, origin EBgp) every
    /// on-premises prefix that the MSEEs carry on private peering.
    ///
    /// ## Why it matters
    /// A prefix the MSEE has but the gateway lacks is unreachable from the
    /// VNet: VMs send the traffic elsewhere (or nowhere) although the circuit
    /// carries the route.
    ///
    /// ## Evidence
    /// On-premises routes in `routeTables/{primary,secondary}` of private
    /// peering, against `{gatewayId}/getLearnedRoutes`. When the MSEEs carry
    /// none because no BGP session with on-premises delivers any
    /// (`routeTablesSummary`), the gateway cannot learn them: the failure is
    /// a consequence of `bgp-session-down` (or of `bgp-no-prefixes-received`
    /// when the sessions are up), not a gap.
    ///
    /// ## Remediation
    /// Check the connection's state and the gateway's BGP sessions; a
    /// connection with route filtering or a gateway over its route limit drops
    /// prefixes. Open a Microsoft support request if the sessions are up and
    /// prefixes are still missing.
    ///
    /// ## References
    /// Get-AzVirtualNetworkGatewayLearnedRoute; ExpressRoute gateway limits.
    pub static GATEWAY_ROUTES_NOT_LEARNED = {
        id: "ER804", name: "gateway-routes-not-learned", layer: Gateway, owner: Microsoft, points: [5, 6],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let Some(private) = cx.state.private_peering() else { return };
    let peering = private.name();
    let mut msee = BTreeSet::new();
    let mut unread = Vec::new();
    for d in DevicePath::BOTH {
        match private.routes(d) {
            Collected::Ok(rows) => msee.extend(rows.iter().filter(|r| facts::is_onprem_route(r)).filter_map(|r| r.prefix())),
            other => unread.extend(other.missing_reason(&format!("the {d} route table of {peering}"))),
        }
    }
    // No session of the MSEEs with on-premises carries a prefix: the
    // gateway has nothing to learn, and the BGP layer's failure says why
    // (a session down, else sessions up with nothing received).
    let sessions_down = DevicePath::BOTH
        .iter()
        .all(|&d| matches!(private.summary(d), Collected::Ok(_)) && !facts::session(private, d).is_some_and(|r| matches!(r.state_pfx_rcd, BgpState::Established(n) if n > 0)));
    let upstream = if DevicePath::BOTH.iter().all(|&d| facts::session(private, d).is_some_and(|r| r.state_pfx_rcd.is_established())) {
        &BGP_NO_PREFIXES_RECEIVED
    } else {
        &BGP_SESSION_DOWN
    };
    super::per_gateway_read(c, cx, out, Some(peering), "the learned routes of gateway", true, |g| &g.learned_routes, |_, name, learned| {
        let have: BTreeSet<ipnet::IpNet> = learned
            .iter()
            .filter(|r| !r.origin.as_deref().is_some_and(|o| o.eq_ignore_ascii_case("Network")))
            .filter_map(|r| r.network.net)
            .collect();
        if msee.is_empty() {
            return if unread.len() == DevicePath::BOTH.len() {
                Finding::unknown(c, format!("{}.", unread.join("; ")))
            } else if sessions_down && have.is_empty() {
                Finding::fail(c, format!("Gateway {name} learned no on-premises prefix: the MSEEs carry none, as no BGP session with on-premises delivers any."))
                    .evidence(format!("getLearnedRoutes of gateway {name}: no route learned over BGP"))
                    .fix("Bring up the BGP sessions between on-premises and the MSEEs (see the BGP findings); the gateway learns the prefixes once the MSEEs carry them.")
                    .consequence_of(upstream)
            } else {
                Finding::unknown(c, "The MSEEs carry no on-premises prefixes to compare with what the gateway learned.")
            };
        }
        let missing: Vec<String> = msee.difference(&have).map(|n| n.to_string()).collect();
        if missing.is_empty() {
            Finding::pass(c, format!("Gateway {name} learned all {} on-premises prefixes the MSEEs carry.", msee.len()))
        } else {
            let mut shown = missing.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
            if missing.len() > 8 {
                shown.push_str(&format!(" and {} more", missing.len() - 8));
            }
            Finding::fail(c, format!("Gateway {name} lacks {} of the {} on-premises prefixes the MSEEs carry.", missing.len(), msee.len()))
                .evidence(format!("missing on the gateway: {shown}"))
                .fix("Check the connection and the gateway's BGP sessions; if they are up and prefixes are still missing, open a Microsoft support request.")
        }
    });
}
