use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// A connection to the circuit with FastPath to private endpoints and
    /// Private Link services on (`enablePrivateLinkFastPath` true, on a
    /// VNet connection or a Virtual WAN hub connection) is on an
    /// ExpressRoute Direct circuit.
    ///
    /// ## Why it matters
    /// Microsoft offers FastPath to private endpoints / Private Link (like
    /// VNet peering and UDR support over FastPath) only for connections to
    /// ExpressRoute Direct circuits. On a provider circuit that traffic
    /// keeps crossing the gateway, which then limits it.
    ///
    /// ## Evidence
    /// The connection's `enablePrivateLinkFastPath`; the circuit's
    /// `expressRoutePort` (present: ExpressRoute Direct). A connection
    /// without it: nothing to judge, no finding.
    ///
    /// ## Remediation
    /// Turn the setting off on a provider circuit and size the gateway for
    /// the private-endpoint traffic, or move the workload to an ExpressRoute
    /// Direct circuit.
    ///
    /// ## References
    /// Microsoft, "About ExpressRoute FastPath", Circuits: "Private endpoint
    /// and Private Link over ExpressRoute FastPath: limited general
    /// availability and only for ExpressRoute Direct".
    pub static FASTPATH_PRIVATE_LINK_NEEDS_DIRECT = {
        id: "ER841", name: "fastpath-private-link-needs-direct", layer: Gateway, owner: Customer, points: [6, 7],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let peering = crate::facts::private_peering_name(cx.state);
    let direct = cx.state.circuit.is_direct();
    let vnet = cx.state.connections.iter().map(|conn| (conn.name.as_deref().unwrap_or("?").to_string(), conn.properties.enable_private_link_fast_path));
    let vwan = super::vwan_connections(cx.state)
        .into_iter()
        .flat_map(|(_, conns)| conns.into_iter().map(|conn| (conn.label().to_string(), conn.properties.enable_private_link_fast_path)));
    let on: Vec<String> = vnet.chain(vwan).filter(|(_, on)| *on == Some(true)).map(|(name, _)| name).collect();
    if crate::facts::unused(c, !on.is_empty(), "FastPath to private endpoints (no connection to the circuit has enablePrivateLinkFastPath on).", out) {
        return;
    }
    for name in on {
        let f = if direct {
            Finding::pass(c, format!("Connection {name}: FastPath to private endpoints on an ExpressRoute Direct circuit."))
        } else {
            Finding::fail(c, format!("Connection {name} has FastPath to private endpoints on, but the circuit is not ExpressRoute Direct: that traffic still crosses the gateway."))
                .fix("Turn enablePrivateLinkFastPath off and size the gateway for private-endpoint traffic, or use an ExpressRoute Direct circuit.")
        };
        out.push(f.peering(peering).evidence(format!("connection {name}: enablePrivateLinkFastPath true; ExpressRoute Direct: {}", if direct { "yes" } else { "no" })));
    }
}
