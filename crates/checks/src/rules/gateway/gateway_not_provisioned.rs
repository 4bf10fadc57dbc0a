use crate::facts;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Each virtual network gateway connected to the circuit has
    /// `provisioningState` `Succeeded` and is an ExpressRoute gateway.
    ///
    /// ## Why it matters
    /// A gateway in `Failed` or `Updating` state may not forward or may be
    /// mid-change (a resize or an upgrade): connectivity to the VNet is then
    /// unreliable.
    ///
    /// ## Evidence
    /// The gateway resource: `provisioningState`, `gatewayType`, `sku`. A
    /// Virtual WAN hub's `expressRouteGateways` resource is an ExpressRoute
    /// gateway by its type: its `provisioningState` alone is read.
    ///
    /// ## Remediation
    /// `Failed`: reset the gateway or re-apply its last change; if it stays
    /// failed, open a Microsoft support request. `Updating`: wait and
    /// diagnose again.
    ///
    /// ## References
    /// About ExpressRoute virtual network gateways.
    pub static GATEWAY_NOT_PROVISIONED = {
        id: "ER802", name: "gateway-not-provisioned", layer: Gateway, owner: Microsoft, points: [6],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    super::per_gateway_read(c, cx, out, None, "gateway", false, |g| &g.gateway, |g, name, gw| {
        if gw.properties.provisioning_state.is_none() {
            return facts::absent(c, cx.state, facts::Body::Gateway(&g.id), "properties.provisioningState");
        }
        // A Virtual WAN gateway is an ExpressRoute gateway by its type.
        let vwan = matches!(g.kind, erdiag_model::GatewayKind::VirtualWan { .. });
        if gw.properties.gateway_type.is_none() && !vwan {
            return facts::absent(c, cx.state, facts::Body::Gateway(&g.id), "properties.gatewayType");
        }
        let prov = gw.properties.provisioning_state.as_deref().unwrap_or("(absent)");
        let kind = gw.properties.gateway_type.as_deref().unwrap_or(if vwan { "ExpressRoute" } else { "(absent)" });
        let ev = format!("gateway {name}: provisioningState {prov}, gatewayType {kind}");
        let f = if prov.eq_ignore_ascii_case("Succeeded") {
            if kind.eq_ignore_ascii_case("ExpressRoute") {
                Finding::pass(c, format!("Gateway {name} is provisioned."))
            } else {
                Finding::fail(c, format!("Gateway {name} is a {kind} gateway, not an ExpressRoute gateway."))
                    .owner(crate::Owner::Customer)
                    .fix("Connect the circuit to an ExpressRoute virtual network gateway.")
            }
        } else if prov.eq_ignore_ascii_case("Failed") {
            Finding::fail(c, format!("Gateway {name} is in a Failed state."))
                .fix("Reset the gateway or re-apply its last change; if it stays Failed, open a Microsoft support request.")
        } else {
            Finding::warn(c, format!("Gateway {name} is {prov}: a change is in progress.")).fix("Wait for the change to finish and diagnose again.")
        };
        f.evidence(ev)
    });
}
