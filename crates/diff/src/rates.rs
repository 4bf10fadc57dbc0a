//! Traffic: the byte counters of the circuit and of each peering (`stats`),
//! per path and direction, turned into bits per second over the interval
//! from A's `collectedAt` to B's, and into a share of the circuit's
//! bandwidth. A counter that went down was reset in between: no rate.

use crate::tables::both;
use crate::{Change, Direction, Rate, Where};
use erdiag_model::{CircuitState, DevicePath, Stats};

pub(crate) fn rates(a: &CircuitState, b: &CircuitState, interval: Option<i64>, out: &mut Vec<Change>, notes: &mut Vec<String>) {
    let bandwidth = b.circuit.bandwidth_mbps();
    let mut any = false;
    let place = Where::default();
    if let Some((x, y)) = both(Some(&a.circuit_stats), Some(&b.circuit_stats), "stats", &place, out) {
        any |= counters(None, x, y, interval, bandwidth, out);
    }
    for pb in &b.peerings {
        let Some(pa) = a.peering(pb.name()) else { continue };
        let place = Where { peering: Some(pb.name().to_string()), path: None, gateway: None };
        if let Some((x, y)) = both(Some(&pa.stats), Some(&pb.stats), "stats", &place, out) {
            any |= counters(Some(pb.name()), x, y, interval, bandwidth, out);
        }
    }
    if any && interval.is_none() {
        notes.push(match (&a.collected_at, &b.collected_at) {
            (Some(x), Some(y)) => format!("no rates: B ({y}) is not later than A ({x}), or a collectedAt is not an RFC 3339 time"),
            _ => "no rates: a snapshot has no collectedAt".to_string(),
        });
    }
    if any && bandwidth.is_none() {
        notes.push("no share of bandwidth: the circuit's bandwidth is not in B".to_string());
    }
}

/// One set of four counters; whether any pair was compared.
fn counters(peering: Option<&str>, a: &Stats, b: &Stats, interval: Option<i64>, bandwidth_mbps: Option<u64>, out: &mut Vec<Change>) -> bool {
    let pairs = [
        (DevicePath::Primary, Direction::In, a.primary_bytes_in, b.primary_bytes_in),
        (DevicePath::Primary, Direction::Out, a.primary_bytes_out, b.primary_bytes_out),
        (DevicePath::Secondary, Direction::In, a.secondary_bytes_in, b.secondary_bytes_in),
        (DevicePath::Secondary, Direction::Out, a.secondary_bytes_out, b.secondary_bytes_out),
    ];
    let mut any = false;
    for (path, direction, x, y) in pairs {
        let (Some(x), Some(y)) = (x, y) else { continue };
        any = true;
        let mut rate = Rate { peering: peering.map(str::to_string), path, direction, bytes: None, bits_per_second: None, share_of_bandwidth: None, note: None };
        if y < x {
            rate.note = Some(format!("counter reset: {x} bytes in A, {y} in B, so no rate"));
        } else {
            rate.bytes = Some(y - x);
            match interval {
                Some(secs) => {
                    let bps = (y - x) as f64 * 8.0 / secs as f64;
                    rate.bits_per_second = Some(bps);
                    rate.share_of_bandwidth = bandwidth_mbps.filter(|m| *m > 0).map(|m| bps / (m as f64 * 1e6));
                }
                None => rate.note = Some("no interval between the snapshots, so no rate".to_string()),
            }
        }
        out.push(Change::Rate(rate));
    }
    any
}
