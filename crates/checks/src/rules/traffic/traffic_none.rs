use super::{describe, path_bytes, stats_of};
use crate::{Check, Context, Finding};
use erdiag_model::DevicePath;

check! {
    /// ## What it checks
    /// A peering's byte counters are not all zero.
    ///
    /// ## Why it matters
    /// No bytes in either direction on either path means nothing has used
    /// the peering since the counters last reset: the peering is unused, or
    /// traffic is going another way (VPN, internet). Not an error by itself.
    ///
    /// ## Evidence
    /// The peering's (or circuit's) stats.
    ///
    /// ## Remediation
    /// Send test traffic (a TCP ping from on-premises to a VM) and collect
    /// again; check that on-premises routes the VNet prefixes to the CE.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Confirm the traffic flow".
    pub static TRAFFIC_NONE = {
        id: "ER602", name: "traffic-none", layer: Traffic, owner: Customer, points: [1, 2, 7],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, _| {
        let (stats, source) = stats_of(cx, p).ok()?;
        let total: u64 = DevicePath::BOTH.iter().filter_map(|&d| path_bytes(&stats, d)).map(|(i, o)| i + o).sum();
        let f = if total == 0 {
            Finding::warn(c, "No bytes in either direction on either path: the peering carries no traffic.")
                .fix("Send test traffic from on-premises to a VM and collect again; check that on-premises routes the VNet prefixes towards the CE.")
        } else {
            Finding::pass(c, format!("{} carried in total.", crate::facts::bytes(total)))
        };
        Some(f.evidence(describe(&stats, source)))
    });
}
