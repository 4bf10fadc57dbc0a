use super::{describe, path_bytes, stats_of};
use crate::{Check, Context, Finding};
use erdiag_model::DevicePath;

check! {
    /// ## What it checks
    /// Each peering's byte counters show traffic in both directions: bytes
    /// in (towards Azure) and bytes out (towards on-premises), summed over
    /// both paths.
    ///
    /// ## Why it matters
    /// Bytes in with nothing out: traffic reaches the MSEEs from on-premises
    /// but nothing comes back — the Azure side does not answer or routes its
    /// replies elsewhere (NSG, UDR, firewall, the VNet not connected). Bytes
    /// out with nothing in: Azure sends, and on-premises does not send back
    /// over the circuit (on-premises routing prefers another path, or the
    /// provider drops it).
    ///
    /// ## Evidence
    /// `primarybytesIn`, `primarybytesOut`, `secondarybytesIn`,
    /// `secondarybytesOut` of the peering (or circuit) stats. The counters
    /// are cumulative.
    ///
    /// ## Remediation
    /// In only: check NSGs, UDRs and firewalls on the Azure side, and that the
    /// VNet is connected. Out only: check on-premises routing towards the
    /// VNet prefixes (it must prefer ExpressRoute) and ask the provider.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Confirm the traffic flow".
    pub static TRAFFIC_ONE_WAY = {
        id: "ER601", name: "traffic-one-way", layer: Traffic, owner: Customer, points: [1, 2, 5, 6, 7],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, _| {
        let (stats, source) = match stats_of(cx, p) {
            Ok(s) => s,
            Err(why) => return Some(Finding::unknown(c, format!("{why}."))),
        };
        let (mut inb, mut outb) = (0u64, 0u64);
        for d in DevicePath::BOTH {
            if let Some((i, o)) = path_bytes(&stats, d) {
                inb += i;
                outb += o;
            }
        }
        let f = match (inb > 0, outb > 0) {
            (false, false) => return None, // no traffic at all: traffic-none reports it
            (true, true) => Finding::pass(c, "Traffic flows in both directions."),
            (true, false) => Finding::fail(c, "Traffic arrives from on-premises but nothing is sent back towards it: the Azure side does not answer.")
                .points(&[5, 6, 7])
                .fix("Check the Azure side of the flow: NSGs and firewalls in the VNet, UDRs that send replies elsewhere, and that the VNet's gateway connection is up."),
            (false, true) => Finding::fail(c, "Azure sends traffic towards on-premises, but nothing comes back over the circuit.")
                .points(&[1, 2, 3, 4])
                .fix("Check on-premises routing towards the VNet prefixes (it must prefer ExpressRoute over VPN or internet), then ask the provider to trace the return path."),
        };
        Some(f.evidence(describe(&stats, source)))
    });
}
