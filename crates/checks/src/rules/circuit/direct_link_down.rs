use crate::direct::{label, last, link_series, on_link, port_metrics};
use crate::facts::{self, L2};
use crate::monitor;
use crate::{Check, Context, Finding};
use erdiag_model::time::unix_rfc3339;

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct circuit, whether each link whose admin state
    /// is Enabled has its line protocol up: the last point of Azure
    /// Monitor's `LineProtocol` metric of the port for that link (`Link`
    /// dimension; 1 up, 0 down). Below 0.9 the link is down. It fails when
    /// the snapshot agrees (the MSEE's ARP entry of the CE is missing on that
    /// path); with ARP up or unread it warns, as a metric alone fails
    /// nothing. A link that is admin Disabled is ER110's.
    ///
    /// ## Why it matters
    /// A Direct link that is enabled but down is a physical fault between
    /// the customer's router and Microsoft's: the cross-connect, a patch
    /// panel, an optic or a port. Everything on that path (ARP, BGP, routes)
    /// fails because of it, so it is their root cause. The customer owns the
    /// cross-connect (ordered from the colo with the port's Letter of
    /// Authorization) and their own router, Microsoft its router and port:
    /// light levels (ER112) tell which end to look at first.
    ///
    /// ## Evidence
    /// The port's `links[]` (`adminState`, router, interface, patch panel,
    /// rack, colo) and the `LineProtocol` metric of the port, split by
    /// `Link`. Threshold: AMBA's `LineProtocol` alert on
    /// `expressRoutePorts` (Average less than 0.9). No metrics in the input
    /// is `skip`; metrics asked for and not read are `unknown`.
    ///
    /// ## Remediation
    /// Give the colo the link's router, interface, patch panel and rack and
    /// have the cross-connect tested end to end; check the customer router's
    /// interface and optic. If the light Microsoft transmits (TxLightLevel)
    /// is out of range, open a ticket with Microsoft with the link's details.
    ///
    /// ## References
    /// Azure ExpressRoute monitoring, metrics of ExpressRoute Direct
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-monitoring-metrics-alerts);
    /// Azure Monitor Baseline Alerts, `services/Network/expressRoutePorts/alerts.yaml`.
    pub static DIRECT_LINK_DOWN = {
        id: "ER111", name: "direct-link-down", layer: Circuit, owner: Customer, points: [2, 5], breaks_path: true, explainable: true,
    };
}

const METRIC: &str = "LineProtocol";

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let pm = match port_metrics(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let whose = &pm.whose;
    let metric = match monitor::metric(c, pm.metrics, METRIC, whose) {
        Ok(m) => m,
        Err(f) => return out.push(*f),
    };
    let t = monitor::threshold(METRIC);
    for link in pm.links {
        let series = link_series(metric, link);
        let Some((at, v)) = series.iter().filter_map(|s| last(s)).max_by_key(|(t, _)| *t) else {
            on_link(cx.state, link, Finding::unknown(c, format!("Azure Monitor served no {METRIC} point for {} of {whose}.", label(link))), out);
            continue;
        };
        let evidence = format!("{METRIC} {v} at {} ({}); {}", unix_rfc3339(at), link.name(), link.location_text());
        if !t.operator.holds(v, t.value) {
            on_link(cx.state, link, Finding::pass(c, format!("{} of {whose}: line protocol up.", label(link))).evidence(evidence), out);
            continue;
        }
        let l2_down = link.path().is_some_and(|d| cx.state.peerings.iter().any(|p| facts::l2_state(p, d) == L2::Down));
        let message = format!("{} of {whose} is down (line protocol {v}) while its admin state is Enabled: a physical fault on the link.", label(link));
        let fix = format!(
            "Give the colo {} and have the cross-connect tested end to end; check your router's interface and optic. If Microsoft's transmit light (TxLightLevel) is out of range, open a ticket with Microsoft.",
            link.location_text()
        );
        let f = if l2_down {
            Finding::fail(c, message)
        } else {
            Finding::warn(c, format!("{message} The MSEE's ARP table does not confirm it (up or not read)."))
        };
        on_link(cx.state, link, f.evidence(evidence).fix(fix), out);
    }
}
