use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::Collected;

check! {
    /// ## What it checks
    /// When the circuit is connected to no VNet gateway, a Virtual WAN
    /// hub's ExpressRoute gateway of the subscription connects one of its
    /// peerings; and a connection embedded in a vWAN gateway is also in the
    /// gateway's list of connections.
    ///
    /// ## Why it matters
    /// An ExpressRoute gateway deployed in a hub carries nothing until an
    /// ExpressRoute connection links it to the circuit's private peering: the
    /// hub's VNets are then unreachable from on-premises although every
    /// resource looks healthy. A connection the gateway lists in its body but
    /// not in `expressRouteConnections` is half-created (a deployment that
    /// stopped midway).
    ///
    /// ## Evidence
    /// `GET /subscriptions/{sub}/providers/Microsoft.Network/expressRouteGateways`
    /// (each gateway's `virtualHub` and its connections'
    /// `expressRouteCircuitPeering.id`), `{gatewayId}/expressRouteConnections`,
    /// and the connections to the circuit (ER801). The listing failed:
    /// `unknown`. Not collected (a snapshot made without it), or listing no
    /// gateway: nothing to say, Virtual WAN is not used.
    ///
    /// ## Remediation
    /// Connect the circuit to the hub: Virtual WAN → hub → ExpressRoute →
    /// Connect circuit (or `az network express-route gateway connection
    /// create`), with an authorization key for a circuit of another
    /// subscription.
    ///
    /// ## References
    /// Tutorial: Create an ExpressRoute association to Virtual WAN;
    /// ARM REST API `ExpressRouteGateways_ListBySubscription`.
    pub static VWAN_CONNECTION_MISSING = {
        id: "ER831", name: "vwan-connection-missing", layer: Gateway, owner: Customer, points: [5, 6],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let state = cx.state;
    let peering = facts::private_peering_name(state);
    let vwan = super::vwan_connections(state);
    for (g, conns) in &vwan {
        let hub = g.hub_name().unwrap_or("?");
        let mut half_created = false;
        // Embedded in the gateway's body, missing from its list.
        if let (Collected::Ok(list), Some(body)) = (&g.connections, g.gateway.ok()) {
            for e in body.connections_to(&state.circuit_id) {
                let listed = list.iter().any(|l| l.label().eq_ignore_ascii_case(e.label()));
                if !listed {
                    half_created = true;
                    out.push(
                        Finding::fail(c, format!("Hub {hub}'s gateway {} names connection {} to the circuit in its body, but its list of connections does not hold it: the connection is half-created.", g.name(), e.label()))
                            .evidence(format!("{}/expressRouteConnections lists {} connection(s)", g.name(), list.len()))
                            .fix("Re-apply or recreate the hub's ExpressRoute connection to the circuit.")
                            .peering(peering),
                    );
                }
            }
        }
        if !conns.is_empty() && !half_created {
            out.push(Finding::pass(c, format!("Hub {hub}'s ExpressRoute gateway {} holds {} connection(s) to the circuit.", g.name(), conns.len())).peering(peering));
        }
    }
    if !vwan.is_empty() || super::vwan_unused_behind_vnet(c, cx, out) {
        return;
    }
    match &state.vwan.listing {
        Collected::Ok(_) => {
            let hubs: Vec<String> = state
                .vwan
                .unconnected(&state.circuit_id)
                .iter()
                .map(|g| format!("{} (gateway {})", g.hub_name().unwrap_or("?"), g.name.as_deref().or(g.id.as_deref().map(erdiag_model::last_segment)).unwrap_or("?")))
                .collect();
            if facts::unused(c, !hubs.is_empty(), "Virtual WAN (no hub of the subscription has an ExpressRoute gateway).", out) {
                return;
            }
            let vnet_routes = state.private_peering().is_some_and(super::vnet_routes_on_msee);
            let f = if vnet_routes {
                Finding::pass(c, format!("No hub of this subscription connects the circuit, but the MSEEs carry VNet (AS 65515) routes: it is connected from elsewhere. Hubs with an ExpressRoute gateway: {}.", hubs.join(", ")))
            } else {
                Finding::fail(c, format!("The circuit is connected to no gateway: Virtual WAN hub {} has an ExpressRoute gateway, but none of its connections is to this circuit's peering.", hubs.join(", ")))
                    .fix("Connect the circuit's private peering to the hub's ExpressRoute gateway (Virtual WAN → hub → ExpressRoute → Connect circuit).")
            };
            out.push(f.evidence(format!("ExpressRoute gateways listed: {}", hubs.join(", "))).peering(peering));
        }
        listing @ (Collected::Failed(_) | Collected::Unreadable(_)) => out.push(facts::unread(c, listing, "the subscription's list of ExpressRoute gateways").peering(peering)),
        Collected::NotCollected => {}
    }
}
