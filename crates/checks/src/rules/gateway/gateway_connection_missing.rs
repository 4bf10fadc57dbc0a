use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::Collected;

check! {
    /// ## What it checks
    /// A connection links a virtual network gateway to the circuit (its
    /// `peer` is the circuit), is provisioned, and reports `Connected`; or a
    /// Virtual WAN hub's ExpressRoute gateway has a connection to one of the
    /// circuit's peerings, provisioned.
    ///
    /// ## Why it matters
    /// Private peering reaches a virtual network only through an ExpressRoute
    /// gateway connected to the circuit (network point 6). Without the
    /// connection the MSEEs carry no VNet routes.
    ///
    /// ## Evidence
    /// `Microsoft.Network/connections` resources whose `properties.peer.id`
    /// is the circuit: `provisioningState`, `connectionStatus`. A Virtual WAN
    /// gateway's `expressRouteConnections` whose `expressRouteCircuitPeering`
    /// is a peering of the circuit: `provisioningState` (ARM reports no
    /// connection status for them). With none of either,
    /// the connection listings: read and empty, no VNet of this subscription
    /// is connected (VNet routes on the MSEE then point to one connected from
    /// another subscription); failed or not collected, `unknown`. An
    /// authorization `InUse` (ER120) says a connection from another
    /// subscription exists: without VNet routes on the MSEE its gateway is
    /// `unknown` (not readable here), never "no VNet connected".
    ///
    /// ## Remediation
    /// Create (or repair) the connection between the VNet's ExpressRoute
    /// gateway and the circuit; across subscriptions, use an authorization key.
    ///
    /// ## References
    /// Connect a virtual network to an ExpressRoute circuit.
    pub static GATEWAY_CONNECTION_MISSING = {
        id: "ER801", name: "gateway-connection-missing", layer: Gateway, owner: Customer, points: [5, 6],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let Some(private) = cx.state.private_peering() else { return };
    let peering = private.name();
    let vwan = super::vwan_connections(cx.state);
    for (g, conns) in &vwan {
        let hub = g.hub_name().unwrap_or("?");
        for conn in conns {
            let name = conn.label();
            let prov = conn.properties.provisioning_state.as_deref().unwrap_or("(absent)");
            let ev = format!("Virtual WAN gateway {} (hub {hub}): connection {name}, provisioningState {prov}", g.name());
            let f = match prov {
                // The specification's examples write `Provisioned`.
                p if p.eq_ignore_ascii_case("Succeeded") || p.eq_ignore_ascii_case("Provisioned") => Finding::pass(c, format!("Connection {name} of hub {hub}'s ExpressRoute gateway {} to the circuit is provisioned.", g.name())),
                p if p.eq_ignore_ascii_case("Failed") => Finding::fail(c, format!("Connection {name} of hub {hub}'s ExpressRoute gateway {} to the circuit is Failed.", g.name()))
                    .fix("Re-apply the hub's ExpressRoute connection (Virtual WAN → hub → ExpressRoute), or delete and recreate it."),
                "(absent)" => Finding::unknown(c, format!("Connection {name} of hub {hub}'s ExpressRoute gateway {} carries no provisioningState.", g.name())),
                p => Finding::warn(c, format!("Connection {name} of hub {hub}'s ExpressRoute gateway {} is {p}: a change is in progress.", g.name())).fix("Wait for the change to finish and diagnose again."),
            };
            out.push(f.peering(peering).evidence(ev));
        }
    }
    let vwan_connected = vwan.iter().any(|(_, conns)| !conns.is_empty());
    if cx.state.connections.is_empty() && vwan_connected {
        return;
    }
    if cx.state.connections.is_empty() {
        let vnet_routes = super::vnet_routes_on_msee(private);
        // A connection from another subscription redeems an authorization:
        // one InUse is a connection this credential may not see.
        let in_use = cx.state.authorizations.any_in_use().map(|a| a.name().to_string());
        let f = match &cx.state.connection_listing {
            Collected::Ok(()) | Collected::NotCollected if in_use.is_some() && vnet_routes => {
                let a = in_use.unwrap_or_default();
                Finding::pass(c, format!("No connection to this circuit in its subscription, but authorization {a} is InUse and the MSEE route tables carry VNet (AS 65515) routes: a VNet is connected from another subscription."))
                    .evidence(format!("authorization {a}: InUse"))
            }
            Collected::Ok(()) | Collected::NotCollected if in_use.is_some() => {
                let a = in_use.unwrap_or_default();
                Finding::unknown(c, format!("Authorization {a} is InUse: a connection from another subscription, which this snapshot does not hold, uses the circuit; with no VNet (AS 65515) route read on the MSEEs, its gateway cannot be checked from here."))
                    .evidence(format!("authorization {a}: InUse"))
                    .fix(format!("Read the connection that redeemed authorization {a} with a credential of its subscription (Microsoft.Network/connections/read there; `az network vpn-connection list --query \"[?peer.id=='{}']\"`), or check its gateway there, then --accept-unverified ER801.", cx.state.circuit_id))
            }
            Collected::Ok(()) if vnet_routes => Finding::pass(c, "No connection to this circuit in its subscription, but the MSEE route tables carry VNet (AS 65515) routes: a VNet is connected from another subscription (authorization key).")
                .evidence("connection listings read: none peers with this circuit"),
            // A hub's gateway of the subscription that could serve it is the
            // finding that says more (ER831): this one follows from it.
            Collected::Ok(()) if !unconnected_hubs(cx).is_empty() => Finding::warn(c, format!("No virtual network is connected to this circuit: the connection listings hold none to it and the MSEEs carry no VNet (AS 65515) routes.{}", unconnected_hubs(cx)))
                .consequence_of(&super::vwan_connection_missing::VWAN_CONNECTION_MISSING),
            Collected::Ok(()) => Finding::warn(c, "No virtual network is connected to this circuit: the connection listings hold none to it and the MSEEs carry no VNet (AS 65515) routes.")
                .evidence("connection listings read: none peers with this circuit")
                .fix("Connect the VNet's ExpressRoute gateway to the circuit (in another subscription, with an authorization key), if private peering should reach a VNet."),
            listing @ (Collected::Failed(_) | Collected::Unreadable(_)) => facts::unread(c, listing, "the list of connections"),
            Collected::NotCollected => Finding::unknown(c, "The snapshot holds no connection to this circuit and no connection listing: no VNet is connected, or the connections were not collected (`erdiag import` reads none).")
                .fix("Collect from Azure (`erdiag collect`, with Microsoft.Network/connections/read on the subscription) to list the connections; by hand, `az network vpn-connection list -g RG -o json` or `Get-AzVirtualNetworkGatewayConnection -ResourceGroupName RG` in the gateway's resource group shows whether one peers with this circuit, then --accept-unverified ER801."),
        };
        out.push(f.peering(peering));
        return;
    }
    for conn in &cx.state.connections {
        let name = conn.name.as_deref().unwrap_or("?");
        let prov = conn.properties.provisioning_state.as_deref().unwrap_or("(absent)");
        let status = conn.properties.connection_status.as_deref();
        let ev = format!("connection {name}: provisioningState {prov}, connectionStatus {}", status.unwrap_or("(absent)"));
        let f = if !prov.eq_ignore_ascii_case("Succeeded") {
            Finding::fail(c, format!("Connection {name} is {prov}, not Succeeded.")).fix("Repair the connection: re-apply it, or delete and recreate it.")
        } else {
            match status {
                Some(s) if s.eq_ignore_ascii_case("Connected") => Finding::pass(c, format!("Connection {name} is Connected.")),
                Some(s) if s.eq_ignore_ascii_case("Connecting") => Finding::warn(c, format!("Connection {name} is still Connecting.")),
                Some(s) if s.eq_ignore_ascii_case("NotConnected") => Finding::fail(c, format!("Connection {name} is NotConnected."))
                    .fix("Check the gateway's BGP sessions to the MSEEs below and the circuit's state; re-apply the connection."),
                _ => Finding::unknown(c, format!("Connection {name} is provisioned, but ARM reports no connection status.")),
            }
        };
        out.push(f.peering(peering).evidence(ev));
    }
}

/// The Virtual WAN hubs whose ExpressRoute gateway the subscription lists
/// without a connection to this circuit, as a sentence (or nothing).
fn unconnected_hubs(cx: &Context) -> String {
    let hubs: Vec<&str> = cx.state.vwan.unconnected(&cx.state.circuit_id).iter().filter_map(|g| g.hub_name()).collect();
    if hubs.is_empty() {
        return String::new();
    }
    format!(" Virtual WAN hub {} has an ExpressRoute gateway with no connection to it either (ER831).", hubs.join(", "))
}
