use crate::direct::{label, last, link_series, on_link, port_metrics};
use crate::monitor::{self, THRESHOLDS};
use crate::{Check, Context, Finding, Owner};
use erdiag_model::time::unix_rfc3339;

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct circuit, the optical light levels of each
    /// enabled link of the port, per lane: `RxLightLevel` (the light
    /// Microsoft's port receives from the customer's router) and
    /// `TxLightLevel` (the light it sends), the last point of each series of
    /// Azure Monitor split by `Link` and `Lane`. Healthy is −10 dBm to
    /// 0 dBm; below or above fails, naming the link, the lane and the
    /// direction.
    ///
    /// ## Why it matters
    /// Light out of range comes before errors and drops: a dirty connector,
    /// a bent fibre, a failing optic or the wrong optic type. A lane at
    /// −14 dBm may still pass traffic with errors until it stops. Rx out of
    /// range points at the customer's side (their optic, their
    /// cross-connect, the patch panel); Tx out of range at Microsoft's optic.
    ///
    /// ## Evidence
    /// The port's `RxLightLevel` and `TxLightLevel` metrics (dBm, Average,
    /// 1-minute points, dimensions `Link` and `Lane`); the link's router,
    /// interface, patch panel and rack. Thresholds: the rows of ER112 in
    /// `monitor::THRESHOLDS`, from the Azure Monitor Baseline Alerts of
    /// `expressRoutePorts` (RxLightLevel/TxLightLevel Low: less than −10;
    /// High: greater than 0), the range Microsoft's ExpressRoute monitoring
    /// page calls healthy. No metrics in the input is `skip`; metrics asked
    /// for and not read are `unknown`.
    ///
    /// ## Remediation
    /// Rx out of range: clean or replace the connectors and the optic on
    /// your router, and have the colo test the cross-connect and patch panel
    /// (give them the link's router, interface, patch panel and rack). Tx out
    /// of range: open a ticket with Microsoft with the port, link and lane.
    ///
    /// ## References
    /// Azure ExpressRoute monitoring, metrics of ExpressRoute Direct: Rx and
    /// Tx light levels
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-monitoring-metrics-alerts);
    /// Azure Monitor Baseline Alerts, `services/Network/expressRoutePorts/alerts.yaml`.
    pub static DIRECT_LIGHT_LEVEL = {
        id: "ER112", name: "direct-light-level-out-of-range", layer: Circuit, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let pm = match port_metrics(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let (name, whose, metrics) = (pm.name, &pm.whose, pm.metrics);
    for link in pm.links {
        let mut bad: Vec<(String, Owner)> = Vec::new();
        let mut evidence = Vec::new();
        let mut unread = Vec::new();
        for metric_name in ["RxLightLevel", "TxLightLevel"] {
            let metric = match monitor::metric(c, metrics, metric_name, whose) {
                Ok(m) => m,
                Err(f) => {
                    unread.push(f.message);
                    continue;
                }
            };
            let series = link_series(metric, link);
            if series.iter().all(|s| last(s).is_none()) {
                unread.push(format!("Azure Monitor served no {metric_name} point for {} of {whose}.", label(link)));
            }
            for s in series {
                let Some((at, v)) = last(s) else { continue };
                let lane = s.dimension("Lane").unwrap_or("?");
                let row = format!("{metric_name} lane {lane}: {v} dBm at {}", unix_rfc3339(at));
                let crossed = THRESHOLDS.iter().filter(|t| t.check == c.id && t.metric == metric_name).find(|t| t.operator.holds(v, t.value));
                if let Some(t) = crossed {
                    let side = if metric_name == "RxLightLevel" { ("received by Microsoft's port", Owner::Customer) } else { ("sent by Microsoft's port", Owner::Microsoft) };
                    let bound = if t.operator == monitor::Operator::LessThan { "below −10 dBm" } else { "above 0 dBm" };
                    bad.push((format!("lane {lane} {v} dBm {} ({bound})", side.0), side.1));
                }
                evidence.push(row);
            }
        }
        let f = if let Some((_, owner)) = bad.first() {
            let owner = if bad.iter().any(|(_, o)| *o == Owner::Customer) { Owner::Customer } else { *owner };
            let texts: Vec<&str> = bad.iter().map(|(t, _)| t.as_str()).collect();
            Finding::fail(c, format!("Light level out of range on {} of {whose}: {}.", label(link), texts.join("; ")))
                .owner(owner)
                .fix(match owner {
                    Owner::Customer => format!("Clean or replace the connectors and the optic on your router, and have the colo test the cross-connect: {}.", link.location_text()),
                    _ => format!("Open a ticket with Microsoft: port {name}, {}, {}.", link.name(), link.location_text()),
                })
        } else if !unread.is_empty() {
            Finding::unknown(c, unread.join(" "))
        } else {
            Finding::pass(c, format!("Light levels of {} of {whose} are within −10 to 0 dBm on every lane.", label(link)))
        };
        on_link(cx.state, link, f.evidence_all(evidence), out);
    }
}
