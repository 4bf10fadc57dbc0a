use crate::monitor::{self, Span};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// For each connected ExpressRoute virtual network gateway, Azure
    /// Monitor's `ExpressRouteGatewayFrequencyOfRoutesChanged` (Total per
    /// minute) over the metrics window: more than 100 route changes within
    /// any 5 consecutive minutes is a route-change storm and warns.
    ///
    /// ## Why it matters
    /// Every change is recomputed by the gateway and pushed to every VM's
    /// effective routes. A storm (a flapping prefix, a CE that withdraws and
    /// re-advertises, a session that resets) costs the gateway CPU and makes
    /// paths come and go for the VNet.
    ///
    /// ## Evidence
    /// `{gatewayId}/providers/Microsoft.Insights/metrics`
    /// (`ExpressRouteGatewayFrequencyOfRoutesChanged`).
    ///
    /// The Azure Monitor Baseline Alerts have no alert on this metric. The
    /// threshold is erdiag's own: more than 100 changes within 5 minutes, far
    /// above the few changes routine updates on the CE make, and typical of
    /// a flapping prefix or session.
    ///
    /// ## Remediation
    /// Find what changes: compare the storm's times with `bgp-flaps` (ER404)
    /// and the CE's log; dampen or summarise the flapping prefixes on the CE,
    /// and advertise aggregates rather than many specific routes.
    ///
    /// ## References
    /// ExpressRoute monitoring metrics ("Frequency of routes changed");
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the
    /// MSEE".
    pub static GATEWAY_ROUTE_CHANGE_STORM = {
        id: "ER808", name: "gateway-route-change-storm", layer: Gateway, owner: Customer, points: [2, 6],
        past: true,
    };
}

const METRIC: &str = "ExpressRouteGatewayFrequencyOfRoutesChanged";

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    super::per_gateway_metric(c, cx, out, METRIC, |name, m, metric| {
        let t = monitor::threshold(METRIC);
        let Span::Summed(n) = t.span else { unreachable!("a storm is a sum over minutes") };
        let interval = monitor::interval(m);
        let window = monitor::describe_window(m);
        let points = monitor::points(&metric.timeseries.iter().collect::<Vec<_>>(), t.aggregation);
        let valued = points.iter().filter(|(_, v)| v.is_some()).count();
        if valued == 0 {
            return Finding::unknown(c, format!("{METRIC} of gateway {name} has no data point in {window}: the whole window is a gap in the metric."));
        }
        let total: f64 = points.iter().filter_map(|(_, v)| *v).sum();
        let Some(worst) = monitor::max_sum(&points, interval, n as usize) else {
            return Finding::unknown(c, format!("{METRIC} of gateway {name} has no point in {window}."));
        };
        let ev = vec![format!("{METRIC}: {total:.0} change(s) in {valued} point(s); most within {n} minutes: {:.0}, from {}", worst.worst, worst.describe())];
        if t.operator.holds(worst.worst, t.value) {
            Finding::warn(c, format!("Gateway {name} saw a route-change storm: {:.0} route changes within {n} minutes (more than {}).", worst.worst, t.value))
                .evidence_all(ev)
                .fix("Compare the storm's times with ER404 bgp-flaps and the CE's log; dampen or summarise the flapping prefixes on the CE.")
        } else if total == 0.0 {
            Finding::pass(c, format!("No route of gateway {name} changed in {window}.")).evidence_all(ev)
        } else {
            Finding::pass(c, format!("Gateway {name}'s routes changed at most {:.0} times within {n} minutes in {window}.", worst.worst)).evidence_all(ev)
        }
    });
}
