//! What the checks read of Azure Monitor metrics: the one table of
//! thresholds ([`THRESHOLDS`], each row naming its Azure Monitor Baseline
//! Alerts source or the reason erdiag differs), the series of a peering and
//! path, runs of minutes over or under a threshold, and the `unknown` a check
//! says when a metric is missing.
//!
//! A point without a value is a gap in the metric: it is never read as zero,
//! never part of a dip, and it interrupts a run (a run is made of minutes
//! that follow each other at the metric's interval).

use crate::check::Check;
use crate::finding::Finding;
use erdiag_model::metrics::{Aggregation, Metric, Metrics, TimeSeries};
use erdiag_model::time::{unix_rfc3339, Unix};
use erdiag_model::{Collected, DevicePath, PeeringState};

/// How a metric is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    LessThan,
    GreaterThan,
}

impl Operator {
    /// AMBA's spelling (`LessThan`).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::LessThan => "LessThan",
            Operator::GreaterThan => "GreaterThan",
        }
    }
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Operator::LessThan => value < threshold,
            Operator::GreaterThan => value > threshold,
        }
    }
}

/// Over how many minutes a threshold is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Every point of a run of this many consecutive minutes crosses it.
    Consecutive(u32),
    /// The sum of the points of any this many consecutive minutes crosses it.
    Summed(u32),
}

impl Span {
    pub fn minutes(self) -> u32 {
        match self {
            Span::Consecutive(n) | Span::Summed(n) => n,
        }
    }
}

/// The alert of the Azure Monitor Baseline Alerts a threshold comes from, as
/// its `alerts.yaml` writes it (`threshold` `None`: a dynamic threshold).
#[derive(Debug, Clone, Copy)]
pub struct Amba {
    /// Under `services/Network/` of the AMBA repository.
    pub file: &'static str,
    pub alert: &'static str,
    pub metric: &'static str,
    pub operator: Operator,
    pub threshold: Option<f64>,
    pub window: &'static str,
}

/// One threshold a check applies to a metric.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    pub check: &'static str,
    pub metric: &'static str,
    pub aggregation: Aggregation,
    pub operator: Operator,
    /// In the metric's unit, except where `percent_of_bandwidth`.
    pub value: f64,
    /// `value` is a percentage of the circuit's bandwidth.
    pub percent_of_bandwidth: bool,
    pub span: Span,
    pub amba: Option<Amba>,
    /// Why erdiag's threshold or window is not AMBA's, or why there is no
    /// AMBA source; `None` when it is AMBA's exactly.
    pub differs: Option<&'static str>,
}

const CIRCUITS: &str = "expressRouteCircuits/alerts.yaml";
const GATEWAYS: &str = "virtualNetworkGateways/alerts.yaml";
const PORTS: &str = "expressRoutePorts/alerts.yaml";

const fn amba(file: &'static str, metric: &'static str, operator: Operator, threshold: Option<f64>) -> Amba {
    Amba { file, alert: metric, metric, operator, threshold, window: "PT5M" }
}

const AVAILABILITY_WINDOW: &str = "AMBA averages 5 minutes (windowSize PT5M); erdiag reads the 1-minute points, so that each dip is counted, timed and placed on its path even when the 5-minute average stays over 90%.";
const UTILIZATION: &str = "AMBA's 800,000,000 bit/s is 80% of a 1 Gbps circuit; erdiag applies 80% to the circuit's own bandwidth on each path (each MSEE link carries up to the bandwidth), over 5 consecutive minutes (AMBA's windowSize PT5M).";
const QOS: &str = "AMBA's threshold is dynamic, learned from weeks of history; erdiag reads one window, so it states any dropped bit: QoS drops are rare on a circuit within its bandwidth.";
const STORM: &str = "AMBA has no alert on this metric. erdiag's own: more than 100 route changes within 5 minutes, far above the few changes a CE's routine updates make and typical of a flapping prefix or session.";

const LIGHT: &str = "AMBA averages 5 minutes (windowSize PT5M) of the port; erdiag reads the 1-minute points of each link and lane and judges the last one read (the light now), so that the lane out of range is named.";

const fn light(alert: &'static str, metric: &'static str, operator: Operator, value: f64) -> Threshold {
    Threshold {
        check: "ER112",
        metric,
        aggregation: Aggregation::Average,
        operator,
        value,
        percent_of_bandwidth: false,
        span: Span::Consecutive(1),
        amba: Some(Amba { file: PORTS, alert, metric, operator, threshold: Some(value), window: "PT5M" }),
        differs: Some(LIGHT),
    }
}

/// Every threshold of the metric checks, one row each.
pub static THRESHOLDS: &[Threshold] = &[
    Threshold {
        check: "ER111",
        metric: "LineProtocol",
        aggregation: Aggregation::Average,
        operator: Operator::LessThan,
        value: 0.9,
        percent_of_bandwidth: false,
        span: Span::Consecutive(1),
        amba: Some(amba(PORTS, "LineProtocol", Operator::LessThan, Some(0.9))),
        differs: Some("AMBA averages 5 minutes (windowSize PT5M) of the port; erdiag judges the last 1-minute point of each link (the link now) and names the link."),
    },
    light("RxLightLevel - Low", "RxLightLevel", Operator::LessThan, -10.0),
    light("RxLightLevel - High", "RxLightLevel", Operator::GreaterThan, 0.0),
    light("TxLightLevel - Low", "TxLightLevel", Operator::LessThan, -10.0),
    light("TxLightLevel - High", "TxLightLevel", Operator::GreaterThan, 0.0),
    Threshold {
        check: "ER302",
        metric: "ArpAvailability",
        aggregation: Aggregation::Average,
        operator: Operator::LessThan,
        value: 90.0,
        percent_of_bandwidth: false,
        span: Span::Consecutive(1),
        amba: Some(amba(CIRCUITS, "ArpAvailability", Operator::LessThan, Some(90.0))),
        differs: Some(AVAILABILITY_WINDOW),
    },
    Threshold {
        check: "ER404",
        metric: "BgpAvailability",
        aggregation: Aggregation::Average,
        operator: Operator::LessThan,
        value: 90.0,
        percent_of_bandwidth: false,
        span: Span::Consecutive(1),
        amba: Some(amba(CIRCUITS, "BgpAvailability", Operator::LessThan, Some(90.0))),
        differs: Some(AVAILABILITY_WINDOW),
    },
    Threshold {
        check: "ER604",
        metric: "BitsInPerSecond",
        aggregation: Aggregation::Average,
        operator: Operator::GreaterThan,
        value: 80.0,
        percent_of_bandwidth: true,
        span: Span::Consecutive(5),
        amba: Some(amba(CIRCUITS, "BitsInPerSecond", Operator::GreaterThan, Some(800_000_000.0))),
        differs: Some(UTILIZATION),
    },
    Threshold {
        check: "ER604",
        metric: "BitsOutPerSecond",
        aggregation: Aggregation::Average,
        operator: Operator::GreaterThan,
        value: 80.0,
        percent_of_bandwidth: true,
        span: Span::Consecutive(5),
        amba: Some(amba(CIRCUITS, "BitsOutPerSecond", Operator::GreaterThan, Some(800_000_000.0))),
        differs: Some(UTILIZATION),
    },
    Threshold {
        check: "ER605",
        metric: "QosDropBitsInPerSecond",
        aggregation: Aggregation::Average,
        operator: Operator::GreaterThan,
        value: 0.0,
        percent_of_bandwidth: false,
        span: Span::Consecutive(1),
        amba: Some(amba(CIRCUITS, "QosDropBitsInPerSecond", Operator::GreaterThan, None)),
        differs: Some(QOS),
    },
    Threshold {
        check: "ER605",
        metric: "QosDropBitsOutPerSecond",
        aggregation: Aggregation::Average,
        operator: Operator::GreaterThan,
        value: 0.0,
        percent_of_bandwidth: false,
        span: Span::Consecutive(1),
        amba: Some(amba(CIRCUITS, "QosDropBitsOutPerSecond", Operator::GreaterThan, None)),
        differs: Some(QOS),
    },
    Threshold {
        check: "ER807",
        metric: "ExpressRouteGatewayCpuUtilization",
        aggregation: Aggregation::Average,
        operator: Operator::GreaterThan,
        value: 80.0,
        percent_of_bandwidth: false,
        span: Span::Consecutive(5),
        amba: Some(amba(GATEWAYS, "ExpressRouteGatewayCpuUtilization", Operator::GreaterThan, Some(80.0))),
        differs: None,
    },
    Threshold {
        check: "ER808",
        metric: "ExpressRouteGatewayFrequencyOfRoutesChanged",
        aggregation: Aggregation::Total,
        operator: Operator::GreaterThan,
        value: 100.0,
        percent_of_bandwidth: false,
        span: Span::Summed(5),
        amba: None,
        differs: Some(STORM),
    },
];

/// The threshold of a metric (a name of [`THRESHOLDS`]).
pub fn threshold(metric: &str) -> &'static Threshold {
    THRESHOLDS.iter().find(|t| t.metric == metric).expect("a metric of the thresholds table")
}

/// The metrics of a resource; else, when the input carries no metrics window
/// at all (`--no-metrics`, an import, a snapshot written without them), the
/// `skip` of evidence not supplied: like the portal's ACL test, it is listed
/// under the coverage's `notSupplied` and does not keep the verdict from
/// `healthy` (the guide's steps were verified; the window's history was not
/// asked for). Metrics asked for and not read (a failed or unreadable call)
/// are `unknown`, naming the call.
pub(crate) fn read<'a>(c: &Check, data: &'a Collected<Metrics>, whose: &str) -> Result<&'a Metrics, Box<Finding>> {
    match data {
        Collected::Ok(m) => Ok(m),
        Collected::NotCollected => Err(Box::new(not_supplied(c, whose))),
        other => Err(Box::new(Finding::unknown(c, format!("{}.", other.missing_reason(&format!("the Azure Monitor metrics of {whose}")).unwrap_or_default())))),
    }
}

/// The `skip` of a metrics window the input does not carry.
pub(crate) fn not_supplied(c: &Check, whose: &str) -> Finding {
    Finding::skip(
        c,
        format!(
            "No Azure Monitor metrics of {whose} in the input (`--no-metrics`, or a snapshot written without them): the last hour is not judged. \
             `erdiag diagnose` live reads them (`--metrics-window`, default 1h)."
        ),
    )
}

/// A metric of the response, or the `unknown` naming why it is missing: not
/// in the response, or Azure Monitor's `errorCode`.
pub(crate) fn metric<'a>(c: &Check, m: &'a Metrics, name: &str, whose: &str) -> Result<&'a Metric, Box<Finding>> {
    let Some(metric) = m.metric(name) else {
        let f = Finding::unknown(c, format!("The Azure Monitor metrics of {whose} do not include {name}.")).fix(format!("Collect again with erdiag: it asks Azure Monitor for {name}."));
        return Err(Box::new(f));
    };
    match metric.error() {
        Some(e) => Err(Box::new(Finding::unknown(c, format!("Azure Monitor served no {name} for {whose}: {e}.")))),
        None => Ok(metric),
    }
}

/// The grain of the points, one minute when the response does not say.
pub(crate) fn interval(m: &Metrics) -> i64 {
    m.interval_secs().unwrap_or(60)
}

/// The time the window ends: its `timespan`, else the last point.
pub(crate) fn window_end(m: &Metrics, collected: Option<Unix>) -> Option<Unix> {
    m.window().map(|(_, end)| end).or(collected).or_else(|| m.value.iter().flat_map(|x| &x.timeseries).flat_map(|s| &s.data).map(|p| p.time_stamp + interval(m)).max())
}

/// The window as people read it: `the 60 minutes to 2026-01-15T09:00:00Z`.
pub(crate) fn describe_window(m: &Metrics) -> String {
    match m.window() {
        Some((a, b)) => format!("the {} minutes to {}", (b - a) / 60, unix_rfc3339(b)),
        None => String::from("the window collected"),
    }
}

/// The device path a series is split by: its `Peer` (`Primary-IPv4`) or
/// `DeviceRole` (`Primary`) dimension.
pub fn path_of(s: &TimeSeries) -> Option<DevicePath> {
    let v = s.dimension("Peer").or_else(|| s.dimension("DeviceRole"))?.to_ascii_lowercase();
    if v.contains("primary") {
        Some(DevicePath::Primary)
    } else if v.contains("secondary") {
        Some(DevicePath::Secondary)
    } else {
        None
    }
}

/// `Private`, `AzurePrivatePeering` and `PrivatePeering` name one peering.
fn peering_key(s: &str) -> String {
    s.to_ascii_lowercase().replace("azure", "").replace("peering", "").replace([' ', '-', '_'], "")
}

/// Whether a series is about this peering: its `PeeringType` names it, or it
/// has no such dimension and the circuit has this one peering only.
pub(crate) fn is_peering(s: &TimeSeries, p: &PeeringState, peerings: usize) -> bool {
    match s.dimension("PeeringType") {
        Some(t) => {
            let t = peering_key(t);
            t == peering_key(p.name()) || p.peering.properties.peering_type.as_deref().is_some_and(|pt| peering_key(pt) == t)
        }
        None => peerings == 1,
    }
}

/// The points of one or more series, summed per minute (the peerings of a
/// path), oldest first: `None` where no series has a value.
pub fn points(series: &[&TimeSeries], a: Aggregation) -> Vec<(Unix, Option<f64>)> {
    let mut by_time: std::collections::BTreeMap<Unix, Option<f64>> = std::collections::BTreeMap::new();
    for s in series {
        for p in &s.data {
            let slot = by_time.entry(p.time_stamp).or_insert(None);
            if let Some(v) = p.get(a) {
                *slot = Some(slot.unwrap_or(0.0) + v);
            }
        }
    }
    by_time.into_iter().collect()
}

/// A run of consecutive minutes: from the first point's time to the end of
/// the last point's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Run {
    pub from: Unix,
    pub to: Unix,
    pub minutes: i64,
    /// The value furthest past the threshold (lowest for `LessThan`).
    pub worst: f64,
}

impl Run {
    pub fn describe(&self) -> String {
        format!("{} to {} ({} min)", unix_rfc3339(self.from), unix_rfc3339(self.to), self.minutes)
    }
}

/// The runs of consecutive points (at `interval`) whose value is past the
/// threshold. A gap or a missing point ends a run.
pub(crate) fn runs(points: &[(Unix, Option<f64>)], interval: i64, op: Operator, threshold: f64) -> Vec<Run> {
    let worst = if op == Operator::LessThan { f64::min } else { f64::max };
    runs_by(points, interval, |v| v.filter(|v| op.holds(*v, threshold)), worst)
}

/// The runs of minutes without a value (gaps in the metric).
pub(crate) fn gaps(points: &[(Unix, Option<f64>)], interval: i64) -> Vec<Run> {
    runs_by(points, interval, |v| v.is_none().then_some(0.0), f64::max)
}

/// The runs of consecutive points for which `hit` gives a value, each
/// keeping the `worst` of those values.
fn runs_by(points: &[(Unix, Option<f64>)], interval: i64, hit: impl Fn(Option<f64>) -> Option<f64>, worst: fn(f64, f64) -> f64) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut open = false;
    for &(t, v) in points {
        let Some(v) = hit(v) else {
            open = false;
            continue;
        };
        match out.last_mut() {
            Some(r) if open && r.to == t => {
                r.to = t + interval;
                r.minutes += 1;
                r.worst = worst(r.worst, v);
            }
            _ => out.push(Run { from: t, to: t + interval, minutes: 1, worst: v }),
        }
        open = true;
    }
    out
}

/// The largest sum of `n` consecutive points, with the run it covers.
pub(crate) fn max_sum(points: &[(Unix, Option<f64>)], interval: i64, n: usize) -> Option<Run> {
    let mut best: Option<Run> = None;
    for (i, &(t, _)) in points.iter().enumerate() {
        let window: Vec<&(Unix, Option<f64>)> = points[i..].iter().take_while(|(u, _)| *u < t + n as i64 * interval).collect();
        let sum: f64 = window.iter().filter_map(|(_, v)| *v).sum();
        if best.is_none_or(|b| sum > b.worst) {
            best = Some(Run { from: t, to: t + n as i64 * interval, minutes: n as i64, worst: sum });
        }
    }
    best
}

/// `1 gap without data (08:20 to 08:23, 3 min), not counted`, for evidence.
pub(crate) fn describe_gaps(gaps: &[Run]) -> Option<String> {
    if gaps.is_empty() {
        return None;
    }
    let list: Vec<String> = gaps.iter().map(Run::describe).collect();
    Some(format!("{} gap(s) without data, not read as values: {}", gaps.len(), list.join(", ")))
}

/// A percentage for people: `81%`, `0.5%`.
pub(crate) fn percent(v: f64) -> String {
    if v >= 10.0 || v == v.trunc() {
        format!("{v:.0}%")
    } else {
        format!("{v:.1}%")
    }
}

/// A rate for people: `812 Mbit/s`.
pub(crate) fn rate(bps: f64) -> String {
    match bps {
        b if b >= 1e9 => format!("{:.2} Gbit/s", b / 1e9),
        b if b >= 1e6 => format!("{:.0} Mbit/s", b / 1e6),
        b if b >= 1e3 => format!("{:.0} kbit/s", b / 1e3),
        b => format!("{b:.0} bit/s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_stop_at_gaps_and_missing_minutes() {
        let p = |t: i64, v: Option<f64>| (t * 60, v);
        let points = [p(0, Some(100.0)), p(1, Some(0.0)), p(2, Some(50.0)), p(3, None), p(4, Some(0.0)), p(6, Some(0.0)), p(7, Some(95.0))];
        let r = runs(&points, 60, Operator::LessThan, 90.0);
        assert_eq!(r.iter().map(|r| (r.from / 60, r.minutes)).collect::<Vec<_>>(), [(1, 2), (4, 1), (6, 1)]);
        assert_eq!(r[0].worst, 0.0);
        let g = gaps(&points, 60);
        assert_eq!(g.iter().map(|r| (r.from / 60, r.minutes)).collect::<Vec<_>>(), [(3, 1)]);
    }

    #[test]
    fn every_threshold_has_a_source_or_a_reason() {
        for t in THRESHOLDS {
            assert!(t.amba.is_some() || t.differs.is_some(), "{} {}", t.check, t.metric);
            assert!(crate::registry::find(t.check).is_some(), "{}", t.check);
        }
    }
}
