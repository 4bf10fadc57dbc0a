use crate::facts;
use crate::{Check, Context, Finding};

/// Throughput of one scale unit of a Virtual WAN ExpressRoute gateway, in
/// Mbps (Microsoft: "ExpressRoute gateways are provisioned in units of 2 Gbps").
pub const SCALE_UNIT_MBPS: u64 = 2_000;

check! {
    /// ## What it checks
    /// The minimum scale units of each Virtual WAN ExpressRoute gateway
    /// connected to the circuit (`autoScaleConfiguration.bounds.min`) carry
    /// at least the circuit's bandwidth: one scale unit is 2 Gbps.
    ///
    /// ## Why it matters
    /// The hub's gateway forwards every packet between the circuit and the
    /// hub's VNets: below the circuit's bandwidth it caps throughput and
    /// drops at peaks, while the circuit's own counters look fine.
    ///
    /// ## Evidence
    /// The gateway's `autoScaleConfiguration.bounds.min` and the circuit's
    /// `bandwidthInMbps` (or the Direct circuit's `bandwidthInGbps`).
    /// Threshold: min × 2,000 Mbps < circuit bandwidth warns.
    ///
    /// ## Remediation
    /// Raise the gateway's minimum scale units to at least circuit
    /// bandwidth ÷ 2 Gbps (up to 10 scale units, 20 Gbps); above that,
    /// spread the traffic over several hubs.
    ///
    /// ## References
    /// Microsoft, "About ExpressRoute connections in Azure Virtual WAN",
    /// ExpressRoute gateway performance: one scale unit = 2 Gbps, up to
    /// 10 scale units = 20 Gbps.
    pub static VWAN_SCALE_UNITS_UNDERSIZED = {
        id: "ER832", name: "vwan-scale-units-undersized", layer: Gateway, owner: Customer, points: [6],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if super::vwan_unused(c, cx, out) {
        return;
    }
    let peering = facts::private_peering_name(cx.state);
    for g in &cx.state.vwan.gateways {
        let name = g.name();
        let f = facts::when_read(c, &g.gateway, || format!("Virtual WAN gateway {name}"), |gw| {
            let Some(units) = gw.min_scale_units() else {
                return Finding::unknown(c, format!("Virtual WAN gateway {name} carries no autoScaleConfiguration.bounds.min."));
            };
            let Some(circuit) = cx.state.circuit.bandwidth_mbps() else {
                return Finding::unknown(c, format!("The circuit's bandwidth is unknown, so gateway {name} ({units} scale units) cannot be compared with it."));
            };
            let mbps = units * SCALE_UNIT_MBPS;
            let ev = format!("gateway {name}: {units} scale unit(s) minimum = {mbps} Mbps; circuit {circuit} Mbps");
            let f = if mbps < circuit {
                let need = circuit.div_ceil(SCALE_UNIT_MBPS);
                Finding::warn(c, format!("Virtual WAN gateway {name} has {units} scale unit(s) ({mbps} Mbps), less than the circuit's {circuit} Mbps: it caps throughput."))
                    .fix(format!("Raise the gateway's minimum scale units to {need} (1 scale unit = 2 Gbps)."))
            } else {
                Finding::pass(c, format!("Virtual WAN gateway {name}: {units} scale unit(s) ({mbps} Mbps) carry the circuit's {circuit} Mbps."))
            };
            f.evidence(ev)
        });
        out.push(f.peering(peering));
    }
}
