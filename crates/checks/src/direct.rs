//! What the ExpressRoute Direct checks (ER110–ER116) share: the port as read
//! (the `skip` of a circuit through a provider, which does not use a port;
//! the `unknown` of a port that was not read), a link's label, a link's
//! finding scoped to the peerings its path carries, the port's metrics and
//! enabled links (`port_metrics`), the series of a port metric per link and
//! lane, and bandwidth in Gbps as ER006 and ER116 write it.

use crate::check::Check;
use crate::facts;
use crate::finding::Finding;
use erdiag_model::direct::{ExpressRoutePort, PortLink};
use erdiag_model::metrics::{Aggregation, Metric, Metrics, TimeSeries};
use erdiag_model::time::Unix;
use erdiag_model::{last_segment, CircuitState, DevicePath, DirectState};

/// The port, or the finding that ends the check: `skip` when the circuit is
/// not on ExpressRoute Direct, `unknown` when its port was not read.
pub(crate) fn port<'a>(c: &Check, state: &'a CircuitState) -> Result<(&'a DirectState, &'a ExpressRoutePort), Box<Finding>> {
    let Some(direct) = state.direct.as_ref() else {
        return Err(Box::new(Finding::not_used(c, "the circuit is not on an ExpressRoute Direct port (no expressRoutePort).")));
    };
    match direct.port.ok() {
        Some(p) => Ok((direct, p)),
        None => Err(Box::new(
            facts::unread(c, &direct.port, &format!("the ExpressRoute Direct port {}", last_segment(&direct.port_id)))
                .fix("Collect again with read access to the port (Microsoft.Network/expressRoutePorts/read)."),
        )),
    }
}

/// What a check of a link's Azure Monitor series (ER111, ER112) reads: the
/// port's name, its words in messages (`port NAME`), its metrics, and its
/// links whose admin state is not Disabled (ER110 speaks for those), in path
/// order.
pub(crate) struct PortMetrics<'a> {
    pub name: &'a str,
    pub whose: String,
    pub metrics: &'a Metrics,
    pub links: Vec<&'a PortLink>,
}

/// The port's [`PortMetrics`], or the finding that ends the check: the
/// port's ([`port`]), or the `unknown` of metrics not read.
pub(crate) fn port_metrics<'a>(c: &Check, state: &'a CircuitState) -> Result<PortMetrics<'a>, Box<Finding>> {
    let (_, port) = port(c, state)?;
    let name = port.name.as_deref().unwrap_or("the port");
    let whose = format!("port {name}");
    let metrics = crate::monitor::read(c, &state.port_metrics, &whose)?;
    Ok(PortMetrics { name, whose, metrics, links: links(port).into_iter().filter(|l| !l.admin_disabled()).collect() })
}

/// `link2 (secondary path)`.
pub(crate) fn label(link: &PortLink) -> String {
    match link.path() {
        Some(d) => format!("{} ({d} path)", link.name()),
        None => link.name().to_string(),
    }
}

/// A link's finding, once per peering on the link's path (a link carries
/// every peering's path of its side), so that it explains what fails on
/// them; without a path or a peering, the finding alone.
pub(crate) fn on_link(state: &CircuitState, link: &PortLink, f: Finding, out: &mut Vec<Finding>) {
    match link.path() {
        Some(d) if !state.peerings.is_empty() => out.extend(state.peerings.iter().map(|p| f.clone().peering(p.name()).path(d))),
        Some(d) => out.push(f.path(d)),
        None => out.push(f),
    }
}

/// The port's links in path order: link1 (primary), then link2 (secondary),
/// then any other.
pub(crate) fn links(port: &ExpressRoutePort) -> Vec<&PortLink> {
    let mut l: Vec<&PortLink> = port.links().iter().collect();
    l.sort_by_key(|x| (x.path().map_or(2, DevicePath::index), x.name().to_string()));
    l
}

/// The series of a metric on this link (its `Link` dimension, `link1` or
/// `1`, case aside).
pub(crate) fn link_series<'a>(m: &'a Metric, link: &PortLink) -> Vec<&'a TimeSeries> {
    let name = link.name().to_ascii_lowercase();
    let digit = name.trim_start_matches("link").to_string();
    m.timeseries
        .iter()
        .filter(|s| s.dimension("Link").is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == name || v == digit
        }))
        .collect()
}

/// The last point of a series that has a value.
pub(crate) fn last(s: &TimeSeries) -> Option<(Unix, f64)> {
    s.data.iter().rev().find_map(|p| p.get(Aggregation::Average).map(|v| (p.time_stamp, v)))
}

pub use crate::units::{gbps, mbps};
