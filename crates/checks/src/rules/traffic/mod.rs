//! Step 5 of the guide: the traffic counters of each peering.
pub mod traffic_none;
pub mod traffic_one_way;
pub mod traffic_qos_drops;
pub mod traffic_single_path;
pub mod traffic_utilization_high;

use crate::Context;
use erdiag_model::{Collected, DevicePath, PeeringState, Stats};

/// The counters of a peering: its own stats, or for private peering the
/// circuit's (which is what `Get-AzExpressRouteCircuitStats` reads by
/// default). `Err` carries the reason they are missing.
/// Stats that carry none of the four byte counters are absent data, never
/// zero traffic.
pub(crate) fn stats_of(cx: &Context, p: &PeeringState) -> Result<(Stats, &'static str), String> {
    let found = match (&p.stats, &cx.state.circuit_stats) {
        (Collected::Ok(s), _) => Some((*s, "peering stats")),
        (_, Collected::Ok(s)) if p.peering.is_private() => Some((*s, "circuit stats")),
        _ => None,
    };
    match found {
        Some((s, source)) if DevicePath::BOTH.iter().all(|&d| path_bytes(&s, d).is_none()) => Err(format!(
            "the {source} of {} carry no byte counters (primarybytesIn, primarybytesOut, secondarybytesIn, secondarybytesOut)",
            p.name()
        )),
        Some(found) => Ok(found),
        None => Err(p.stats.missing_reason(&format!("the traffic statistics of {}", p.name())).unwrap_or_default()),
    }
}

/// (bytes in, bytes out) of one path; `None` when a counter is absent.
pub(crate) fn path_bytes(s: &Stats, d: erdiag_model::DevicePath) -> Option<(u64, u64)> {
    match d {
        erdiag_model::DevicePath::Primary => Some((s.primary_bytes_in?, s.primary_bytes_out?)),
        erdiag_model::DevicePath::Secondary => Some((s.secondary_bytes_in?, s.secondary_bytes_out?)),
    }
}

pub(crate) fn describe(s: &Stats, source: &str) -> String {
    let f = |v: Option<u64>| v.map(crate::facts::bytes).unwrap_or_else(|| "?".into());
    format!(
        "{source}: primary in {} / out {}, secondary in {} / out {}",
        f(s.primary_bytes_in),
        f(s.primary_bytes_out),
        f(s.secondary_bytes_in),
        f(s.secondary_bytes_out)
    )
}
