use crate::monitor;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Azure Monitor's `QosDropBitsInPerSecond` and `QosDropBitsOutPerSecond`
    /// (Average) over the metrics window: any minute with bits dropped by the
    /// MSEE's QoS policy warns, with when and how much.
    ///
    /// ## Why it matters
    /// Dropped bits are lost packets that no counter of the guide shows: the
    /// application sees loss and retransmissions while every session is up.
    /// They come from traffic over the bandwidth, or from DSCP marks the
    /// MSEE polices (voice on Microsoft peering).
    ///
    /// ## Evidence
    /// `{circuitId}/providers/Microsoft.Insights/metrics`
    /// (`QosDropBitsInPerSecond`, `QosDropBitsOutPerSecond`).
    ///
    /// The Azure Monitor Baseline Alerts alert on these with a dynamic
    /// threshold (expressRouteCircuits/alerts.yaml), learned from weeks of
    /// history. erdiag reads one window, so it states any dropped bit:
    /// drops are rare on a circuit within its bandwidth.
    ///
    /// ## Remediation
    /// Compare the drop times with `traffic-utilization-high` (ER604): above
    /// the bandwidth, shape on the CE or upgrade the circuit. Otherwise check
    /// the DSCP marking of the dropped traffic against ExpressRoute's QoS
    /// requirements.
    ///
    /// ## References
    /// ExpressRoute monitoring metrics ("QoS drop bits in / out per
    /// second"); ExpressRoute QoS requirements; Azure Monitor Baseline Alerts
    /// for ExpressRoute circuits.
    pub static TRAFFIC_QOS_DROPS = {
        id: "ER605", name: "traffic-qos-drops", layer: Traffic, owner: Customer, points: [2, 5],
        past: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let m = match monitor::read(c, &cx.state.metrics, "the circuit") {
        Ok(m) => m,
        Err(f) => return out.push(*f),
    };
    let interval = monitor::interval(m);
    let window = monitor::describe_window(m);
    let mut ev = Vec::new();
    let mut dropped = Vec::new();
    for (name, direction) in [("QosDropBitsInPerSecond", "into Azure"), ("QosDropBitsOutPerSecond", "out of Azure")] {
        let metric = match monitor::metric(c, m, name, "the circuit") {
            Ok(x) => x,
            Err(f) => return out.push(*f),
        };
        let t = monitor::threshold(name);
        for s in &metric.timeseries {
            let points = monitor::points(&[s], t.aggregation);
            if points.iter().all(|(_, v)| v.is_none()) {
                continue;
            }
            let runs = monitor::runs(&points, interval, t.operator, t.value);
            if runs.is_empty() {
                continue;
            }
            let bits: f64 = points.iter().filter_map(|(_, v)| *v).sum::<f64>() * interval as f64;
            let peak = runs.iter().map(|r| r.worst).fold(0.0, f64::max);
            let when: Vec<String> = runs.iter().map(|r| r.describe()).collect();
            ev.push(format!("{name} ({}): {} minute(s) with drops, peak {}, about {:.0} Mbit dropped: {}", s.label(), runs.iter().map(|r| r.minutes).sum::<i64>(), monitor::rate(peak), bits / 1e6, when.join(", ")));
            if !dropped.contains(&direction) {
                dropped.push(direction);
            }
        }
        let valued = metric.timeseries.iter().flat_map(|s| &s.data).filter(|p| p.get(t.aggregation).is_some()).count();
        if valued == 0 {
            return out.push(Finding::unknown(c, format!("{name} has no data point in {window}: the whole window is a gap in the metric.")));
        }
    }
    out.push(if dropped.is_empty() {
        Finding::pass(c, format!("No bit dropped by QoS in {window}."))
    } else {
        Finding::warn(c, format!("The MSEE dropped traffic {} by QoS in {window}.", dropped.join(" and ")))
            .fix("Compare the drop times with ER604 traffic-utilization-high: above the bandwidth, shape on the CE or upgrade the circuit; otherwise check the DSCP marking of the dropped traffic.")
    }
    .evidence_all(ev));
}
