use crate::facts;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The virtual hub of each Virtual WAN ExpressRoute gateway connected to
    /// the circuit is provisioned (`provisioningState` `Succeeded`) and its
    /// router is up (`routingState` `Provisioned`).
    ///
    /// ## Why it matters
    /// In Virtual WAN the hub's router, not the ExpressRoute gateway, programs
    /// the routes between the circuit and the hub's VNets and branches. A hub
    /// whose `routingState` is `Failed` propagates nothing: the gateway may be
    /// healthy and its connection provisioned, yet no VNet prefix reaches the
    /// MSEEs and no on-premises prefix reaches the VNets. `Provisioning` means
    /// the router is still being built (a new hub takes about 30 minutes).
    ///
    /// ## Evidence
    /// `Microsoft.Network/virtualHubs/{hub}` (the gateway's `virtualHub.id`):
    /// `provisioningState`, `routingState`, `virtualRouterAsn`,
    /// `virtualRouterIps`. Not read: `unknown`.
    ///
    /// ## Remediation
    /// `Failed`: reset the hub's router (portal: Virtual hub → Reset router);
    /// if it stays Failed, open a Microsoft support request with the hub's
    /// id. `Provisioning`: wait and diagnose again.
    ///
    /// ## References
    /// Azure Virtual WAN FAQ and "About virtual hub routing" (routingState,
    /// virtual hub router); ARM REST API `VirtualHubs_Get`.
    pub static VWAN_HUB_ROUTING_FAILED = {
        id: "ER830", name: "vwan-hub-routing-failed", layer: Gateway, owner: Microsoft, points: [6],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if super::vwan_unused(c, cx, out) {
        return;
    }
    let peering = facts::private_peering_name(cx.state);
    for g in &cx.state.vwan.gateways {
        let Some(hub_id) = g.hub_id.as_deref() else {
            out.push(Finding::unknown(c, format!("Virtual WAN gateway {} names no virtual hub (properties.virtualHub).", g.name())).peering(peering));
            continue;
        };
        let name = erdiag_model::last_segment(hub_id);
        let f = facts::when_read(c, &g.hub, || format!("virtual hub {name}"), |hub| {
            let prov = hub.properties.provisioning_state.as_deref();
            let routing = hub.properties.routing_state.as_deref();
            let ev = format!(
                "hub {name}: provisioningState {}, routingState {}, router AS {}, router IPs {}",
                prov.unwrap_or("(absent)"),
                routing.unwrap_or("(absent)"),
                hub.properties.virtual_router_asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
                hub.properties.virtual_router_ips.as_deref().map(|ips| ips.join(", ")).unwrap_or_else(|| "?".into()),
            );
            let is = |v: Option<&str>, want: &str| v.is_some_and(|s| s.eq_ignore_ascii_case(want));
            let f = match (prov, routing) {
                (_, None) => Finding::unknown(c, format!("Virtual hub {name} reports no routingState.")),
                (p, _) if is(p, "Failed") => Finding::fail(c, format!("Virtual hub {name} is in a Failed provisioning state: its router cannot be trusted to program routes."))
                    .fix("Reset the virtual hub (portal: Virtual hub → Reset); if it stays Failed, open a Microsoft support request with the hub's id."),
                (_, r) if is(r, "Provisioned") => Finding::pass(c, format!("Virtual hub {name}'s router is Provisioned.")),
                (_, r) if is(r, "Failed") => Finding::fail(c, format!("Virtual hub {name}'s router is Failed (routingState): the hub programs no route between the circuit and its VNets."))
                    .fix("Reset the hub's router (portal: Virtual hub → Reset router); if it stays Failed, open a Microsoft support request with the hub's id."),
                (_, Some(r)) => Finding::warn(c, format!("Virtual hub {name}'s router is {r}, not Provisioned: routes are not programmed yet."))
                    .fix("Wait for the hub's router to finish provisioning (up to 30 minutes for a new hub) and diagnose again."),
            };
            f.evidence(ev)
        });
        out.push(f.peering(peering));
    }
}
