//! Azure Monitor and Resource Health, as an ExpressRoute circuit, its
//! gateways and its ExpressRoute Direct port answer them:
//!
//! - `GET {R}/providers/Microsoft.Insights/metrics` (`Metrics_List`,
//!   api-version 2024-02-01): `metricnames`, `timespan` (`start/end`),
//!   `interval` (whole minutes, or `FULL`), `aggregation`, `$filter` on
//!   dimensions (`Name eq 'value'` or `'*'` to split, joined by `and`). An
//!   unknown metric name, aggregation, interval or dimension is the 400 Azure
//!   gives. Dimensions a filter does not name are aggregated across.
//! - `GET {R}/providers/Microsoft.Insights/metricDefinitions`: the names,
//!   units, aggregations and dimensions below.
//! - `GET {R}/providers/Microsoft.ResourceHealth/availabilityStatuses`: the
//!   availability history, newest first.
//!
//! Series are read minute by minute from the backend's state at that minute
//! ([`Backend::get_at`], which a timeline moves): a session whose summary row
//! counts prefixes reads 100 in `BgpAvailability`, an `Idle` one 0; an
//! on-premises ARP entry with a MAC reads 100 in `ArpAvailability`. What no
//! ARM body shows comes from the timeline's events: traffic, QoS drops,
//! gateway CPU, metric gaps (points without values), maintenance (a
//! `Planned` Unavailable status, then Available).
//!
//! Dimension values: `PeeringType` is `Private`, `Microsoft` or `Public`
//! (for `AzurePrivatePeering`, `MicrosoftPeering`, `AzurePublicPeering`), `Peer` and `DeviceRole` are `Primary-IPv4` /
//! `Secondary-IPv4` and `Primary` / `Secondary`, `roleInstance` is `IN_0`,
//! `IN_1` (the gateway's instances in address order), `BgpPeerAddress` the
//! MSEE's address, `Link` the port's link name, `Lane` `0` (`0` to `3` on a
//! 100 Gbps port, whose optics have four lanes). Answers write
//! dimension names in lower case, as Azure does.

use crate::backend::{Backend, Collection, Lookup};
use crate::reply::Reply;
use crate::timeline::{is_count, Event, EventKind};
use erdiag_model::normalize_path;
use erdiag_model::time::{parse_rfc3339, parse_span, unix_rfc3339, Unix};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashSet};

/// Baseline traffic of a path that carries traffic, as a share of the circuit's bandwidth.
const BASELINE_SHARE: f64 = 0.02;
/// The longest `timespan` answered (Azure Monitor keeps 93 days; a month of
/// minutes is 44,640 points a series).
const MAX_TIMESPAN: i64 = 31 * 86_400;
/// Baseline gateway CPU, percent.
const BASELINE_CPU: f64 = 12.0;
/// Baseline packets per second of each gateway instance.
const BASELINE_PPS: f64 = 1500.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Circuit,
    Gateway,
    Port,
}

impl Kind {
    fn of(resource: &str, body: &Value) -> Option<Kind> {
        let ty = body.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase).unwrap_or_else(|| {
            erdiag_model::ResourceId::parse(resource).ok().and_then(|r| r.provider_type()).unwrap_or_default().to_ascii_lowercase()
        });
        match ty.as_str() {
            "microsoft.network/expressroutecircuits" => Some(Kind::Circuit),
            "microsoft.network/virtualnetworkgateways" => Some(Kind::Gateway),
            "microsoft.network/expressrouteports" => Some(Kind::Port),
            _ => None,
        }
    }

    fn namespace(self) -> &'static str {
        match self {
            Kind::Circuit => "Microsoft.Network/expressRouteCircuits",
            Kind::Gateway => "Microsoft.Network/virtualNetworkGateways",
            Kind::Port => "Microsoft.Network/expressRoutePorts",
        }
    }

    fn defs(self) -> &'static [Def] {
        match self {
            Kind::Circuit => CIRCUIT,
            Kind::Gateway => GATEWAY,
            Kind::Port => PORT,
        }
    }
}

/// How series that a query does not split are put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combine {
    Sum,
    Mean,
}

/// One metric a resource type has.
struct Def {
    name: &'static str,
    display: &'static str,
    unit: &'static str,
    primary: &'static str,
    dims: &'static [&'static str],
    combine: Combine,
    description: &'static str,
}

const AGGREGATIONS: [&str; 5] = ["average", "minimum", "maximum", "total", "count"];

const CIRCUIT: &[Def] = &[
    Def { name: "ArpAvailability", display: "Arp Availability", unit: "Percent", primary: "Average", dims: &["PeeringType", "Peer"], combine: Combine::Mean, description: "ARP Availability from MSEE towards all peers." },
    Def { name: "BgpAvailability", display: "Bgp Availability", unit: "Percent", primary: "Average", dims: &["PeeringType", "Peer"], combine: Combine::Mean, description: "BGP Availability from MSEE towards all peers." },
    Def { name: "BitsInPerSecond", display: "BitsInPerSecond", unit: "BitsPerSecond", primary: "Average", dims: &["PeeringType", "DeviceRole"], combine: Combine::Sum, description: "Bits ingressing Azure per second" },
    Def { name: "BitsOutPerSecond", display: "BitsOutPerSecond", unit: "BitsPerSecond", primary: "Average", dims: &["PeeringType", "DeviceRole"], combine: Combine::Sum, description: "Bits egressing Azure per second" },
    Def { name: "QosDropBitsInPerSecond", display: "DroppedInBitsPerSecond", unit: "BitsPerSecond", primary: "Average", dims: &[], combine: Combine::Sum, description: "Ingress bits of data dropped per second" },
    Def { name: "QosDropBitsOutPerSecond", display: "DroppedOutBitsPerSecond", unit: "BitsPerSecond", primary: "Average", dims: &[], combine: Combine::Sum, description: "Egress bits of data dropped per second" },
];

const GATEWAY: &[Def] = &[
    Def { name: "ExpressRouteGatewayCpuUtilization", display: "CPU utilization", unit: "Percent", primary: "Average", dims: &["roleInstance"], combine: Combine::Mean, description: "CPU Utilization of the ExpressRoute Gateway" },
    Def { name: "ExpressRouteGatewayPacketsPerSecond", display: "Packets per second", unit: "CountPerSecond", primary: "Average", dims: &["roleInstance"], combine: Combine::Sum, description: "Packet count of ExpressRoute Gateway" },
    Def { name: "ExpressRouteGatewayCountOfRoutesLearnedFromPeer", display: "Count Of Routes Learned From Peer", unit: "Count", primary: "Maximum", dims: &["BgpPeerAddress"], combine: Combine::Sum, description: "Count Of Routes Learned From Peer by ExpressRoute Gateway" },
    Def { name: "ExpressRouteGatewayCountOfRoutesAdvertisedToPeer", display: "Count Of Routes Advertised to Peer", unit: "Count", primary: "Maximum", dims: &["BgpPeerAddress"], combine: Combine::Sum, description: "Count Of Routes Advertised To Peer by ExpressRoute Gateway" },
    Def { name: "ExpressRouteGatewayFrequencyOfRoutesChanged", display: "Frequency of Routes change", unit: "Count", primary: "Total", dims: &[], combine: Combine::Sum, description: "Frequency of Routes change in ExpressRoute Gateway" },
];

const PORT: &[Def] = &[
    Def { name: "AdminState", display: "Admin State", unit: "Count", primary: "Average", dims: &["Link"], combine: Combine::Mean, description: "Admin state of the port" },
    Def { name: "LineProtocol", display: "Line Protocol", unit: "Count", primary: "Average", dims: &["Link"], combine: Combine::Mean, description: "Line protocol status of the port" },
    Def { name: "RxLightLevel", display: "RxLightLevel", unit: "Count", primary: "Average", dims: &["Link", "Lane"], combine: Combine::Mean, description: "Rx Light level in dBm" },
    Def { name: "TxLightLevel", display: "TxLightLevel", unit: "Count", primary: "Average", dims: &["Link", "Lane"], combine: Combine::Mean, description: "Tx light level in dBm" },
];

/// One value of one series at one minute: the metric, its dimension values, the value (`None`: no data).
type Row = (&'static str, Vec<(&'static str, String)>, Option<f64>);

fn bad_request(message: impl Into<String>) -> Reply {
    Reply::arm_error(400, "BadRequest", message)
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// `Metrics_List` on `resource`, whose body is `body`: the answer's body,
/// or the error reply.
pub(crate) fn metrics(backend: &dyn Backend, resource: &str, body: &Value, query: &[(String, String)]) -> Result<Value, Reply> {
    let Some(kind) = Kind::of(resource, body) else {
        return Err(bad_request(format!("The erdiag emulator has no metrics for the resource type of {resource}.")));
    };
    let defs = kind.defs();
    let valid = || defs.iter().map(|d| d.name.to_ascii_lowercase()).collect::<Vec<_>>().join(", ");
    let names: Vec<&str> = param(query, "metricnames").map(|n| n.split(',').map(str::trim).filter(|n| !n.is_empty()).collect()).unwrap_or_default();
    let mut wanted: Vec<&Def> = Vec::new();
    for n in if names.is_empty() { vec![defs[0].name] } else { names } {
        match defs.iter().find(|d| d.name.eq_ignore_ascii_case(n)) {
            Some(d) => wanted.push(d),
            None => {
                let (ns, ty) = kind.namespace().split_once('/').unwrap_or_default();
                return Err(bad_request(format!("Failed to find metric configuration for provider: {ns}, resource Type: {ty}, metric: {n}, Valid metrics: {}", valid())));
            }
        }
    }
    if let Some(ns) = param(query, "metricnamespace") {
        if !ns.eq_ignore_ascii_case(kind.namespace()) {
            return Err(bad_request(format!("Metric namespace {ns} is not valid for this resource; it has {}.", kind.namespace())));
        }
    }
    let now = backend.now();
    let (start, end) = match param(query, "timespan") {
        None => (now - 3600, now),
        Some(t) => match t.split_once('/').and_then(|(a, b)| Some((parse_rfc3339(a).ok()?, parse_rfc3339(b).ok()?))) {
            Some((a, b)) if a < b && b - a <= MAX_TIMESPAN => (a, b),
            Some((a, b)) if a < b => return Err(bad_request(format!("Invalid timespan: '{t}'. The erdiag emulator serves at most 31 days at once."))),
            _ => return Err(bad_request(format!("Invalid timespan: '{t}'. The timespan is start/end, two ISO 8601 times, start before end."))),
        },
    };
    let interval = match param(query, "interval") {
        None => 60,
        Some(i) if i.eq_ignore_ascii_case("FULL") => (end - start).max(60),
        Some(i) => match parse_span(i) {
            Ok(s) if s >= 60 && s % 60 == 0 => s,
            _ => return Err(bad_request(format!("Invalid interval: '{i}'. The erdiag emulator serves whole minutes (PT1M, PT5M, PT1H) or FULL."))),
        },
    };
    let aggregations: Option<Vec<String>> = param(query, "aggregation").map(|a| a.split(',').map(|s| s.trim().to_ascii_lowercase()).filter(|s| !s.is_empty()).collect());
    if let Some(bad) = aggregations.iter().flatten().find(|a| !AGGREGATIONS.contains(&a.as_str())) {
        return Err(bad_request(format!("Invalid aggregation '{bad}'. Valid aggregations: Average, Minimum, Maximum, Total, Count.")));
    }
    let filter = match param(query, "$filter").map(parse_filter).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => return Err(bad_request(e)),
    };
    for d in &wanted {
        if let Some((dim, _)) = filter.iter().find(|(dim, _)| !d.dims.iter().any(|x| x.eq_ignore_ascii_case(dim))) {
            return Err(bad_request(format!("Metric: {} does not support requested dimension combination: {dim}, supported ones are: {}", d.name, d.dims.join(","))));
        }
    }

    let first = start - start.rem_euclid(60);
    let minutes: Vec<Unix> = (0..).map(|i| first + 60 * i).take_while(|m| *m < end).collect();
    let mut reader = Reader::new(backend, kind, resource, body);
    let samples: Vec<Vec<Row>> = minutes.iter().map(|&m| reader.rows(m)).collect();

    let value: Vec<Value> = wanted
        .iter()
        .map(|d| {
            let aggs: Vec<String> = aggregations.clone().unwrap_or_else(|| vec![d.primary.to_ascii_lowercase()]);
            json!({
                "id": format!("{resource}/providers/Microsoft.Insights/metrics/{}", d.name),
                "type": "Microsoft.Insights/metrics",
                "name": {"value": d.name, "localizedValue": d.display},
                "displayDescription": d.description,
                "unit": d.unit,
                "timeseries": timeseries(d, &filter, &minutes, &samples, first, end, interval, &aggs),
                "errorCode": "Success",
            })
        })
        .collect();
    Ok(json!({
        "cost": minutes.len() * wanted.len(),
        "timespan": format!("{}/{}", unix_rfc3339(start), unix_rfc3339(end)),
        "interval": iso_interval(interval),
        "value": value,
        "namespace": kind.namespace(),
        "resourceregion": body.get("location").cloned().unwrap_or(Value::Null),
    }))
}

/// A metrics body a snapshot holds (several calls merged into one `value`),
/// answered to one call: only the metrics its `metricnames` asks for.
pub(crate) fn held(mut body: Value, query: &[(String, String)]) -> Value {
    let Some(names) = param(query, "metricnames") else { return body };
    let names: Vec<&str> = names.split(',').map(str::trim).collect();
    if let Some(values) = body.get_mut("value").and_then(Value::as_array_mut) {
        values.retain(|m| m.pointer("/name/value").and_then(Value::as_str).is_some_and(|n| names.iter().any(|w| w.eq_ignore_ascii_case(n))));
    }
    body
}

/// `PeeringType eq '*' and Peer eq 'Primary-IPv4'` → [(dimension, value)].
fn parse_filter(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    if lower.contains(" or ") {
        return Err(format!("Invalid $filter '{text}': the erdiag emulator understands clauses joined by `and` only."));
    }
    let mut rest = text;
    loop {
        let (clause, next) = match rest.to_ascii_lowercase().find(" and ") {
            Some(i) => (&rest[..i], Some(&rest[i + 5..])),
            None => (rest, None),
        };
        let parts: Vec<&str> = clause.trim().splitn(3, ' ').collect();
        match parts.as_slice() {
            [name, op, value] if op.eq_ignore_ascii_case("eq") && value.trim().len() >= 2 && value.trim().starts_with('\'') && value.trim().ends_with('\'') => {
                let v = value.trim();
                out.push((name.to_string(), v[1..v.len() - 1].to_string()));
            }
            _ => return Err(format!("Invalid $filter '{text}': each clause is `Dimension eq 'value'`.")),
        }
        match next {
            Some(n) => rest = n,
            None => return Ok(out),
        }
    }
}

fn iso_interval(secs: i64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("P{}D", s / 86_400),
        s if s % 3600 == 0 => format!("PT{}H", s / 3600),
        s => format!("PT{}M", s / 60),
    }
}

/// The series of one metric: split by the filter's `'*'` dimensions,
/// restricted to its values, every other dimension aggregated across.
#[allow(clippy::too_many_arguments)]
fn timeseries(d: &Def, filter: &[(String, String)], minutes: &[Unix], samples: &[Vec<Row>], first: Unix, end: Unix, interval: i64, aggs: &[String]) -> Vec<Value> {
    let split: Vec<&'static str> = d.dims.iter().copied().filter(|dim| filter.iter().any(|(f, _)| f.eq_ignore_ascii_case(dim))).collect();
    let keeps = |dims: &[(&'static str, String)]| {
        filter.iter().all(|(f, v)| v == "*" || dims.iter().any(|(dim, val)| dim.eq_ignore_ascii_case(f) && val.eq_ignore_ascii_case(v)))
    };
    let key_of = |dims: &[(&'static str, String)]| -> Vec<(&'static str, String)> { dims.iter().filter(|(dim, _)| split.contains(dim)).cloned().collect() };
    let mut keys: Vec<Vec<(&'static str, String)>> = Vec::new();
    for rows in samples {
        for (name, dims, _) in rows.iter().filter(|(n, dims, _)| *n == d.name && keeps(dims)) {
            let _ = name;
            let k = key_of(dims);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys.iter()
        .map(|key| {
            // The combined value of the key's series at each minute.
            let per_minute: Vec<Option<f64>> = samples
                .iter()
                .map(|rows| {
                    let vals: Vec<f64> = rows.iter().filter(|(n, dims, _)| *n == d.name && keeps(dims) && key_of(dims) == *key).filter_map(|(_, _, v)| *v).collect();
                    if vals.is_empty() {
                        None
                    } else if d.combine == Combine::Sum {
                        Some(vals.iter().sum())
                    } else {
                        Some(vals.iter().sum::<f64>() / vals.len() as f64)
                    }
                })
                .collect();
            let mut data = Vec::new();
            let mut bucket = first;
            while bucket < end {
                let vals: Vec<f64> = minutes.iter().zip(&per_minute).filter(|(m, _)| **m >= bucket && **m < bucket + interval).filter_map(|(_, v)| *v).collect();
                let mut point = Map::new();
                point.insert("timeStamp".into(), Value::String(unix_rfc3339(bucket)));
                if !vals.is_empty() {
                    let total: f64 = vals.iter().sum();
                    for a in aggs {
                        let v = match a.as_str() {
                            "average" => total / vals.len() as f64,
                            "minimum" => vals.iter().copied().fold(f64::INFINITY, f64::min),
                            "maximum" => vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                            "total" => total,
                            _ => vals.len() as f64,
                        };
                        point.insert(a.clone(), json!(v));
                    }
                }
                data.push(Value::Object(point));
                bucket += interval;
            }
            let metadata: Vec<Value> =
                key.iter().map(|(dim, val)| json!({"name": {"value": dim.to_ascii_lowercase(), "localizedValue": dim.to_ascii_lowercase()}, "value": val})).collect();
            json!({"metadatavalues": metadata, "data": data})
        })
        .collect()
}

/// The gateway's learned EBGP routes: (instance address, network, source peer).
type Learned = BTreeSet<(String, String, String)>;

/// Reads a resource's state minute by minute into rows of every metric it has.
struct Reader<'a> {
    backend: &'a dyn Backend,
    kind: Kind,
    resource: String,
    body: &'a Value,
    /// The circuit's peerings that have tables.
    peerings: Vec<String>,
    /// Rows already read, by [`Backend::moment`] (the same state, the same rows).
    rows: std::collections::HashMap<Unix, Vec<Row>>,
    /// The gateway's learned routes, by moment.
    learned: std::collections::HashMap<Unix, Learned>,
    /// The timeline's events that concern this resource: on a circuit,
    /// those of every circuit and its own; elsewhere, those of every circuit
    /// (picked once: a fleet's timeline holds every circuit's).
    concern: Vec<&'a Event>,
    /// The instant the timeline's offsets count from.
    start: Unix,
}

impl<'a> Reader<'a> {
    fn new(backend: &'a dyn Backend, kind: Kind, resource: &str, body: &'a Value) -> Reader<'a> {
        let peerings = match (kind, backend.list(&Collection::Peerings { circuit: resource.to_string() })) {
            (Kind::Circuit, Lookup::Found(Value::Array(items))) => items.iter().filter_map(crate::backend::peering_name).collect(),
            _ => Vec::new(),
        };
        let own = (kind == Kind::Circuit).then(|| erdiag_model::last_segment(resource));
        let concern = backend.timeline().into_iter().flat_map(|tl| tl.events.iter()).filter(|e| e.circuit.is_none() || own.is_some_and(|c| e.on_circuit(c))).collect();
        let start = backend.timeline().map_or(0, |tl| tl.start);
        Reader { backend, kind, resource: resource.to_string(), body, peerings, rows: Default::default(), learned: Default::default(), concern, start }
    }

    fn table(&self, suffix: &str, t: Unix) -> Option<Vec<Value>> {
        match self.backend.get_at(&normalize_path(&format!("{}/{suffix}", self.resource)), t) {
            Lookup::Found(body) => Some(body.get("value").and_then(Value::as_array).cloned().unwrap_or_default()),
            _ => None,
        }
    }

    /// The timeline's events active at `t` that concern this resource.
    fn events(&self, t: Unix) -> impl Iterator<Item = &Event> {
        let rel = t - self.start;
        self.concern.iter().copied().filter(move |e| e.active_at(rel))
    }

    /// Whether `metric` has no data at `t` (a `metric-gap` event).
    fn gap(&self, metric: &str, t: Unix) -> bool {
        self.events(t).any(|e| e.kind == EventKind::MetricGap && e.metric.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(metric)))
    }

    fn rows(&mut self, t: Unix) -> Vec<Row> {
        let moment = self.backend.moment(&self.resource, t);
        let mut rows = match self.rows.get(&moment) {
            Some(rows) => rows.clone(),
            None => {
                let rows = match self.kind {
                    Kind::Circuit => self.circuit(t),
                    Kind::Gateway => self.gateway(t),
                    Kind::Port => self.port(),
                };
                self.rows.insert(moment, rows.clone());
                rows
            }
        };
        if self.kind == Kind::Gateway {
            // Changes between the minute before and this one: not a property of one state.
            let (before, now) = (self.learned_at(t - 60), self.learned_at(t));
            rows.push(("ExpressRouteGatewayFrequencyOfRoutesChanged", Vec::new(), Some(before.symmetric_difference(&now).count() as f64)));
        }
        for (name, dims, v) in rows.iter_mut() {
            if self.gap(name, t) {
                *v = None;
            } else if self.dip(name, dims, t) {
                *v = Some(0.0);
            }
        }
        rows
    }

    /// Whether an availability of one peering and peer reads 0 at `t` while
    /// the session is up (a `metric-dip` event): applied after the state's
    /// rows, which hold only what the state says.
    fn dip(&self, metric: &str, dims: &[(&'static str, String)], t: Unix) -> bool {
        if !matches!(metric, "BgpAvailability" | "ArpAvailability") {
            return false;
        }
        let dim = |name: &str| dims.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        self.events(t).filter(|e| e.kind == EventKind::MetricDip).any(|e| {
            e.metric.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(metric))
                && e.peering.as_deref().is_none_or(|p| Some(peering_type(p).as_str()) == dim("PeeringType"))
                && e.path.as_deref().is_some_and(|p| dim("Peer").is_some_and(|peer| peer.to_ascii_lowercase().starts_with(&p.to_ascii_lowercase())))
        })
    }

    fn circuit(&self, t: Unix) -> Vec<Row> {
        let mut rows = Vec::new();
        let bandwidth = bandwidth_bps(self.body);
        for peering in &self.peerings {
            let stats = match self.backend.get_at(&normalize_path(&format!("{}/peerings/{peering}/stats", self.resource)), t) {
                Lookup::Found(b) => b,
                _ => Value::Null,
            };
            for (path, peer, role) in [("primary", "Primary-IPv4", "Primary"), ("secondary", "Secondary-IPv4", "Secondary")] {
                let summary = self.table(&format!("peerings/{peering}/routeTablesSummary/{path}"), t);
                let arp = self.table(&format!("peerings/{peering}/arpTables/{path}"), t);
                if summary.is_none() && arp.is_none() {
                    continue;
                }
                // A table that could not be read says nothing against the session.
                let bgp_up = summary.as_ref().is_none_or(|rows| rows.iter().any(|r| r.get("statePfxRcd").is_some_and(is_count)));
                let arp_ok = arp.as_ref().is_none_or(|rows| rows.iter().any(on_prem_resolved));
                let kind = peering_type(peering);
                let dims = || vec![("PeeringType", kind.clone()), ("Peer", peer.to_string())];
                rows.push(("ArpAvailability", dims(), Some(if arp_ok { 100.0 } else { 0.0 })));
                rows.push(("BgpAvailability", dims(), Some(if bgp_up { 100.0 } else { 0.0 })));
                for (metric, direction, counter) in [("BitsInPerSecond", "in", "bytesIn"), ("BitsOutPerSecond", "out", "bytesOut")] {
                    let carries = stats.get(format!("{path}{counter}")).and_then(Value::as_f64).is_some_and(|b| b > 0.0);
                    let base = if bgp_up && carries { bandwidth * BASELINE_SHARE } else { 0.0 };
                    let event = self
                        .events(t)
                        .filter(|e| {
                            e.kind == EventKind::Traffic
                                && e.path.as_deref().is_none_or(|p| p.eq_ignore_ascii_case(path))
                                && e.direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(direction))
                                && e.peering.as_deref().unwrap_or("AzurePrivatePeering").eq_ignore_ascii_case(peering)
                        })
                        .filter_map(|e| e.bps)
                        .reduce(f64::max);
                    rows.push((metric, vec![("PeeringType", kind.clone()), ("DeviceRole", role.to_string())], Some(event.unwrap_or(base))));
                }
            }
        }
        for (metric, direction) in [("QosDropBitsInPerSecond", "in"), ("QosDropBitsOutPerSecond", "out")] {
            let drops: f64 =
                self.events(t).filter(|e| e.kind == EventKind::QosDrops && e.direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(direction))).filter_map(|e| e.bps).sum();
            rows.push((metric, Vec::new(), Some(drops)));
        }
        rows
    }

    /// [`Reader::learned`], once per moment.
    fn learned_at(&mut self, t: Unix) -> Learned {
        let moment = self.backend.moment(&self.resource, t);
        if let Some(l) = self.learned.get(&moment) {
            return l.clone();
        }
        let l = self.learned(t);
        self.learned.insert(moment, l.clone());
        l
    }

    /// The gateway's learned routes at `t`: (instance address, network, source peer), EBGP only.
    fn learned(&self, t: Unix) -> Learned {
        let field = |r: &Value, f: &str| r.get(f).and_then(Value::as_str).unwrap_or_default().to_string();
        self.table("getLearnedRoutes", t)
            .unwrap_or_default()
            .iter()
            .filter(|r| r.get("origin").and_then(Value::as_str).is_some_and(|o| o.eq_ignore_ascii_case("EBgp")))
            .map(|r| (field(r, "localAddress"), field(r, "network"), field(r, "sourcePeer")))
            .collect()
    }

    fn gateway(&self, t: Unix) -> Vec<Row> {
        let peers = self.table("getBgpPeerStatus", t).unwrap_or_default();
        let routes = self.table("getLearnedRoutes", t).unwrap_or_default();
        let addr = |r: &Value, f: &str| r.get(f).and_then(Value::as_str).and_then(|s| s.parse::<std::net::IpAddr>().ok());
        let instances: BTreeSet<std::net::IpAddr> = peers.iter().filter_map(|r| addr(r, "localAddress")).collect();
        let neighbors: BTreeSet<std::net::IpAddr> = peers.iter().filter_map(|r| addr(r, "neighbor")).collect();
        let cpu = self.events(t).filter(|e| e.kind == EventKind::GatewayCpu).filter_map(|e| e.percent).reduce(f64::max);
        let mut rows = Vec::new();
        for (i, _) in instances.iter().enumerate() {
            let role = format!("IN_{i}");
            rows.push(("ExpressRouteGatewayCpuUtilization", vec![("roleInstance", role.clone())], Some(cpu.unwrap_or(BASELINE_CPU))));
            rows.push(("ExpressRouteGatewayPacketsPerSecond", vec![("roleInstance", role)], Some(BASELINE_PPS)));
        }
        let learned = self.learned(t);
        let vnet: HashSet<&str> = routes
            .iter()
            .filter(|r| r.get("origin").and_then(Value::as_str).is_some_and(|o| o.eq_ignore_ascii_case("Network")))
            .filter_map(|r| r.get("network").and_then(Value::as_str))
            .collect();
        for n in &neighbors {
            let n_text = n.to_string();
            let from_peer: HashSet<&str> = learned.iter().filter(|(_, _, src)| *src == n_text).map(|(_, net, _)| net.as_str()).collect();
            let connected = peers.iter().any(|r| addr(r, "neighbor") == Some(*n) && r.get("state").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("Connected")));
            rows.push(("ExpressRouteGatewayCountOfRoutesLearnedFromPeer", vec![("BgpPeerAddress", n_text.clone())], Some(from_peer.len() as f64)));
            rows.push(("ExpressRouteGatewayCountOfRoutesAdvertisedToPeer", vec![("BgpPeerAddress", n_text)], Some(if connected { vnet.len() as f64 } else { 0.0 })));
        }
        rows
    }

    fn port(&self) -> Vec<Row> {
        let links: Vec<(String, bool)> = match self.body.pointer("/properties/links").and_then(Value::as_array) {
            Some(links) if !links.is_empty() => links
                .iter()
                .map(|l| {
                    let name = l.get("name").and_then(Value::as_str).unwrap_or("link").to_string();
                    let enabled = l.pointer("/properties/adminState").and_then(Value::as_str).is_none_or(|s| s.eq_ignore_ascii_case("Enabled"));
                    (name, enabled)
                })
                .collect(),
            _ => vec![("link1".into(), true), ("link2".into(), true)],
        };
        // A 100 Gbps link's optic has four lanes, a 10 Gbps one a single lane.
        let lanes = if self.body.pointer("/properties/bandwidthInGbps").and_then(Value::as_f64).is_some_and(|g| g >= 100.0) { 4 } else { 1 };
        let mut rows = Vec::new();
        for (link, enabled) in links {
            let up = if enabled { 1.0 } else { 0.0 };
            rows.push(("AdminState", vec![("Link", link.clone())], Some(up)));
            rows.push(("LineProtocol", vec![("Link", link.clone())], Some(up)));
            for lane in 0..lanes {
                rows.push(("RxLightLevel", vec![("Link", link.clone()), ("Lane", lane.to_string())], Some(if enabled { -2.1 } else { -40.0 })));
                rows.push(("TxLightLevel", vec![("Link", link.clone()), ("Lane", lane.to_string())], Some(if enabled { -1.8 } else { -40.0 })));
            }
        }
        rows
    }
}

/// The `PeeringType` dimension value of a peering: its name without `Azure` and `Peering`.
fn peering_type(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let core = lower.trim_start_matches("azure").trim_end_matches("peering");
    match core {
        "private" => "Private".into(),
        "microsoft" => "Microsoft".into(),
        "public" => "Public".into(),
        _ => name.to_string(),
    }
}

/// The circuit's bandwidth in bits per second (provider or Direct); 1 Gbps when unknown.
fn bandwidth_bps(circuit: &Value) -> f64 {
    let mbps = circuit.pointer("/properties/serviceProviderProperties/bandwidthInMbps").and_then(Value::as_f64);
    let gbps = circuit.pointer("/properties/bandwidthInGbps").and_then(Value::as_f64);
    mbps.map(|m| m * 1e6).or(gbps.map(|g| g * 1e9)).unwrap_or(1e9)
}

/// An on-premises ARP entry that does not say it is unresolved: a MAC, or no
/// `macAddress` field at all (a table printed without that column says
/// nothing against it).
fn on_prem_resolved(row: &Value) -> bool {
    let on_prem = row.get("interface").and_then(Value::as_str).is_some_and(|i| i.eq_ignore_ascii_case("On-Prem"));
    let resolved = match row.get("macAddress") {
        None => true,
        Some(mac) => mac.as_str().is_some_and(|m| !m.trim().is_empty() && !m.eq_ignore_ascii_case("Incomplete")),
    };
    on_prem && resolved
}

/// `MetricDefinitions_List` on `resource`.
pub(crate) fn definitions(resource: &str, body: &Value) -> Reply {
    let Some(kind) = Kind::of(resource, body) else {
        return Reply::json(200, &json!({"value": []}));
    };
    let value: Vec<Value> = kind
        .defs()
        .iter()
        .map(|d| {
            json!({
                "id": format!("{resource}/providers/microsoft.insights/metricdefinitions/{}", d.name),
                "resourceId": resource,
                "namespace": kind.namespace(),
                "name": {"value": d.name, "localizedValue": d.display},
                "displayDescription": d.description,
                "category": "Traffic",
                "metricClass": "Availability",
                "unit": d.unit,
                "primaryAggregationType": d.primary,
                "supportedAggregationTypes": ["None", "Average", "Minimum", "Maximum", "Total", "Count"],
                "metricAvailabilities": [{"timeGrain": "PT1M", "retention": "P93D"}, {"timeGrain": "PT5M", "retention": "P93D"}, {"timeGrain": "PT1H", "retention": "P93D"}],
                "isDimensionRequired": false,
                "dimensions": d.dims.iter().map(|x| json!({"value": x, "localizedValue": x})).collect::<Vec<_>>(),
            })
        })
        .collect();
    Reply::json(200, &json!({ "value": value }))
}

/// The Resource Health availability history of `resource` (newest first):
/// its timeline's maintenance (an Unavailable `Planned` status at its start,
/// Available at its end), after a day of Available; without a timeline, the
/// current status the backend holds, else Available.
pub(crate) fn history(backend: &dyn Backend, resource: &str, body: &Value) -> Reply {
    let now = backend.now();
    let kind = Kind::of(resource, body);
    let location = body.get("location").cloned().unwrap_or(Value::Null);
    let noun = match kind {
        Some(Kind::Gateway) => "virtual network gateway",
        Some(Kind::Port) => "ExpressRoute port",
        _ => "ExpressRoute circuit",
    };
    let status = |name: String, props: Value| {
        json!({
            "id": format!("{resource}/providers/Microsoft.ResourceHealth/availabilityStatuses/{name}"),
            "name": name,
            "type": "Microsoft.ResourceHealth/AvailabilityStatuses",
            "location": location,
            "properties": props,
        })
    };
    let available = |at: Unix| {
        json!({
            "availabilityState": "Available",
            "title": "Available",
            "summary": format!("There aren't any known Azure platform problems affecting this {noun}"),
            "reasonType": "",
            "category": "Not Applicable",
            "context": "Not Applicable",
            "reasonChronicity": "Persistent",
            "occuredTime": unix_rfc3339(at),
            "reportedTime": unix_rfc3339(now),
        })
    };
    // (when, properties), oldest first.
    let mut entries: Vec<(Unix, Value)> = Vec::new();
    let on_gateway = kind == Some(Kind::Gateway);
    if let Some(tl) = backend.timeline() {
        entries.push((tl.start - 86_400, available(tl.start - 86_400)));
        let name = erdiag_model::last_segment(resource);
        let mut events: Vec<_> = tl
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Maintenance && e.on_gateway() == on_gateway && kind != Some(Kind::Port))
            .filter(|e| e.circuit.is_none() || (kind == Some(Kind::Circuit) && e.on_circuit(name)))
            .collect();
        events.sort_by_key(|e| tl.window(e).0);
        for e in events {
            let (from, to) = tl.window(e);
            if from > now {
                continue;
            }
            let what = match e.path.as_deref() {
                Some(p) => format!("the {} connection of your {noun}", p.to_ascii_lowercase()),
                None => format!("your {noun}"),
            };
            entries.push((
                from,
                json!({
                    "availabilityState": "Unavailable",
                    "title": "Planned maintenance",
                    "summary": format!("Microsoft is performing planned maintenance on {what}. Traffic uses the other connection meanwhile."),
                    "reasonType": "Planned",
                    "category": "Planned",
                    "context": "Planned",
                    "reasonChronicity": "Transient",
                    "occuredTime": unix_rfc3339(from),
                    "reportedTime": unix_rfc3339(now),
                    "resolutionETA": to.map(unix_rfc3339),
                }),
            ));
            if let Some(to) = to.filter(|to| *to <= now) {
                entries.push((to, available(to)));
            }
        }
    } else if let Lookup::Found(current) = backend.get(&normalize_path(&format!("{resource}/providers/Microsoft.ResourceHealth/availabilityStatuses/current"))) {
        return Reply::json(200, &json!({ "value": [current] }));
    } else {
        entries.push((now - 86_400, available(now - 86_400)));
    }
    entries.sort_by_key(|(at, _)| *at);
    let count = entries.len();
    let value: Vec<Value> = entries
        .into_iter()
        .rev()
        .enumerate()
        .map(|(i, (at, props))| status(if i == 0 { "current".to_string() } else { format!("{at}") }, props))
        .collect();
    debug_assert_eq!(value.len(), count);
    Reply::json(200, &json!({ "value": value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_intervals() {
        assert_eq!(
            parse_filter("PeeringType eq '*' and Peer eq 'Primary-IPv4'").unwrap(),
            vec![("PeeringType".to_string(), "*".to_string()), ("Peer".to_string(), "Primary-IPv4".to_string())]
        );
        assert!(parse_filter("Peer eq 'a' or Peer eq 'b'").is_err());
        assert!(parse_filter("Peer ne 'a'").is_err());
        assert_eq!(iso_interval(60), "PT1M");
        assert_eq!(iso_interval(3600), "PT1H");
        assert_eq!(iso_interval(86_400), "P1D");
        assert_eq!(peering_type("AzurePrivatePeering"), "Private");
        assert_eq!(peering_type("MicrosoftPeering"), "Microsoft");
    }

    #[test]
    fn an_arp_row_without_a_mac_column_is_not_read_as_unresolved() {
        assert!(on_prem_resolved(&json!({"interface": "On-Prem", "ipAddress": "172.16.0.1"})));
        assert!(on_prem_resolved(&json!({"interface": "On-Prem", "macAddress": "5c5e.ab0d.4f01"})));
        assert!(!on_prem_resolved(&json!({"interface": "On-Prem", "macAddress": "Incomplete"})));
        assert!(!on_prem_resolved(&json!({"interface": "On-Prem", "macAddress": ""})));
        assert!(!on_prem_resolved(&json!({"interface": "Microsoft", "macAddress": "0022.bdf8.19ff"})));
    }
}
