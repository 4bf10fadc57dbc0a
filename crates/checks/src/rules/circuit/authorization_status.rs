use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::Collected;

check! {
    /// ## What it checks
    /// Each authorization of the circuit: `InUse` (a connection, usually
    /// from another subscription, redeemed its key) or `Available` (none
    /// has). An `Available` one warns; one whose provisioning failed fails.
    ///
    /// ## Why it matters
    /// A VNet in another subscription connects with an authorization key:
    /// `Available` when you expected a connection means its connection was
    /// never created with this key (or failed). An `InUse` authorization is
    /// the only trace here of a connection this credential may not read, so
    /// the gateway step (ER801) says `unknown`, not "no VNet connected".
    ///
    /// ## Evidence
    /// `{circuitId}/authorizations` (list), else `properties.authorizations`
    /// of the circuit: `authorizationUseStatus`, `provisioningState`. The
    /// `authorizationKey` is a secret: erdiag keeps only whether one is set.
    /// An empty list read from ARM is "Not used" (no connection from another
    /// subscription is authorized); a list that could not be read is
    /// `unknown`.
    ///
    /// ## Remediation
    /// For an `Available` authorization that should be used: create the
    /// connection in the other subscription with its key (`az network
    /// vpn-connection create … --express-route-circuit2 ID --authorization-key
    /// KEY`); delete authorizations nobody will redeem.
    ///
    /// ## References
    /// Connect a virtual network to an ExpressRoute circuit: "Connect a
    /// virtual network in a different subscription to a circuit".
    pub static AUTHORIZATION_STATUS = {
        id: "ER120", name: "authorization-status", layer: Circuit, owner: Customer, points: [5, 6],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let auth = &cx.state.authorizations;
    let Some(all) = auth.all() else {
        out.push(match &auth.listing {
            data @ (Collected::Failed(_) | Collected::Unreadable(_)) => facts::unread(c, data, "the circuit's authorizations"),
            _ => facts::absent(c, cx.state, facts::Body::Circuit, "properties.authorizations"),
        });
        return;
    };
    if facts::unused(c, !all.is_empty(), "authorizations (the circuit has none: no connection from another subscription is authorized on it).", out) {
        return;
    }
    for a in all {
        let name = a.name();
        let status = a.properties.authorization_use_status.as_deref().unwrap_or("(absent)");
        let prov = a.properties.provisioning_state.as_deref().unwrap_or("(absent)");
        let ev = format!("authorization {name}: authorizationUseStatus {status}, provisioningState {prov}");
        let f = if !prov.eq_ignore_ascii_case("Succeeded") && a.properties.provisioning_state.is_some() {
            Finding::fail(c, format!("Authorization {name} is {prov}, not Succeeded: its key cannot be redeemed.")).fix("Delete the authorization and create it again.")
        } else if a.in_use() {
            Finding::pass(c, format!("Authorization {name} is InUse: a connection redeemed its key."))
        } else if status.eq_ignore_ascii_case("Available") {
            Finding::warn(c, format!("Authorization {name} is Available: no connection has redeemed its key."))
                .fix(format!("If a VNet in another subscription should be connected, create its connection with the key of {name} (`az network vpn-connection create … --authorization-key KEY`); otherwise delete the authorization."))
        } else {
            Finding::unknown(c, format!("Authorization {name}: authorizationUseStatus is {status}."))
        };
        out.push(f.evidence(ev));
    }
}
