use crate::monitor::{self, Span};
use crate::{Check, Context, Finding};
use erdiag_model::{DevicePath, TimeSeries};

check! {
    /// ## What it checks
    /// For each path and direction, Azure Monitor's `BitsInPerSecond` and
    /// `BitsOutPerSecond` (Average, split by `DeviceRole`, summed over the
    /// peerings) against the circuit's bandwidth over the metrics window:
    /// utilisation over 80% *sustained*, that is for 5 consecutive 1-minute
    /// points or more, warns. A shorter burst is stated as a spike; a window
    /// of fewer than 5 minutes cannot tell and is `unknown`.
    ///
    /// ## Why it matters
    /// Each path carries up to the circuit's bandwidth; above it, the MSEE
    /// drops traffic. A circuit that runs hot for minutes has no headroom to
    /// absorb the other path's traffic when that path fails or is in
    /// maintenance.
    ///
    /// ## Evidence
    /// `{circuitId}/providers/Microsoft.Insights/metrics`
    /// (`BitsInPerSecond`, `BitsOutPerSecond`), the circuit's bandwidth
    /// (`serviceProviderProperties.bandwidthInMbps`, or `bandwidthInGbps` on
    /// ExpressRoute Direct).
    ///
    /// The Azure Monitor Baseline Alerts alert at `BitsInPerSecond` /
    /// `BitsOutPerSecond` GreaterThan 800,000,000 over 5 minutes
    /// (expressRouteCircuits/alerts.yaml): 80% of a 1 Gbps circuit. erdiag
    /// applies 80% to the circuit's own bandwidth, per path, over 5
    /// consecutive minutes.
    ///
    /// ## Remediation
    /// Spread the traffic over both paths (they are active-active), move bulk
    /// transfers off peak, or upgrade the circuit's bandwidth (a provider
    /// circuit can be raised without downtime up to its port's speed).
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Get the traffic statistics";
    /// ExpressRoute monitoring metrics ("Bits in / out per second"); Azure
    /// Monitor Baseline Alerts for ExpressRoute circuits.
    pub static TRAFFIC_UTILIZATION_HIGH = {
        id: "ER604", name: "traffic-utilization-high", layer: Traffic, owner: Customer, points: [2, 5],
        past: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let m = match monitor::read(c, &cx.state.metrics, "the circuit") {
        Ok(m) => m,
        Err(f) => return out.push(*f),
    };
    let Some(mbps) = cx.state.circuit.bandwidth_mbps() else {
        return out.push(Finding::unknown(c, "The circuit's bandwidth is not known (neither serviceProviderProperties.bandwidthInMbps nor bandwidthInGbps): utilisation cannot be computed."));
    };
    let bandwidth = mbps as f64 * 1e6;
    let interval = monitor::interval(m);
    let window = monitor::describe_window(m);
    let metrics = ["BitsInPerSecond", "BitsOutPerSecond"].map(|name| monitor::metric(c, m, name, "the circuit"));
    if let Some(Err(f)) = metrics.iter().find(|r| r.is_err()) {
        return out.push(*f.clone());
    }
    for d in DevicePath::BOTH {
        let mut ev = Vec::new();
        let mut sustained = Vec::new();
        let mut missing = Vec::new();
        for (metric, direction) in metrics.iter().flatten().zip(["into Azure", "out of Azure"]) {
            let t = monitor::threshold(metric.name());
            let Span::Consecutive(need) = t.span else { unreachable!("utilisation is judged on consecutive minutes") };
            let series: Vec<&TimeSeries> = metric.timeseries.iter().filter(|s| monitor::path_of(s) == Some(d)).collect();
            let points: Vec<_> = monitor::points(&series, t.aggregation).into_iter().map(|(at, v)| (at, v.map(|bps| bps / bandwidth * 100.0))).collect();
            let valued = points.iter().filter(|(_, v)| v.is_some()).count();
            if valued < need as usize {
                missing.push(format!("{} has {valued} point(s) with data on {d}, fewer than the {need} minutes that sustained means", metric.name()));
                continue;
            }
            let peak = points.iter().filter_map(|(_, v)| *v).fold(0.0, f64::max);
            let over = monitor::runs(&points, interval, t.operator, t.value);
            let long: Vec<_> = over.iter().filter(|r| r.minutes >= i64::from(need)).collect();
            ev.push(format!("{direction}: peak {} of {} Mbit/s ({}), {} minute(s) over {}%", monitor::percent(peak), mbps, monitor::rate(peak / 100.0 * bandwidth), over.iter().map(|r| r.minutes).sum::<i64>(), t.value));
            for r in &long {
                ev.push(format!("{direction}: over {}% from {}, highest {}", t.value, r.describe(), monitor::percent(r.worst)));
            }
            if !long.is_empty() {
                sustained.push(direction);
            }
        }
        let f = if !sustained.is_empty() {
            Finding::warn(c, format!("Traffic {} on {d} ran over 80% of the circuit's {mbps} Mbit/s for 5 minutes or more in {window}.", sustained.join(" and ")))
                .fix("Spread the traffic over both paths, move bulk transfers off peak, or upgrade the circuit's bandwidth.")
        } else if !missing.is_empty() {
            Finding::unknown(c, format!("{}.", missing.join("; ")))
        } else {
            Finding::pass(c, format!("Traffic on {d} never ran over 80% of the circuit's {mbps} Mbit/s for 5 minutes in {window}."))
        };
        out.push(f.path(d).evidence_all(ev));
    }
}
