use crate::facts;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The throughput of each connected gateway's SKU is at least the
    /// circuit's bandwidth.
    ///
    /// ## Why it matters
    /// Traffic between the circuit and the VNet crosses the gateway: a
    /// gateway smaller than the circuit caps throughput and drops packets
    /// under load, which looks like a circuit problem. The guide recommends a
    /// larger SKU to avoid performance issues.
    ///
    /// ## Evidence
    /// The gateway's `sku.name` (Standard/ErGw1AZ about 1 Gbps,
    /// HighPerformance/ErGw2AZ about 2 Gbps, UltraPerformance/ErGw3AZ about
    /// 10 Gbps, ErGwScale about 1 Gbps per scale unit) and the circuit's
    /// bandwidth.
    ///
    /// ## Remediation
    /// Resize the gateway to a SKU that matches the circuit, or enable
    /// FastPath where supported.
    ///
    /// ## References
    /// About ExpressRoute virtual network gateways (gateway SKUs).
    pub static GATEWAY_SKU_UNDERSIZED = {
        id: "ER806", name: "gateway-sku-undersized", layer: Gateway, owner: Customer, points: [6],
    };
}

/// Approximate throughput of a gateway SKU in Mbps.
fn sku_mbps(name: &str, capacity: Option<u64>) -> Option<u64> {
    match name.to_ascii_lowercase().as_str() {
        "standard" | "ergw1az" => Some(1_000),
        "highperformance" | "ergw2az" => Some(2_000),
        "ultraperformance" | "ergw3az" => Some(10_000),
        "ergwscale" => capacity.map(|c| c * 1_000),
        _ => None,
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if super::unsearched(c, cx, out) {
        return;
    }
    let Some(circuit_mbps) = cx.state.circuit.bandwidth_mbps() else {
        for g in &cx.state.gateways {
            out.push(Finding::unknown(c, format!("The circuit's bandwidth is unknown, so gateway {} cannot be compared with it.", g.name())));
        }
        return;
    };
    cx.per_gateway(out, None, |g, name| {
        if let Some(skip) = super::not_offered_on_vwan(c, g, name, "VNet gateway SKU (it is sized in scale units, ER832)") {
            return Some(skip);
        }
        Some(facts::when_read(c, &g.gateway, || format!("gateway {name}"), |gw| {
            let sku = gw.properties.sku.as_ref();
            let sku_name = sku.and_then(|s| s.name.as_deref()).unwrap_or("(absent)");
            match sku_mbps(sku_name, sku.and_then(|s| s.capacity)) {
                None => Finding::unknown(c, format!("Gateway {name} has SKU {sku_name}, whose throughput erdiag does not know.")),
                Some(g) if g < circuit_mbps => Finding::warn(c, format!("Gateway {name} ({sku_name}, about {g} Mbps) is smaller than the circuit ({circuit_mbps} Mbps): it caps throughput."))
                    .fix("Resize the gateway to a SKU that matches the circuit bandwidth, or enable FastPath where supported."),
                Some(g) => Finding::pass(c, format!("Gateway {name} ({sku_name}, about {g} Mbps) matches the circuit ({circuit_mbps} Mbps).")),
            }
        }))
    });
}
