use crate::globalreach;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Each Global Reach link is known to both circuits: the other circuit's
    /// private peering holds the matching entry (`peeredConnections[]` for a
    /// link made here, `connections[]` for one it made) naming this circuit's
    /// private peering.
    ///
    /// ## Why it matters
    /// A link recorded on one circuit only (the other circuit's peering was
    /// deleted and recreated, or the link was removed there) carries no
    /// traffic although this circuit still lists it.
    ///
    /// ## Evidence
    /// This private peering's `connections[]` and `peeredConnections[]`; the
    /// other circuit's private peering (embedded in its body or read on its
    /// own). When the other circuit cannot be read (another subscription)
    /// the check is `unknown`, never a failure; a missing private peering
    /// there is ER211's. Skipped without Global Reach.
    ///
    /// ## Remediation
    /// Delete the stale link and create it again from one circuit (with the
    /// other circuit's authorization key across subscriptions).
    ///
    /// ## References
    /// Configure ExpressRoute Global Reach: verify the configuration on both
    /// circuits (`Get-AzExpressRouteCircuitConnectionConfig`,
    /// `az network express-route peering connection show`).
    pub static GLOBAL_REACH_ONE_SIDED = {
        id: "ER212", name: "global-reach-one-sided", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    globalreach::per_peer_link(c, cx, out, |x| {
        let (link, peer, who, other) = (x.link, x.peer, &x.who, x.other);
        let Some(Some(peering)) = peer.and_then(|p| p.private()) else {
            return Finding::unknown(c, format!("{who}: the private peering of {other} was not read or does not exist (ER211), so the other side of the link cannot be compared."));
        };
        match globalreach::mirror(cx, peering)(link) {
            Some(m) => Finding::pass(c, format!("{who}: {other} holds the link too ({}).", m.name())).evidence(format!("{other}: {} → this circuit's private peering", m.name())),
            None => Finding::fail(c, format!("{who}: configured on this circuit only; the private peering of {other} holds no link to this circuit."))
                .evidence(format!("{other}: connections[] and peeredConnections[] name no link to this circuit"))
                .fix(format!("Delete the stale link {} and create it again (across subscriptions, with an authorization key of {other}).", link.name())),
        }
    });
}
