use super::{list, CircuitFacts, Fleet};
use crate::units::{gbps, mbps};
use crate::{Check, Finding};
use std::collections::BTreeMap;

check! {
    /// ## What it checks
    /// For each ExpressRoute Direct port, the bandwidth provisioned on its
    /// circuits adds up to no more than the port's bandwidth. A port is a
    /// pair of links of the same bandwidth; each circuit takes its bandwidth
    /// on both (primary on one link, secondary on the other), so the sum is
    /// held against one link's bandwidth, which is what the port's
    /// `bandwidthInGbps` gives.
    ///
    /// ## Why it matters
    /// Circuits provisioned beyond the port's capacity cannot all get their
    /// bandwidth at once: under load they congest each other and drop
    /// traffic, and when one link fails the other cannot carry the circuits
    /// either.
    ///
    /// ## Evidence
    /// Each circuit's `expressRoutePort` and `bandwidthInGbps`; the port's
    /// `bandwidthInGbps` (discovery). A port that was not listed, or a
    /// circuit on it whose bandwidth is not known, makes the port `unknown`.
    ///
    /// ## Remediation
    /// Lower the circuits' bandwidth, move circuits to another port pair, or
    /// order a port of more bandwidth.
    ///
    /// ## References
    /// About ExpressRoute Direct
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-erdirect-about);
    /// ExpressRoute limits
    /// (https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#expressroute-limits).
    pub static DIRECT_PORT_OVERSUBSCRIBED = {
        id: "ER006", name: "direct-port-oversubscribed", layer: Resiliency, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    let mut ports: BTreeMap<String, (&str, Vec<&CircuitFacts>)> = BTreeMap::new();
    for &ckt in &fleet.circuits {
        if let Some(p) = &ckt.port {
            ports.entry(p.to_ascii_lowercase()).or_insert((p.as_str(), Vec::new())).1.push(ckt);
        }
    }
    for (id, circuits) in ports.values() {
        let port = fleet.port(id);
        let name = port.and_then(|p| p.name.as_deref()).unwrap_or_else(|| erdiag_model::last_segment(id));
        let evidence: Vec<String> = circuits.iter().map(|k| format!("{}: {}", k.name, k.bandwidth_mbps.map_or("bandwidth not known".into(), gbps))).collect();
        let unknown_bw: Vec<&str> = circuits.iter().filter(|k| k.bandwidth_mbps.is_none()).map(|k| k.name.as_str()).collect();
        let capacity = port.and_then(|p| p.bandwidth_gbps).map(mbps);
        let total: u64 = circuits.iter().filter_map(|k| k.bandwidth_mbps).sum();
        let f = match capacity {
            Some(cap) if total > cap => Finding::fail(c, format!("Port {name} is oversubscribed: its {} circuits provision {} on a port of {} per link.", circuits.len(), gbps(total), gbps(cap)))
                .fix(format!("Bring the circuits on port {name} to {} or less: lower their bandwidth or move some to another port pair.", gbps(cap))),
            _ if !unknown_bw.is_empty() => Finding::unknown(c, format!("Port {name}: the bandwidth of {} is not known.", list(&unknown_bw))),
            None => Finding::unknown(c, format!("Port {name}: its bandwidth is not known (the port was not listed, or its body lacks bandwidthInGbps).")),
            Some(cap) => Finding::pass(c, format!("Port {name}: its {} circuits provision {} of {} per link.", circuits.len(), gbps(total), gbps(cap))),
        };
        out.push(f.evidence_all(evidence).circuits(circuits.iter().map(|k| k.id.as_str())));
    }
}
