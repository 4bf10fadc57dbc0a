//! Step 7 of the guide: the virtual network gateway and its connection.
pub mod gateway_bgp_peer_down;
pub mod gateway_connection_missing;
pub mod gateway_not_provisioned;
pub mod gateway_routes_not_learned;
pub mod gateway_sku_undersized;
pub mod gateway_unhealthy;

use crate::check::Check;
use crate::{Context, Finding};
use erdiag_model::Collected;

/// When the search for connections failed and found none, no gateway is
/// known: each gateway check says `unknown`, naming the failed listing,
/// instead of nothing. Returns whether it did.
pub(crate) fn unsearched(c: &Check, cx: &Context, out: &mut Vec<Finding>) -> bool {
    let listing = &cx.state.connection_listing;
    if !cx.state.gateways.is_empty() || !matches!(listing, Collected::Failed(_)) {
        return false;
    }
    let Some(private) = cx.state.private_peering() else { return false };
    let why = listing.missing_reason("the list of connections").unwrap_or_default();
    out.push(Finding::unknown(c, format!("No gateway is known: {why}.")).peering(private.name()));
    true
}
