//! Step 7 of the guide: the virtual network gateway and its connection.
pub mod gateway_bgp_peer_down;
pub mod gateway_connection_missing;
pub mod gateway_cpu_high;
pub mod gateway_ipv6_no_peering;
pub mod gateway_not_provisioned;
pub mod gateway_route_change_storm;
pub mod gateway_routes_not_learned;
pub mod gateway_sku_undersized;
pub mod gateway_unhealthy;
pub mod vwan_connection_missing;
pub mod vwan_hub_routing_failed;
pub mod vwan_non_vwan_traffic_blocked;
pub mod vwan_scale_units_undersized;
pub mod fastpath_private_link_needs_direct;
pub mod fastpath_unsupported_sku;

use crate::check::Check;
use crate::{facts, Context, Finding};
use erdiag_model::{CircuitState, Collected, DevicePath, ExpressRouteConnection, GatewayKind, GatewayState, PeeringState, VwanGateway};

/// For a Virtual WAN hub's ExpressRoute gateway, the `skip` of a reading ARM
/// does not offer for one (`what`: its BGP peer status, learned routes,
/// VNet gateway SKU); `None` for a VNet's gateway.
pub(crate) fn not_offered_on_vwan(c: &Check, g: &GatewayState, name: &str, what: &str) -> Option<Finding> {
    match &g.kind {
        GatewayKind::Vnet => None,
        GatewayKind::VirtualWan { hub } => Some(Finding::skip(
            c,
            format!("Gateway {name} is the Virtual WAN ExpressRoute gateway of hub {}: ARM offers no {what} for it.", hub.as_deref().unwrap_or("?")),
        )),
    }
}

/// Pushes the `not_used` of a Virtual WAN check when no hub's ExpressRoute
/// gateway is connected to the circuit; says whether it did.
pub(crate) fn vwan_unused(c: &Check, cx: &Context, out: &mut Vec<Finding>) -> bool {
    facts::unused(c, !cx.state.vwan.gateways.is_empty(), "Virtual WAN (no hub's ExpressRoute gateway is connected to the circuit).", out)
}

/// The `not_used` of a Virtual WAN check when the circuit reaches VNets
/// through their own gateways and no hub's gateway is connected; says
/// whether it did.
pub(crate) fn vwan_unused_behind_vnet(c: &Check, cx: &Context, out: &mut Vec<Finding>) -> bool {
    !cx.state.connections.is_empty() && vwan_unused(c, cx, out)
}

/// Pushes the `not_used` of a FastPath check when no connection to the
/// circuit has FastPath (expressRouteGatewayBypass) on; says whether it did.
pub(crate) fn fastpath_unused(c: &Check, cx: &Context, out: &mut Vec<Finding>) -> bool {
    let used = cx.state.connections.iter().any(|conn| conn.properties.express_route_gateway_bypass == Some(true));
    facts::unused(c, used, "FastPath (no connection to the circuit has expressRouteGatewayBypass on).", out)
}

/// The connections of each Virtual WAN gateway to the circuit's peerings:
/// from the gateway's `expressRouteConnections` list when it was read, else
/// those embedded in its body, else in the subscription's listing.
pub(crate) fn vwan_connections(state: &CircuitState) -> Vec<(&VwanGateway, Vec<&ExpressRouteConnection>)> {
    let ckt = state.circuit_id.as_str();
    let listed = |id: &str| match &state.vwan.listing {
        Collected::Ok(items) => items.iter().find(|g| g.id.as_deref().is_some_and(|i| i.eq_ignore_ascii_case(id))),
        _ => None,
    };
    state
        .vwan
        .gateways
        .iter()
        .map(|g| {
            let conns = match (&g.connections, g.gateway.ok(), listed(&g.id)) {
                (Collected::Ok(list), ..) => list.iter().filter(|c| c.connects(ckt)).collect(),
                (_, Some(body), _) => body.connections_to(ckt),
                (_, None, Some(item)) => item.connections_to(ckt),
                _ => Vec::new(),
            };
            (g, conns)
        })
        .collect()
}

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
/// `vnet_only`: ARM offers this reading for a VNet's gateway only, so a
/// Virtual WAN gateway's is [`not_offered_on_vwan`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn per_gateway_read<T>(
    c: &Check,
    cx: &Context,
    out: &mut Vec<Finding>,
    peering: Option<&str>,
    what: &str,
    vnet_only: bool,
    data: impl Fn(&GatewayState) -> &Collected<T>,
    mut f: impl FnMut(&GatewayState, &str, &T) -> Finding,
) {
    if unsearched(c, cx, out) {
        return;
    }
    cx.per_gateway(out, peering, |g, name| {
        if vnet_only {
            if let Some(skip) = not_offered_on_vwan(c, g, name, what.trim_start_matches("the ").trim_end_matches(" of gateway")) {
                return Some(skip);
            }
        }
        Some(facts::when_read(c, data(g), || format!("{what} {name}"), |x| f(g, name, x)))
    });
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
        if let (GatewayKind::VirtualWan { hub }, Collected::NotCollected) = (&g.kind, &g.metrics) {
            let hub = hub.as_deref().unwrap_or("?");
            return Some(Finding::skip(c, format!("Gateway {name} is the Virtual WAN ExpressRoute gateway of hub {hub}: erdiag does not read its Azure Monitor metrics.")));
        }
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
