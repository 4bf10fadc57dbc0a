use crate::monitor::{self, Span};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// For each connected ExpressRoute virtual network gateway, Azure
    /// Monitor's `ExpressRouteGatewayCpuUtilization` (Average, per
    /// `roleInstance`) over the metrics window: over 80% for 5 consecutive
    /// 1-minute points or more warns. A window of fewer than 5 minutes
    /// cannot tell and is `unknown`.
    ///
    /// ## Why it matters
    /// The gateway forwards every packet between the VNet and the MSEEs and
    /// runs their BGP sessions. A saturated instance drops packets and can
    /// miss BGP keepalives: the loss looks like the circuit's.
    ///
    /// ## Evidence
    /// `{gatewayId}/providers/Microsoft.Insights/metrics`
    /// (`ExpressRouteGatewayCpuUtilization`).
    ///
    /// The threshold is the Azure Monitor Baseline Alerts' own:
    /// `ExpressRouteGatewayCpuUtilization` GreaterThan 80, Average over 5
    /// minutes (virtualNetworkGateways/alerts.yaml).
    ///
    /// ## Remediation
    /// Move to a larger gateway SKU (ErGw2AZ, ErGw3AZ, or ErGwScale with more
    /// scale units), or enable FastPath so that VNet traffic bypasses the
    /// gateway.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Verify availability of the virtual
    /// network gateway"; ExpressRoute monitoring metrics ("CPU
    /// utilization"); Azure Monitor Baseline Alerts for virtual network
    /// gateways.
    pub static GATEWAY_CPU_HIGH = {
        id: "ER807", name: "gateway-cpu-high", layer: Gateway, owner: Customer, points: [6],
        past: true,
    };
}

const METRIC: &str = "ExpressRouteGatewayCpuUtilization";

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    super::per_gateway_metric(c, cx, out, METRIC, |name, m, metric| {
        let t = monitor::threshold(METRIC);
        let Span::Consecutive(need) = t.span else { unreachable!("CPU is judged on consecutive minutes") };
        let interval = monitor::interval(m);
        let window = monitor::describe_window(m);
        let mut ev = Vec::new();
        let mut hot = Vec::new();
        let mut longest = 0;
        for s in &metric.timeseries {
            let points = monitor::points(&[s], t.aggregation);
            let valued = points.iter().filter(|(_, v)| v.is_some()).count();
            longest = longest.max(valued);
            let peak = points.iter().filter_map(|(_, v)| *v).fold(0.0, f64::max);
            ev.push(format!("{METRIC} ({}): peak {} in {valued} point(s)", s.label(), monitor::percent(peak)));
            for r in monitor::runs(&points, interval, t.operator, t.value).into_iter().filter(|r| r.minutes >= i64::from(need)) {
                ev.push(format!("over {}% from {}, highest {}", t.value, r.describe(), monitor::percent(r.worst)));
                hot.push(s.dimension("roleInstance").unwrap_or("an instance").to_string());
            }
        }
        if !hot.is_empty() {
            hot.dedup();
            return Finding::warn(c, format!("Gateway {name}'s CPU ran over {}% for {need} minutes or more in {window} ({}).", t.value, hot.join(", ")))
                .evidence_all(ev)
                .fix("Move to a larger gateway SKU (or more scale units), or enable FastPath so that VNet traffic bypasses the gateway.");
        }
        if longest < need as usize {
            return Finding::unknown(c, format!("{METRIC} of gateway {name} has {longest} point(s) with data, fewer than the {need} minutes that sustained means.")).evidence_all(ev);
        }
        Finding::pass(c, format!("Gateway {name}'s CPU never ran over {}% for {need} minutes in {window}.", t.value)).evidence_all(ev)
    });
}
