use crate::{Check, Context, Finding};
use erdiag_model::Family;

check! {
    /// ## What it checks
    /// A gateway whose virtual network is dual-stack (an IPv6 prefix of
    /// origin `Network` among the gateway's learned routes: the VNet's own
    /// address space) is connected to a circuit whose private peering has
    /// IPv6 enabled. A VNet without IPv6 address space is `skip` (IPv6 not
    /// used).
    ///
    /// ## Why it matters
    /// IPv6 over ExpressRoute needs both halves: an IPv6 address space on the
    /// VNet and its GatewaySubnet, and an IPv6 configuration on the
    /// circuit's private peering. With the VNet dual-stack and the peering
    /// IPv4-only, the VNet's IPv6 prefixes are never advertised to
    /// on-premises and on-premises IPv6 is unreachable from the VNet, while
    /// IPv4 works. It is a warning, not a failure: a VNet may use IPv6 inside
    /// Azure only.
    ///
    /// ## Evidence
    /// `{gatewayId}/getLearnedRoutes` (rows of origin `Network`, the VNet's
    /// address space) and private peering's `ipv6PeeringConfig`. ARM has no
    /// "dual-stack" field on an ExpressRoute gateway; the address space it
    /// announces is what the gateway itself reports.
    ///
    /// ## Remediation
    /// If on-premises must reach the VNet over IPv6, add an IPv6
    /// configuration (a /126 per path) to the circuit's private peering and
    /// enable it, then configure the IPv6 sessions on the CE.
    ///
    /// ## References
    /// Add IPv6 support for private peering (Azure ExpressRoute): "Update
    /// your connection to an existing virtual network"; Get-AzVirtualNetworkGatewayLearnedRoute.
    pub static GATEWAY_IPV6_NO_PEERING = {
        id: "ER820", name: "gateway-ipv6-no-peering", layer: Gateway, owner: Customer, points: [5, 6],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let Some(private) = cx.state.private_peering() else { return };
    let peering = private.name();
    let v6 = private.peering.ipv6();
    super::per_gateway_read(c, cx, out, Some(peering), "the learned routes of gateway", true, |g| &g.learned_routes, |_, name, learned| {
        let space: Vec<String> = learned
            .iter()
            .filter(|r| r.is_vnet_space() && r.family() == Some(Family::V6))
            .filter_map(|r| r.network.net)
            .collect::<std::collections::BTreeSet<_>>()
            .iter()
            .map(ToString::to_string)
            .collect();
        if space.is_empty() {
            return Finding::not_used(c, format!("IPv6 behind gateway {name} (its VNet has no IPv6 address space)."));
        }
        let ev = format!("getLearnedRoutes of gateway {name}: VNet IPv6 space {}", space.join(", "));
        let f = match v6 {
            Some(v6) if !v6.is_disabled() => Finding::pass(c, format!("Gateway {name}'s VNet is dual-stack and {peering} has IPv6 enabled.")),
            Some(_) => Finding::warn(c, format!("Gateway {name}'s VNet is dual-stack ({}), but IPv6 is Disabled on {peering}: its IPv6 prefixes do not cross the circuit.", space.join(", ")))
                .evidence(format!("{peering} ipv6PeeringConfig.state: Disabled")),
            None => Finding::warn(c, format!("Gateway {name}'s VNet is dual-stack ({}), but {peering} has no IPv6 configuration: its IPv6 prefixes do not cross the circuit.", space.join(", ")))
                .evidence(format!("{peering}: no ipv6PeeringConfig")),
        };
        f.evidence(ev).fix(format!("If on-premises must reach the VNet over IPv6, add and enable an IPv6 configuration (a /126 per path) on {peering} and configure the IPv6 sessions on the CE."))
    });
}
