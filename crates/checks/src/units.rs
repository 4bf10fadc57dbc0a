//! Bandwidth written as people read it, shared by the single-circuit and
//! the fleet checks of ExpressRoute Direct ports (a module of its own, so
//! that neither check module imports the other).

/// Bandwidth given in Mbps, written in Gbps (`10 Gbps`, `2.5 Gbps`).
pub fn gbps(mbps: u64) -> String {
    let g = mbps as f64 / 1000.0;
    if g.fract() == 0.0 {
        format!("{g:.0} Gbps")
    } else {
        format!("{g} Gbps")
    }
}

/// Gbps (as ARM writes a port's bandwidth) to Mbps.
pub fn mbps(gbps: f64) -> u64 {
    (gbps * 1000.0).round() as u64
}
