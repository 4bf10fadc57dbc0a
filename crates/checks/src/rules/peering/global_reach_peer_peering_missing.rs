use crate::globalreach;
use crate::{Check, Context, Finding};
use erdiag_model::Collected;

check! {
    /// ## What it checks
    /// The other circuit of each Global Reach link has a private peering.
    ///
    /// ## Why it matters
    /// Global Reach joins two private peerings: without one on the other
    /// circuit there is nothing to join, and the link cannot carry traffic.
    ///
    /// ## Evidence
    /// The other circuit (`peerExpressRouteCircuitPeering.id` without its
    /// `/peerings/…`): its embedded `peerings[]`, or
    /// `{peerCircuitId}/peerings/AzurePrivatePeering` read on its own. A
    /// circuit the credential may not read (another subscription: 403, or
    /// 404) is `unknown`, never a failure. Skipped without Global Reach.
    ///
    /// ## Remediation
    /// Configure private peering on the other circuit, then recreate the link.
    ///
    /// ## References
    /// Configure ExpressRoute Global Reach: "Azure private peering is
    /// configured on your ExpressRoute circuits".
    pub static GLOBAL_REACH_PEER_PEERING_MISSING = {
        id: "ER211", name: "global-reach-peer-peering-missing", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    globalreach::per_peer_link(c, cx, out, |x| {
        let (peer, who, other) = (x.peer, &x.who, x.other);
        match peer.and_then(|p| p.private()) {
            Some(Some(p)) => Finding::pass(c, format!("{who}: the other circuit {other} has private peering ({}).", p.properties.state.as_deref().unwrap_or("state absent")))
                .evidence(format!("{other}: AzurePrivatePeering present")),
            Some(None) => Finding::fail(c, format!("{who}: the other circuit {other} has no private peering, so the link joins nothing."))
                .evidence(format!("{other}: no AzurePrivatePeering"))
                .fix(format!("Configure private peering on {other}, then recreate the Global Reach link.")),
            None => match peer.map(|p| &p.private_peering) {
                Some(data @ (Collected::Failed(_) | Collected::Unreadable(_))) => crate::facts::unread(c, data, &format!("the private peering of {other}")),
                _ => Finding::unknown(c, format!("{who}: the other circuit {other} was read without its peerings.")),
            },
        }
    });
}
