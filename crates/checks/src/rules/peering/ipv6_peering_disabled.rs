use crate::facts;
use crate::rules::peering::peering_not_enabled::PEERING_NOT_ENABLED;
use crate::{Check, Context, Finding, Owner};

check! {
    /// ## What it checks
    /// On a peering with an IPv6 configuration, `ipv6PeeringConfig.state` is
    /// `Enabled`. A peering without IPv6 is `skip` (not used).
    ///
    /// ## Why it matters
    /// The IPv6 configuration of a peering has its own state: `Disabled`
    /// keeps the /126s on the peering but brings no IPv6 session up on
    /// either MSEE, while the IPv4 sessions of the same peering run. IPv6
    /// traffic then has no path over the circuit.
    ///
    /// ## Evidence
    /// `ipv6PeeringConfig.state` of each peering (ARM: `Enabled` or
    /// `Disabled`), and the peering's own `state`.
    ///
    /// ## Remediation
    /// Enable IPv6 on the peering (portal: the peering's IPv6 state;
    /// `Set-AzExpressRouteCircuitPeeringConfig … -PeerAddressType IPv6` with
    /// the /126s, then `Set-AzExpressRouteCircuit`), or remove the IPv6
    /// configuration if IPv6 is not wanted.
    ///
    /// ## References
    /// Ipv6ExpressRouteCircuitPeeringConfig (REST API: `state` Enabled or
    /// Disabled); Add IPv6 support for private peering.
    pub static IPV6_PEERING_DISABLED = {
        id: "ER221", name: "ipv6-peering-disabled", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if facts::ipv6_unused(c, cx.state, out) {
        return;
    }
    cx.per_peering(out, |p, name| {
        let v6 = match facts::ipv6_config(c, p) {
            Ok(v6) => v6,
            Err(skip) => return Some(skip),
        };
        let state = v6.state.as_deref().unwrap_or_default();
        let ev = format!("ipv6PeeringConfig.state: {}", if state.is_empty() { "(absent)" } else { state });
        let f = if v6.is_disabled() {
            let f = Finding::fail(c, format!("IPv6 is configured on {name} but Disabled: no IPv6 session comes up on either path."))
                .fix(format!("Enable the IPv6 configuration of {name} (or remove it if IPv6 is not wanted)."));
            let peering_disabled = p.peering.properties.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Disabled"));
            let f = if peering_disabled { f.consequence_of(&PEERING_NOT_ENABLED) } else { f };
            if p.peering.managed_by_provider() {
                f.owner(Owner::Provider)
            } else {
                f
            }
        } else if state.eq_ignore_ascii_case("Enabled") {
            Finding::pass(c, format!("IPv6 is Enabled on {name}."))
        } else {
            Finding::unknown(c, format!("{name}'s IPv6 state is {}: the input does not say whether IPv6 is enabled.", if state.is_empty() { "not in the input" } else { state }))
                .fix("Collect the peering again (erdiag collect, or az network express-route peering show), which carries ipv6PeeringConfig.state.")
        };
        Some(f.ipv6().evidence(ev))
    });
}
