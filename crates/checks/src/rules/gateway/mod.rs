//! Step 7 of the guide: the virtual network gateway and its connection.
pub mod gateway_bgp_peer_down;
pub mod gateway_connection_missing;
pub mod gateway_cpu_high;
pub mod gateway_not_provisioned;
pub mod gateway_route_change_storm;
pub mod gateway_routes_not_learned;
pub mod gateway_sku_undersized;
pub mod gateway_unhealthy;

use crate::check::Check;
use crate::{facts, Context, Finding};
use erdiag_model::{Collected, DevicePath, GatewayState, PeeringState};

/// Whether either MSEE's route table of the peering carries a VNet (AS
/// 65515) route: a gateway is connected and advertising, whatever the
/// gateway's own readings say.
pub(crate) fn vnet_routes_on_msee(p: &PeeringState) -> bool {
    DevicePath::BOTH.iter().any(|&d| matches!(p.routes(d), Collected::Ok(rows) if rows.iter().any(facts::is_vnet_route)))
}

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

/// What `f` concludes for each connected gateway from its `data` when it was
/// read, else `unknown` naming why (`{what} {name}` could not be read); on
/// private peering when `peering`. When no gateway is known because the
/// search for connections failed, the one `unknown` of [`unsearched`].
pub(crate) fn per_gateway_read<T>(
    c: &Check,
    cx: &Context,
    out: &mut Vec<Finding>,
    peering: Option<&str>,
    what: &str,
    data: impl Fn(&GatewayState) -> &Collected<T>,
    mut f: impl FnMut(&GatewayState, &str, &T) -> Finding,
) {
    if unsearched(c, cx, out) {
        return;
    }
    cx.per_gateway(out, peering, |g, name| Some(facts::when_read(c, data(g), || format!("{what} {name}"), |x| f(g, name, x))));
}

/// What `f` concludes for each connected gateway from one of its Azure
/// Monitor metrics (with the response it came in), else the `unknown` that
/// says why the metrics or the metric are missing.
pub(crate) fn per_gateway_metric(
    c: &Check,
    cx: &Context,
    out: &mut Vec<Finding>,
    metric: &str,
    mut f: impl FnMut(&str, &erdiag_model::Metrics, &erdiag_model::Metric) -> Finding,
) {
    if unsearched(c, cx, out) {
        return;
    }
    cx.per_gateway(out, None, |g, name| {
        Some(match &g.metrics {
            // Not in the input at all: evidence not supplied, as for the circuit.
            Collected::NotCollected => crate::monitor::not_supplied(c, &format!("gateway {name}")),
            data => facts::when_read(c, data, || format!("Azure Monitor metrics of gateway {name}"), |m| match crate::monitor::metric(c, m, metric, &format!("gateway {name}")) {
                Ok(x) => f(name, m, x),
                Err(unknown) => *unknown,
            }),
        })
    });
}
