//! `/metrics`: the latest poll in Prometheus' text exposition format, through
//! the `prometheus-client` crate. Metric names and labels are a contract
//! (docs/watch.md, deploy/prometheus/erdiag-rules.yml).
//!
//! A registry is built from [`WatchState`] at each scrape: a circuit that
//! left the scope leaves no series behind, and a value that is unknown is
//! not emitted (never a fake 0) — alerts on absence use `erdiag_check_unknown`.
//! Labels are bounded by the fleet: circuit, peering, path, gateway, check;
//! never a route prefix, an address or a secret.

use crate::process::Process;
use crate::gauges::CircuitGauges;
use crate::state::{CircuitStatus, WatchState};
use erdiag_checks::{Status, Verdict};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

type Labels = Vec<(&'static str, String)>;
type GaugeFamily = Family<Labels, Gauge<f64, AtomicU64>>;
type CounterFamily = Family<Labels, Counter>;

/// The families of one scrape, registered as they are first used.
struct Exposition {
    registry: Registry,
    gauges: BTreeMap<&'static str, GaugeFamily>,
    counters: BTreeMap<&'static str, CounterFamily>,
}

impl Exposition {
    fn gauge(&mut self, name: &'static str, help: &str, labels: Labels, value: f64) {
        let family = self.gauges.entry(name).or_insert_with(|| {
            let f = GaugeFamily::default();
            self.registry.register(name, help, f.clone());
            f
        });
        family.get_or_create(&labels).set(value);
    }

    /// `name` without `_total`: the crate appends it.
    fn counter(&mut self, name: &'static str, help: &str, labels: Labels, value: u64) {
        let family = self.counters.entry(name).or_insert_with(|| {
            let f = CounterFamily::default();
            self.registry.register(name, help, f.clone());
            f
        });
        family.get_or_create(&labels).inc_by(value);
    }
}

fn bool_value(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// The exposition of the state, as `/metrics` serves it: the circuits'
/// series as rendered after the last poll ([`WatchState::circuit_series`],
/// else now), then the service's own and its process's (`process_*`, read
/// at the scrape).
pub fn render(state: &WatchState, process: &Process) -> String {
    let mut out = match &state.circuit_series {
        Some(text) => text.to_string(),
        None => circuits(state),
    };
    let mut x = Exposition { registry: Registry::default(), gauges: BTreeMap::new(), counters: BTreeMap::new() };
    service(&mut x, state);
    process_series(&mut x, state, process);
    encode(&mut out, &x.registry).expect("writing to a String cannot fail");
    out
}

/// The series of every circuit, without the closing `# EOF`: they change
/// only with a poll, so the loop renders them once per poll.
pub fn circuits(state: &WatchState) -> String {
    circuit_series(&state.circuits, &state.gauges)
}

/// [`circuits`] of these circuits and their gauges (the loop renders a
/// poll's before it takes the state's lock).
pub fn circuit_series(circuits: &BTreeMap<String, CircuitStatus>, gauges: &BTreeMap<String, CircuitGauges>) -> String {
    let mut x = Exposition { registry: Registry::default(), gauges: BTreeMap::new(), counters: BTreeMap::new() };
    for (id, c) in circuits {
        let base = || -> Labels { vec![("circuit", c.row.name.clone()), ("id", id.clone())] };
        let with = |extra: &[(&'static str, &str)]| -> Labels {
            let mut l = base();
            l.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
            l
        };
        for v in [Verdict::Healthy, Verdict::Degraded, Verdict::Down, Verdict::Unknown] {
            x.gauge("erdiag_circuit_verdict", "The circuit's verdict: 1 for the current one of healthy, degraded, down, unknown", with(&[("verdict", v.as_str())]), bool_value(c.row.verdict == v));
        }
        if let Some(rc) = &c.row.root_cause {
            let point = rc.network_points.first().map(|p| p.to_string()).unwrap_or_default();
            x.gauge(
                "erdiag_root_cause",
                "The root cause of the circuit's latest diagnosis: its check, the owner of the fix and the network point (value 1)",
                with(&[("check", &rc.check), ("owner", rc.owner.as_str()), ("network_point", &point)]),
                1.0,
            );
        }
        let r = &c.row;
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        x.gauge(
            "erdiag_circuit_info",
            "The circuit's identity and placement (value 1)",
            with(&[
                ("subscription", &opt(&r.subscription)),
                ("resource_group", &opt(&r.resource_group)),
                ("location", &opt(&r.location)),
                ("peering_location", &opt(&r.peering_location)),
                ("provider", &opt(&r.provider)),
                ("sku", &opt(&r.sku)),
            ]),
            1.0,
        );
        if c.report.is_some() {
            x.gauge("erdiag_circuit_observed_timestamp_seconds", "When the circuit's latest diagnosis was collected (Unix seconds)", base(), c.observed_at as f64);
        }
        if let Some(report) = &c.report {
            for f in &report.findings {
                let path = f.path.map(|p| p.as_str()).unwrap_or("");
                let peering = f.peering.as_deref().unwrap_or("");
                match f.status {
                    Status::Fail | Status::Warn => {
                        let point = f.network_points.first().map(|p| p.to_string()).unwrap_or_default();
                        x.gauge(
                            "erdiag_finding",
                            "A check that fails or warns on the circuit (value 1)",
                            with(&[("check", f.check), ("name", f.name), ("status", f.status.as_str()), ("owner", f.owner.as_str()), ("network_point", &point), ("peering", peering), ("path", path)]),
                            1.0,
                        );
                    }
                    Status::Unknown => x.gauge("erdiag_check_unknown", "A check that lacks its evidence on the circuit (value 1)", with(&[("check", f.check), ("name", f.name)]), 1.0),
                    _ => {}
                }
            }
        }
        let Some(g) = gauges.get(id) else { continue };
        if let Some(bw) = g.bandwidth_bps {
            x.gauge("erdiag_circuit_bandwidth_bits_per_second", "The circuit's bandwidth", base(), bw);
        }
        for p in &g.paths {
            let l = with(&[("peering", &p.peering), ("path", p.path)]);
            if let Some(up) = p.bgp_up {
                x.gauge("erdiag_bgp_session_up", "The MSEE's BGP session with the customer side is Established (1) or not (0)", l.clone(), bool_value(up));
            }
            if let Some(n) = p.prefixes_received {
                x.gauge("erdiag_bgp_prefixes_received", "Prefixes the MSEE receives on the session", l.clone(), n as f64);
            }
            if let Some(n) = p.prefixes_advertised {
                x.gauge("erdiag_bgp_prefixes_advertised", "VNet prefixes (AS 65515) in the MSEE's route table, advertised to the customer side", l.clone(), n as f64);
            }
            if let Some(up) = p.arp_resolved {
                x.gauge("erdiag_arp_resolved", "The customer's address resolves in the MSEE's ARP table (1) or not (0)", l.clone(), bool_value(up));
            }
        }
        for (resource, on) in &g.maintenance {
            if let Some(on) = on {
                x.gauge("erdiag_maintenance", "Resource Health reports Microsoft's planned maintenance in progress (1) or not (0), of the circuit or its gateways", with(&[("resource", resource)]), bool_value(*on));
            }
        }
        for (peering, limit) in &g.prefix_limits {
            x.gauge("erdiag_bgp_prefix_limit", "The most prefixes the MSEE accepts on one session of the peering", with(&[("peering", peering)]), *limit as f64);
        }
        for t in &g.traffic {
            let l = with(&[("path", t.path), ("direction", t.direction)]);
            x.gauge("erdiag_bits_per_second", "Traffic on the path in the latest minute of Azure Monitor's metrics", l.clone(), t.bits_per_second);
            if let Some(bw) = g.bandwidth_bps.filter(|b| *b > 0.0) {
                x.gauge("erdiag_utilisation_ratio", "Traffic on the path over the circuit's bandwidth", l, t.bits_per_second / bw);
            }
        }
        for gw in &g.gateways {
            let l = with(&[("gateway", &gw.gateway)]);
            if let Some(n) = gw.peers_up {
                x.gauge("erdiag_gateway_bgp_peers_up", "The VNet gateway's BGP peers Connected", l.clone(), n as f64);
            }
            if let Some(n) = gw.peers {
                x.gauge("erdiag_gateway_bgp_peers", "The VNet gateway's BGP peers", l.clone(), n as f64);
            }
            if let Some(n) = gw.routes_learned {
                x.gauge("erdiag_gateway_routes_learned", "Routes the VNet gateway has learned", l, n as f64);
            }
        }
        for ((peering, path), n) in &g.routes_withdrawn {
            x.counter("erdiag_routes_withdrawn", "Prefixes that left the MSEE's route table between two polls, since the watch started", with(&[("peering", peering), ("path", path)]), *n);
        }
        for ((peering, path), n) in &g.routes_advertised {
            x.counter("erdiag_routes_advertised", "Prefixes that entered the MSEE's route table between two polls, since the watch started", with(&[("peering", peering), ("path", path)]), *n);
        }
    }
    let mut out = String::new();
    encode(&mut out, &x.registry).expect("writing to a String cannot fail");
    out.truncate(out.trim_end().strip_suffix("# EOF").map_or(out.len(), str::len));
    out
}

/// The service's own metrics: polls, ARM, the store, notifications.
fn service(x: &mut Exposition, s: &WatchState) {
    x.registry.register("erdiag_poll_duration_seconds", "How long each poll took", s.poll_durations.0.clone());
    let ok = s.polls - s.polls_failed;
    x.counter("erdiag_polls", "Polls finished, by result", vec![("result", "ok".into())], ok);
    x.counter("erdiag_polls", "Polls finished, by result", vec![("result", "failed".into())], s.polls_failed);
    if let Some(p) = &s.last_poll {
        x.gauge("erdiag_last_poll_timestamp_seconds", "When the latest poll started (Unix seconds)", vec![], p.started as f64);
    }
    x.counter("erdiag_arm_calls", "ARM calls made", vec![], s.arm.calls);
    x.counter("erdiag_arm_throttled", "ARM answers 429 (throttled)", vec![], s.arm.throttled);
    x.counter("erdiag_arm_failures", "ARM calls that failed after their retries", vec![], s.arm.failures);
    if let Some(st) = &s.store {
        x.gauge("erdiag_store_buffered_observations", "Observations kept in memory while the store is unreachable", vec![], st.buffered as f64);
        x.counter("erdiag_store_errors", "Writes to the store that failed", vec![], st.errors);
    }
    let n = &s.notifications;
    for (result, v) in [("sent", n.sent), ("retried", n.retried), ("dead_letter", n.dead_letter)] {
        x.counter("erdiag_notifications", "Notifications by result", vec![("result", result.into())], v);
    }
}

/// The process's series, under the names of Prometheus' client libraries;
/// a figure that could not be read is left out.
fn process_series(x: &mut Exposition, s: &WatchState, p: &Process) {
    if let Some(v) = p.resident_bytes {
        x.gauge("process_resident_memory_bytes", "Resident memory size in bytes", vec![], v as f64);
    }
    if let Some(v) = p.virtual_bytes {
        x.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes", vec![], v as f64);
    }
    if let Some(v) = p.open_fds {
        x.gauge("process_open_fds", "Number of open file descriptors", vec![], v as f64);
    }
    if let Some(v) = p.max_fds {
        x.gauge("process_max_fds", "Maximum number of open file descriptors", vec![], v as f64);
    }
    if s.started > 0 {
        x.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds", vec![], s.started as f64);
    }
}
