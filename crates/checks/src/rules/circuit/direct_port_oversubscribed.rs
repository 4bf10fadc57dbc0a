use crate::direct::{gbps, mbps, port};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The ExpressRoute Direct port this circuit sits on: the bandwidth its
    /// circuits are provisioned with (`provisionedBandwidthInGbps`, which
    /// ARM sums over every circuit of the port, those of other
    /// subscriptions too) against the bandwidth of one link
    /// (`bandwidthInGbps`). More provisioned than the port has fails.
    ///
    /// ## Why it matters
    /// Circuits provisioned beyond the port's capacity cannot all get their
    /// bandwidth at once: under load they congest each other, and when one
    /// link fails the other cannot carry them. Microsoft allows provisioning
    /// up to twice the port's bandwidth on purpose, for circuits that are
    /// not busy at once: erdiag says so, and the owner decides.
    ///
    /// ## Evidence
    /// The port's `bandwidthInGbps`, `provisionedBandwidthInGbps` and
    /// `circuits[]`. ER006 judges the same across a fleet from the circuits'
    /// own bandwidths (the port's `circuits[]` as the fleet lists them); both
    /// write bandwidth through the same helpers.
    ///
    /// ## Remediation
    /// Lower the bandwidth of circuits on the port, move some to another
    /// port pair, or order a port of more bandwidth.
    ///
    /// ## References
    /// About ExpressRoute Direct, "Circuit SKUs" and oversubscription
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-erdirect-about).
    pub static DIRECT_PORT_OVER_PROVISIONED = {
        id: "ER116", name: "direct-port-over-provisioned", layer: Circuit, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let (_, port) = match port(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let name = port.name.as_deref().unwrap_or("the port");
    let p = &port.properties;
    let circuits = p.circuits.as_ref().map_or(0, Vec::len);
    let f = match (p.bandwidth_in_gbps.map(mbps), p.provisioned_bandwidth_in_gbps.map(mbps)) {
        (Some(cap), Some(total)) if total > cap => Finding::fail(c, format!("Port {name} is provisioned beyond its bandwidth: {} on {circuits} circuit(s), on a port of {} per link.", gbps(total), gbps(cap)))
            .fix(format!("Bring the circuits on port {name} to {} or less: lower their bandwidth or move some to another port pair.", gbps(cap))),
        (Some(cap), Some(total)) => Finding::pass(c, format!("Port {name}: {} provisioned on {circuits} circuit(s), of {} per link.", gbps(total), gbps(cap))),
        _ => Finding::unknown(c, format!("The body of port {name} lacks bandwidthInGbps or provisionedBandwidthInGbps: its provisioning is not known.")),
    };
    out.push(f.evidence(format!("bandwidthInGbps {:?}, provisionedBandwidthInGbps {:?}, circuits {circuits}", p.bandwidth_in_gbps, p.provisioned_bandwidth_in_gbps)));
}
