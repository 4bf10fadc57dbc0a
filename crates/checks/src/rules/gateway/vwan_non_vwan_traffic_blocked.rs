use crate::facts;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// When the circuit is connected both to a VNet's gateway and to a
    /// Virtual WAN hub's ExpressRoute gateway, whether the hub's gateway
    /// accepts traffic from networks outside the Virtual WAN
    /// (`allowNonVirtualWanTraffic`).
    ///
    /// ## Why it matters
    /// With `allowNonVirtualWanTraffic` false the hub's gateway drops the
    /// prefixes and traffic of the VNets behind the other (VNet) gateway
    /// that reach it through this circuit: those VNets and the hub's cannot
    /// talk over ExpressRoute. That is often intended (Microsoft advises
    /// VNet peering or a hub connection between them, not the circuit), but
    /// it is the cause when such traffic is expected.
    ///
    /// ## Evidence
    /// The hub gateway's `allowNonVirtualWanTraffic`; the connections of
    /// VNet gateways to the circuit. Only a circuit connected to both is
    /// judged.
    ///
    /// ## Remediation
    /// If VNets behind the VNet gateway must reach the hub through the
    /// circuit, enable "Allow traffic from non Virtual WAN networks" on the
    /// hub's ExpressRoute gateway; better, connect those VNets to the hub or
    /// peer them.
    ///
    /// ## References
    /// ARM REST API `ExpressRouteGateways` (`allowNonVirtualWanTraffic`:
    /// "Configures this gateway to accept traffic from non Virtual WAN
    /// networks"); Azure Networking Blog, "Customisation controls for
    /// connectivity between Virtual Networks over ExpressRoute" (2024).
    pub static VWAN_NON_VWAN_TRAFFIC_BLOCKED = {
        id: "ER833", name: "vwan-non-vwan-traffic-blocked", layer: Gateway, owner: Customer, points: [6],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if super::vwan_unused(c, cx, out) {
        return;
    }
    let vnet_gateways: Vec<&str> = cx.state.gateways.iter().filter(|g| g.kind == erdiag_model::GatewayKind::Vnet).map(|g| g.name()).collect();
    if facts::unused(c, !vnet_gateways.is_empty(), "traffic from VNet gateways through the hub (no VNet's own gateway is connected to the circuit).", out) {
        return;
    }
    let peering = facts::private_peering_name(cx.state);
    for g in &cx.state.vwan.gateways {
        let name = g.name();
        let f = facts::when_read(c, &g.gateway, || format!("Virtual WAN gateway {name}"), |gw| {
            let ev = format!("VNet gateway(s) {} and hub gateway {name} on the same circuit", vnet_gateways.join(", "));
            let f = match gw.properties.allow_non_virtual_wan_traffic {
                None => Finding::unknown(c, format!("Virtual WAN gateway {name} carries no allowNonVirtualWanTraffic.")),
                Some(true) => Finding::pass(c, format!("Hub gateway {name} accepts traffic from the VNets behind {} over this circuit.", vnet_gateways.join(", "))),
                Some(false) => Finding::warn(c, format!("Hub gateway {name} refuses traffic from non-Virtual WAN networks: the VNets behind {} cannot reach the hub over this circuit.", vnet_gateways.join(", ")))
                    .fix("If that traffic is intended, enable \"Allow traffic from non Virtual WAN networks\" on the hub's ExpressRoute gateway; better, connect those VNets to the hub or peer them."),
            };
            f.evidence(ev)
        });
        out.push(f.peering(peering));
    }
}
