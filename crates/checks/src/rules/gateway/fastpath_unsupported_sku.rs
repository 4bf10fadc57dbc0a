use crate::{Check, Context, Finding};
use erdiag_model::{last_segment, Collected};

/// The VNet gateway SKUs Microsoft documents FastPath for.
const FASTPATH_SKUS: [&str; 2] = ["UltraPerformance", "ErGw3AZ"];

check! {
    /// ## What it checks
    /// A connection to the circuit with FastPath on
    /// (`expressRouteGatewayBypass` true) is made on a gateway whose SKU
    /// supports FastPath: Ultra Performance or ErGw3AZ.
    ///
    /// ## Why it matters
    /// FastPath sends on-premises traffic straight to the VNet's VMs,
    /// bypassing the gateway. On another SKU the flag is set but the traffic
    /// still crosses the gateway: throughput stays capped by the gateway and
    /// the performance the design counted on is not there.
    ///
    /// ## Evidence
    /// The connection's `expressRouteGatewayBypass`; its gateway's
    /// `sku.name`. A connection without FastPath: nothing to judge, no
    /// finding. The gateway not read: `unknown`. ErGwScale: `unknown`
    /// (the rule cited below names no scale-unit threshold for it).
    ///
    /// ## Remediation
    /// Resize the gateway to Ultra Performance or ErGw3AZ (or migrate to
    /// one), or turn FastPath off on the connection so that the design does
    /// not count on it.
    ///
    /// ## References
    /// Microsoft, "About ExpressRoute FastPath", Gateways: "To configure
    /// FastPath, the virtual network gateway must be either: Ultra
    /// Performance, ErGw3AZ".
    pub static FASTPATH_UNSUPPORTED_SKU = {
        id: "ER840", name: "fastpath-unsupported-sku", layer: Gateway, owner: Customer, points: [6, 7],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if super::fastpath_unused(c, cx, out) {
        return;
    }
    let peering = crate::facts::private_peering_name(cx.state);
    for conn in &cx.state.connections {
        let name = conn.name.as_deref().unwrap_or("?");
        if conn.properties.express_route_gateway_bypass != Some(true) {
            continue;
        }
        let Some(gw) = conn.properties.virtual_network_gateway1.as_ref().and_then(|g| g.id.as_deref()) else {
            out.push(Finding::unknown(c, format!("Connection {name} uses FastPath but names no gateway.")).peering(peering));
            continue;
        };
        let gw_name = last_segment(gw);
        let body = cx.state.gateways.iter().find(|g| g.id.eq_ignore_ascii_case(gw)).map(|g| &g.gateway);
        let f = match body {
            Some(Collected::Ok(g)) => match g.properties.sku.as_ref().and_then(|s| s.name.as_deref()) {
                None => Finding::unknown(c, format!("Gateway {gw_name} carries no SKU, so FastPath on {name} cannot be judged.")),
                Some(sku) if FASTPATH_SKUS.iter().any(|s| s.eq_ignore_ascii_case(sku)) => {
                    Finding::pass(c, format!("FastPath on connection {name}: gateway {gw_name} is {sku}, which supports it."))
                }
                Some(sku) if sku.eq_ignore_ascii_case("ErGwScale") => Finding::unknown(c, format!("FastPath on connection {name} with gateway {gw_name} ErGwScale: whether its scale units support FastPath is not in the rule erdiag cites.")),
                Some(sku) => Finding::fail(c, format!("Connection {name} has FastPath on, but gateway {gw_name} is {sku}: FastPath needs Ultra Performance or ErGw3AZ, so traffic still crosses the gateway."))
                    .fix("Resize the gateway to Ultra Performance or ErGw3AZ, or turn FastPath off so the design does not count on it."),
            }
            .evidence(format!("connection {name}: expressRouteGatewayBypass true; gateway {gw_name}")),
            Some(other) => crate::facts::unread(c, other, &format!("gateway {gw_name}")),
            None => Finding::unknown(c, format!("Gateway {gw_name} of connection {name} was not collected.")),
        };
        out.push(f.peering(peering));
    }
}
