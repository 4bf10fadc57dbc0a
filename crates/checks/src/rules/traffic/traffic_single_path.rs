use super::{describe, path_bytes, stats_of};
use crate::{Check, Context, Finding};
use erdiag_model::DevicePath;

check! {
    /// ## What it checks
    /// When a peering carries traffic, both paths carry some.
    ///
    /// ## Why it matters
    /// One path with no bytes at all while the other carries everything is
    /// either an active/passive design (AS-path prepend, local preference) or
    /// a path that is down. Either way a failure of the busy path is not
    /// covered by a path already proven to carry traffic.
    ///
    /// ## Evidence
    /// The peering's (or circuit's) stats, per path.
    ///
    /// ## Remediation
    /// If the design is active/active, find out why the idle path carries
    /// nothing (its ARP and BGP findings above); if active/passive, confirm
    /// the passive path's BGP session is Established.
    ///
    /// ## References
    /// Designing for high availability with ExpressRoute.
    pub static TRAFFIC_SINGLE_PATH = {
        id: "ER603", name: "traffic-single-path", layer: Traffic, owner: Customer, points: [2, 5],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, _| {
        let (stats, source) = stats_of(cx, p).ok()?;
        let per: Vec<(DevicePath, u64)> =
            DevicePath::BOTH.iter().filter_map(|&d| path_bytes(&stats, d).map(|(i, o)| (d, i + o))).collect();
        let [(_, a), (_, b)] = per.as_slice() else { return None };
        if *a == 0 && *b == 0 {
            return None; // traffic-none covers it
        }
        let f = match per.iter().find(|(_, t)| *t == 0) {
            Some((idle, _)) => Finding::warn(c, format!("The {idle} path carried no bytes while the {} path carried all the traffic.", idle.other()))
                .path(*idle)
                .fix("If the design is active/active, find out why this path carries nothing (see its ARP and BGP findings); if active/passive, make sure its BGP session is Established."),
            None => Finding::pass(c, "Both paths carry traffic."),
        };
        Some(f.evidence(describe(&stats, source)))
    });
}
