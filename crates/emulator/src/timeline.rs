//! Time in the emulator: a [`Clock`] that tests can stop and move, and a
//! scenario's [`Timeline`] (`scenarios/NAME/timeline.json`) of events — a
//! BGP session down for some minutes, ARP lost, Microsoft's maintenance on
//! one path, a prefix withdrawn, a metric gap, traffic, gateway CPU, QoS
//! drops — with offsets relative to the emulator's start.
//!
//! At time `t` the emulator serves [`Timeline::state_at`]: the scenario's
//! snapshot with every event active at `t` applied to the ARM state (route
//! table summary rows, route rows, ARP rows, the gateway's BGP peers and
//! learned routes, the gateway's current health). `monitor.rs` builds the
//! Azure Monitor series and the Resource Health history from the same
//! events and the same states, so successive polls and the metrics agree.
//!
//! Which gateway BGP neighbour is which path: the gateway's MSEE neighbours
//! (`getBgpPeerStatus`), in address order, are the primary then the secondary MSEE.

use erdiag_model::time::{parse_span, Unix};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The emulator's notion of now. Clones share one clock: a test keeps one
/// and moves it ([`Clock::set`]) between polls.
#[derive(Clone)]
pub struct Clock(Arc<Mutex<Mode>>);

#[derive(Debug, Clone, Copy)]
enum Mode {
    System,
    Fixed(Unix),
    /// `origin` at `started`, then `speed` emulated seconds per real second.
    Accelerated { origin: Unix, speed: f64, started: Instant },
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({:?})", self.mode())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The machine's time.
    pub fn system() -> Clock {
        Clock(Arc::new(Mutex::new(Mode::System)))
    }

    /// Stopped at `unix` until [`Clock::set`] moves it.
    pub fn fixed(unix: Unix) -> Clock {
        Clock(Arc::new(Mutex::new(Mode::Fixed(unix))))
    }

    /// Starts at `origin_unix` now and runs `speed` times faster than real
    /// time (`speed` 60: an hour of events in a minute). A speed that is not
    /// a positive number is taken as 1.
    pub fn accelerated(origin_unix: Unix, speed: f64) -> Clock {
        let speed = if speed.is_finite() && speed > 0.0 { speed } else { 1.0 };
        Clock(Arc::new(Mutex::new(Mode::Accelerated { origin: origin_unix, speed, started: Instant::now() })))
    }

    fn mode(&self) -> Mode {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whole seconds since the Unix epoch, as this clock reads them.
    pub fn now(&self) -> Unix {
        match self.mode() {
            Mode::System => system_now(),
            Mode::Fixed(t) => t,
            Mode::Accelerated { origin, speed, started } => origin + (started.elapsed().as_secs_f64() * speed).floor() as Unix,
        }
    }

    /// Emulated seconds per real second, whole and at least 1: the finest
    /// step in which a reader of an accelerated clock sees time move.
    pub fn step(&self) -> Unix {
        match self.mode() {
            Mode::Accelerated { speed, .. } => (speed.floor() as Unix).max(1),
            Mode::System | Mode::Fixed(_) => 1,
        }
    }

    /// Stops the clock at `unix` (every clone sees it). On a system or
    /// accelerated clock this makes it a fixed one.
    pub fn set(&self, unix: Unix) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Mode::Fixed(unix);
    }
}

fn system_now() -> Unix {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as Unix).unwrap_or(0)
}

/// What happens in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// The CE–MSEE BGP session of `peering`/`path` is down: the summary row
    /// reads `Idle`, the routes learned from the CE leave the MSEE's table
    /// and the gateway's, and `BgpAvailability` reads 0 on that peer.
    BgpDown,
    /// The CE's ARP entry is `Incomplete` on `peering`/`path`; without layer
    /// 2 the session goes down too. `ArpAvailability` and `BgpAvailability` read 0.
    ArpLost,
    /// Microsoft's planned maintenance: of the circuit on `path` (every
    /// peering's session down on that path, the gateway's peers with that
    /// MSEE down), or of the gateway (`resource: gateway`: only its health).
    /// Resource Health answers a `Planned` Unavailable status, then Available.
    Maintenance,
    /// The CE stops advertising `prefix` on `peering` (`path`, or both).
    Withdraw,
    /// Azure Monitor has no data points for `metric` (every metric when absent).
    MetricGap,
    /// Azure Monitor reads 0 in `metric` (`BgpAvailability` or
    /// `ArpAvailability`; both when absent) on `peering`/`path` while the
    /// session stays up and its uptime runs on: the reporting glitch that
    /// users see as a false alert.
    MetricDip,
    /// `BitsInPerSecond` / `BitsOutPerSecond` of `path` and `direction` read `bps`.
    Traffic,
    /// The gateway's `ExpressRouteGatewayCpuUtilization` reads `percent`.
    GatewayCpu,
    /// `QosDropBitsInPerSecond` / `QosDropBitsOutPerSecond` (`direction`) read `bps`.
    QosDrops,
}

/// One event of a timeline, as `timeline.json` writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub kind: EventKind,
    #[serde(default)]
    pub peering: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub bps: Option<f64>,
    #[serde(default)]
    pub percent: Option<f64>,
    #[serde(default)]
    pub resource: Option<String>,
    /// The circuit it happens to, by name (a fleet's `er-westeurope-0007`);
    /// absent: every circuit served.
    #[serde(default)]
    pub circuit: Option<String>,
    /// Offset from the emulator's start (`-50m`, `+10m`, `0`).
    pub from: String,
    /// Offset of the end (exclusive); absent: still ongoing.
    #[serde(default)]
    pub to: Option<String>,
    /// `from` and `to` in seconds relative to the start.
    #[serde(skip)]
    pub(crate) span: (i64, Option<i64>),
}

impl Event {
    fn peering_is(&self, peering: &str) -> bool {
        self.peering.as_deref().is_none_or(|p| p.eq_ignore_ascii_case(peering))
    }

    fn path_is(&self, path: &str) -> bool {
        self.path.as_deref().is_none_or(|p| p.eq_ignore_ascii_case(path))
    }

    /// Whether the event is on at `rel` seconds from the start: started at
    /// or before, not yet ended.
    pub(crate) fn active_at(&self, rel: i64) -> bool {
        self.span.0 <= rel && self.span.1.is_none_or(|to| rel < to)
    }

    /// Whether the event happens to the circuit named `name`.
    pub fn on_circuit(&self, name: &str) -> bool {
        self.circuit.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(name))
    }

    /// Maintenance of the gateway rather than of the circuit.
    pub fn on_gateway(&self) -> bool {
        self.resource.as_deref().is_some_and(|r| r.eq_ignore_ascii_case("gateway"))
    }

    /// Whether this event takes the `peering`/`path` BGP session down.
    pub fn session_down(&self, peering: &str, path: &str) -> bool {
        match self.kind {
            EventKind::BgpDown | EventKind::ArpLost => self.peering_is(peering) && self.path_is(path),
            EventKind::Maintenance => !self.on_gateway() && self.peering_is(peering) && self.path_is(path),
            _ => false,
        }
    }
}

/// Why a timeline could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TimelineError {
    pub message: String,
}

/// A scenario's events, anchored at the emulator's start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub events: Vec<Event>,
    /// The instant offsets count from (the emulator's start).
    pub start: Unix,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    events: Vec<Event>,
}

impl Timeline {
    /// Reads `timeline.json`, anchored at `start`. Errors name the JSON path
    /// (`events[2].from`) and what was expected.
    pub fn parse(text: &str, start: Unix) -> Result<Timeline, TimelineError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let file: File = serde_path_to_error::deserialize(de).map_err(|e| {
            let inner = e.inner();
            TimelineError { message: format!("at {} (line {}, column {}): {inner}", e.path(), inner.line(), inner.column()) }
        })?;
        let mut events = file.events;
        for (i, event) in events.iter_mut().enumerate() {
            let at = |field: &str, message: String| TimelineError { message: format!("at events[{i}].{field}: {message}") };
            let from = parse_offset(&event.from).map_err(|m| at("from", m))?;
            let to = event.to.as_deref().map(parse_offset).transpose().map_err(|m| at("to", m))?;
            if to.is_some_and(|to| to <= from) {
                return Err(at("to", format!("`{}` is not after `from` ({})", event.to.as_deref().unwrap_or(""), event.from)));
            }
            event.span = (from, to);
            let needs = |field: &str, present: bool| if present { Ok(()) } else { Err(at(field, format!("a `{}` event needs `{field}`", kind_name(event.kind)))) };
            match event.kind {
                EventKind::BgpDown | EventKind::ArpLost => needs("path", event.path.is_some())?,
                EventKind::Maintenance => needs("path", event.path.is_some() || event.on_gateway())?,
                EventKind::Withdraw => needs("prefix", event.prefix.is_some())?,
                EventKind::Traffic | EventKind::QosDrops => {
                    needs("bps", event.bps.is_some_and(|b| b >= 0.0))?;
                    needs("direction", event.direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("in") || d.eq_ignore_ascii_case("out")))?;
                }
                EventKind::GatewayCpu => needs("percent", event.percent.is_some_and(|p| (0.0..=100.0).contains(&p)))?,
                EventKind::MetricGap => {}
                EventKind::MetricDip => needs("path", event.path.is_some())?,
            }
            if let Some(p) = &event.path {
                if !p.eq_ignore_ascii_case("primary") && !p.eq_ignore_ascii_case("secondary") {
                    return Err(at("path", format!("`{p}` is not primary or secondary")));
                }
            }
            if event.circuit.is_some() && (event.kind == EventKind::GatewayCpu || event.on_gateway()) {
                return Err(at("circuit", "a gateway's event applies to every circuit: it names none".to_string()));
            }
            if let Some(r) = &event.resource {
                if !r.eq_ignore_ascii_case("circuit") && !r.eq_ignore_ascii_case("gateway") {
                    return Err(at("resource", format!("`{r}` is not circuit or gateway")));
                }
            }
        }
        Ok(Timeline { events, start })
    }

    /// The same events anchored at another start.
    pub fn starting_at(mut self, start: Unix) -> Timeline {
        self.start = start;
        self
    }

    /// The events active at `t`: started at or before `t`, not yet ended.
    pub fn active(&self, t: Unix) -> impl Iterator<Item = &Event> {
        self.active_indices(t).map(|i| &self.events[i])
    }

    /// The positions in `events` of the events active at `t`, in order.
    pub fn active_indices(&self, t: Unix) -> impl Iterator<Item = usize> + '_ {
        let rel = t - self.start;
        self.events.iter().enumerate().filter(move |(_, e)| e.active_at(rel)).map(|(i, _)| i)
    }

    /// When an event starts and ends (exclusive), in Unix seconds.
    pub fn window(&self, e: &Event) -> (Unix, Option<Unix>) {
        (self.start + e.span.0, e.span.1.map(|to| self.start + to))
    }

    /// The events active at `t` that happen to the circuit named `circuit`.
    pub fn active_on<'a>(&'a self, t: Unix, circuit: &'a str) -> impl Iterator<Item = &'a Event> {
        self.active(t).filter(move |e| e.on_circuit(circuit))
    }

    /// The snapshot as the emulator serves it at `t`: every event active at
    /// `t` on its circuit applied to the ARM state; `collectedAt` is left as written.
    pub fn state_at(&self, snapshot: &Value, t: Unix) -> Value {
        let circuit = circuit_name(snapshot);
        let circuit = circuit.as_str();
        let mut state = snapshot.clone();
        let Some(resources) = state.get_mut("resources").and_then(Value::as_object_mut) else {
            return state;
        };
        let mut view = View::new(resources);
        // Read once: a fleet's timeline holds the events of every circuit.
        let on: Vec<&Event> = self.active_on(t, circuit).collect();
        for path in ["primary", "secondary"] {
            for peering in view.peerings() {
                let down: Vec<&Event> = on.iter().copied().filter(|e| e.session_down(&peering, path)).collect();
                if let Some(first) = down.iter().map(|e| self.window(e).0).min() {
                    let arp_lost = down.iter().any(|e| e.kind == EventKind::ArpLost);
                    view.session_down(&peering, path, t - first, arp_lost);
                } else if let Some(end) = self.last_end(&peering, path, t, circuit) {
                    view.session_back(&peering, path, t - end);
                }
                for e in on.iter().copied().filter(|e| e.kind == EventKind::Withdraw && e.peering_is(&peering) && e.path_is(path)) {
                    view.withdraw(&peering, path, e.prefix.as_deref().unwrap_or_default());
                }
            }
            let drained = on.iter().copied().any(|e| e.kind == EventKind::Maintenance && !e.on_gateway() && e.peering_is("AzurePrivatePeering") && e.path_is(path));
            if drained {
                view.msee_down(path);
            }
        }
        if let Some(e) = on.iter().copied().find(|e| e.kind == EventKind::Maintenance && e.on_gateway()) {
            view.gateway_maintenance(&erdiag_model::time::unix_rfc3339(self.window(e).0));
        }
        view.recount_gateway_routes();
        state
    }

    /// The end of the latest session-affecting event of `peering`/`path`
    /// that ended at or before `t`.
    fn last_end(&self, peering: &str, path: &str, t: Unix, circuit: &str) -> Option<Unix> {
        self.events
            .iter()
            .filter(|e| e.session_down(peering, path) && e.on_circuit(circuit))
            .filter_map(|e| self.window(e).1)
            .filter(|&end| end <= t)
            .max()
    }
}

/// The name of a snapshot's circuit (the last segment of its `circuitId`),
/// which events name.
pub(crate) fn circuit_name(snapshot: &Value) -> String {
    snapshot.get("circuitId").and_then(Value::as_str).map(erdiag_model::last_segment).unwrap_or_default().to_string()
}

fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::BgpDown => "bgp-down",
        EventKind::ArpLost => "arp-lost",
        EventKind::Maintenance => "maintenance",
        EventKind::Withdraw => "withdraw",
        EventKind::MetricGap => "metric-gap",
        EventKind::MetricDip => "metric-dip",
        EventKind::Traffic => "traffic",
        EventKind::GatewayCpu => "gateway-cpu",
        EventKind::QosDrops => "qos-drops",
    }
}

/// `-50m`, `+10m`, `50m`, `0`, `-PT1H`: seconds relative to the start.
fn parse_offset(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (sign, rest) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    if rest == "0" {
        return Ok(0);
    }
    parse_span(rest).map(|s| sign * s).map_err(|e| format!("{e} (an offset such as -50m or +10m)"))
}

/// `01:12:08` under a day, `3d04h` beyond, as the route table summary writes `upDown`.
pub(crate) fn up_down(secs: i64) -> String {
    let s = secs.max(0);
    if s < 86_400 {
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}d{:02}h", s / 86_400, s / 3600 % 24)
    }
}

/// The ARM bodies of one snapshot that timeline events change, found by the
/// shape of their keys (case-insensitive).
struct View<'a> {
    resources: &'a mut serde_json::Map<String, Value>,
}

impl<'a> View<'a> {
    fn new(resources: &'a mut serde_json::Map<String, Value>) -> View<'a> {
        View { resources }
    }

    /// The peerings that have tables, as their keys write them.
    fn peerings(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for key in self.resources.keys() {
            if let Some((peering, _, _)) = table_key(key) {
                if !seen.iter().any(|p| p.eq_ignore_ascii_case(peering)) {
                    seen.push(peering.to_string());
                }
            }
        }
        seen
    }

    /// The rows of a peering's table on a path, mutable.
    fn rows(&mut self, peering: &str, table: &str, path: &str) -> Option<&mut Vec<Value>> {
        let key = self
            .resources
            .keys()
            .find(|k| table_key(k).is_some_and(|(p, t, d)| p.eq_ignore_ascii_case(peering) && t.eq_ignore_ascii_case(table) && d.eq_ignore_ascii_case(path)))?
            .clone();
        self.resources.get_mut(&key)?.get_mut("value")?.as_array_mut()
    }

    fn gateway_rows(&mut self, action: &str) -> Vec<&mut Vec<Value>> {
        let suffix = format!("/{}", action.to_ascii_lowercase());
        self.resources
            .iter_mut()
            .filter(|(k, _)| k.to_ascii_lowercase().ends_with(&suffix) && k.to_ascii_lowercase().contains("/virtualnetworkgateways/"))
            .filter_map(|(_, v)| v.get_mut("value").and_then(Value::as_array_mut))
            .collect()
    }

    /// The CE neighbours of a path (the summary rows' `neighbor`).
    fn ce_neighbors(&mut self, peering: &str, path: &str) -> Vec<String> {
        self.rows(peering, "routeTablesSummary", path)
            .map(|rows| rows.iter().filter_map(|r| r.get("neighbor").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// The gateway's MSEE neighbour on `path`: its BGP neighbours in address order.
    fn msee(&mut self, path: &str) -> Option<String> {
        let mut addrs: Vec<IpAddr> = Vec::new();
        for rows in self.gateway_rows("getBgpPeerStatus") {
            for r in rows.iter() {
                if let Some(ip) = r.get("neighbor").and_then(Value::as_str).and_then(|s| s.parse::<IpAddr>().ok()) {
                    if !addrs.contains(&ip) {
                        addrs.push(ip);
                    }
                }
            }
        }
        addrs.sort();
        let index = usize::from(path.eq_ignore_ascii_case("secondary"));
        addrs.get(index).map(IpAddr::to_string)
    }

    /// Removes the routes of `peering`/`path` learned from the CE (those
    /// `keep` rejects) and, for the private peering, the same prefixes the
    /// gateway learned through that path's MSEE. Returns the prefixes removed.
    fn drop_ce_routes(&mut self, peering: &str, path: &str, keep: impl Fn(&Value) -> bool) -> HashSet<String> {
        let ce: HashSet<String> = self.ce_neighbors(peering, path).into_iter().collect();
        let mut removed = HashSet::new();
        if let Some(rows) = self.rows(peering, "routeTables", path) {
            rows.retain(|r| {
                let hop = r.get("nextHop").and_then(Value::as_str).unwrap_or_default().trim_end_matches('*');
                if ce.contains(hop) && !keep(r) {
                    removed.insert(r.get("network").and_then(Value::as_str).unwrap_or_default().to_string());
                    false
                } else {
                    true
                }
            });
        }
        if peering.eq_ignore_ascii_case("AzurePrivatePeering") && !removed.is_empty() {
            if let Some(msee) = self.msee(path) {
                for rows in self.gateway_rows("getLearnedRoutes") {
                    rows.retain(|r| {
                        let from_msee = r.get("sourcePeer").and_then(Value::as_str) == Some(msee.as_str());
                        !(from_msee && r.get("network").and_then(Value::as_str).is_some_and(|n| removed.contains(n)))
                    });
                }
            }
        }
        removed
    }

    fn session_down(&mut self, peering: &str, path: &str, since: i64, arp_lost: bool) {
        if let Some(rows) = self.rows(peering, "routeTablesSummary", path) {
            for r in rows.iter_mut() {
                r["statePfxRcd"] = Value::String("Idle".into());
                r["upDown"] = Value::String(up_down(since));
            }
        }
        if arp_lost {
            if let Some(rows) = self.rows(peering, "arpTables", path) {
                for r in rows.iter_mut().filter(|r| r.get("interface").and_then(Value::as_str).is_some_and(|i| i.eq_ignore_ascii_case("On-Prem"))) {
                    r["macAddress"] = Value::String("Incomplete".into());
                    r["age"] = Value::from(0);
                }
            }
        }
        self.drop_ce_routes(peering, path, |_| false);
    }

    /// A session that came back `since` seconds ago.
    fn session_back(&mut self, peering: &str, path: &str, since: i64) {
        if let Some(rows) = self.rows(peering, "routeTablesSummary", path) {
            for r in rows.iter_mut().filter(|r| r.get("statePfxRcd").is_some_and(is_count)) {
                r["upDown"] = Value::String(up_down(since));
            }
        }
    }

    fn withdraw(&mut self, peering: &str, path: &str, prefix: &str) {
        let removed = self.drop_ce_routes(peering, path, |r| r.get("network").and_then(Value::as_str) != Some(prefix));
        if removed.is_empty() {
            return;
        }
        if let Some(rows) = self.rows(peering, "routeTablesSummary", path) {
            for r in rows.iter_mut() {
                if let Some(n) = r.get("statePfxRcd").and_then(count_of) {
                    r["statePfxRcd"] = count_like(&r["statePfxRcd"], n.saturating_sub(1));
                }
            }
        }
    }

    /// The gateway's sessions with the MSEE of `path` are down: no routes
    /// from it, and that MSEE no longer learns the VNet's (AS 65515) routes
    /// from the gateway.
    fn msee_down(&mut self, path: &str) {
        let Some(msee) = self.msee(path) else { return };
        if let Some(rows) = self.rows("AzurePrivatePeering", "routeTables", path) {
            // The VNet's routes originate in the gateway's AS 65515, read as the checks read an AS path.
            rows.retain(|r| r.get("path").and_then(Value::as_str).map(|p| erdiag_model::AsPath::parse(p).origin()) != Some(Some(65515)));
        }
        for rows in self.gateway_rows("getBgpPeerStatus") {
            for r in rows.iter_mut().filter(|r| r.get("neighbor").and_then(Value::as_str) == Some(msee.as_str())) {
                r["state"] = Value::String("Connecting".into());
                r["connectedDuration"] = Value::String(String::new());
            }
        }
        for rows in self.gateway_rows("getLearnedRoutes") {
            rows.retain(|r| r.get("sourcePeer").and_then(Value::as_str) != Some(msee.as_str()));
        }
    }

    /// The gateway's current health during its planned maintenance.
    fn gateway_maintenance(&mut self, since: &str) {
        for (key, body) in self.resources.iter_mut() {
            let k = key.to_ascii_lowercase();
            if k.contains("/virtualnetworkgateways/") && k.ends_with("/providers/microsoft.resourcehealth/availabilitystatuses/current") {
                if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut) {
                    p.insert("availabilityState".into(), "Degraded".into());
                    p.insert("title".into(), "Planned maintenance".into());
                    p.insert(
                        "summary".into(),
                        "Your virtual network gateway is undergoing planned maintenance. During this time you may experience reduced performance and intermittent packet loss.".into(),
                    );
                    p.insert("reasonType".into(), "Planned".into());
                    p.insert("context".into(), "Planned".into());
                    p.insert("occuredTime".into(), since.into());
                }
            }
        }
    }

    /// Each gateway peer's `routesReceived`: the learned routes it is the source of.
    fn recount_gateway_routes(&mut self) {
        let mut learned: Vec<(String, String)> = Vec::new();
        for rows in self.gateway_rows("getLearnedRoutes") {
            for r in rows.iter() {
                let field = |f: &str| r.get(f).and_then(Value::as_str).unwrap_or_default().to_string();
                if r.get("origin").and_then(Value::as_str).is_some_and(|o| o.eq_ignore_ascii_case("EBgp")) {
                    learned.push((field("localAddress"), field("sourcePeer")));
                }
            }
        }
        for rows in self.gateway_rows("getBgpPeerStatus") {
            for r in rows.iter_mut() {
                let local = r.get("localAddress").and_then(Value::as_str).unwrap_or_default().to_string();
                let peer = r.get("neighbor").and_then(Value::as_str).unwrap_or_default().to_string();
                let n = learned.iter().filter(|(l, p)| *l == local && *p == peer).count();
                if r.get("routesReceived").and_then(Value::as_u64).is_some_and(|old| old as usize > n) {
                    r["routesReceived"] = Value::from(n);
                }
            }
        }
    }
}

/// Whether [`Timeline::state_at`] can change the resource at `key` (a
/// snapshot key or a normalized path): a peering's ARP and route tables and
/// route summaries, a gateway's BGP peers and learned routes, and a
/// gateway's current health. Everything else — circuits, peerings,
/// connections, gateways, ports — reads the same at every instant, so a
/// [`crate::TimedBackend`] serves it as written, without moving the
/// circuit's snapshot to the instant. The `View` below changes nothing else
/// (a test holds the two together).
pub(crate) fn moves_with_time(key: &str) -> bool {
    if table_key(key).is_some() {
        return true;
    }
    let k = key.trim_end_matches('/').to_ascii_lowercase();
    k.contains("/virtualnetworkgateways/")
        && (k.ends_with("/getbgppeerstatus") || k.ends_with("/getlearnedroutes") || k.ends_with("/providers/microsoft.resourcehealth/availabilitystatuses/current"))
}

/// `(peering, table, path)` of a key `…/peerings/{p}/{table}/{path}`.
fn table_key(key: &str) -> Option<(&str, &str, &str)> {
    let parts: Vec<&str> = key.trim_end_matches('/').rsplitn(5, '/').collect();
    match parts.as_slice() {
        [path, table, peering, peerings, _] if peerings.eq_ignore_ascii_case("peerings") => Some((peering, table, path)),
        _ => None,
    }
}

/// A summary row's `statePfxRcd` that counts prefixes (the session is up).
pub(crate) fn is_count(v: &Value) -> bool {
    count_of(v).is_some()
}

fn count_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `n` written as `like` is (a string or a number).
fn count_like(like: &Value, n: u64) -> Value {
    if like.is_string() {
        Value::String(n.to_string())
    } else {
        Value::from(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_errors() {
        assert_eq!(parse_offset("-50m"), Ok(-3000));
        assert_eq!(parse_offset("+10m"), Ok(600));
        assert_eq!(parse_offset("0"), Ok(0));
        assert_eq!(parse_offset("-PT1H"), Ok(-3600));
        assert!(parse_offset("soon").is_err());
        let err = Timeline::parse(r#"{"events": [{"kind": "bgp-down", "path": "primary", "from": "-5m", "to": "-10m"}]}"#, 0).unwrap_err();
        assert!(err.message.contains("events[0].to"), "{err}");
        let err = Timeline::parse(r#"{"events": [{"kind": "bgp-down", "from": "-5m"}]}"#, 0).unwrap_err();
        assert!(err.message.contains("events[0].path"), "{err}");
        let err = Timeline::parse(r#"{"events": [{"kind": "flood", "from": "-5m"}]}"#, 0).unwrap_err();
        assert!(err.message.contains("events[0].kind"), "{err}");
    }

    #[test]
    fn clock_moves_when_set_and_clones_share_it() {
        let clock = Clock::fixed(1000);
        let other = clock.clone();
        assert_eq!(other.now(), 1000);
        clock.set(1060);
        assert_eq!(other.now(), 1060);
        let fast = Clock::accelerated(5000, 1000.0);
        assert!(fast.now() >= 5000);
        assert_eq!(up_down(4328), "01:12:08");
        assert_eq!(up_down(273_600), "3d04h");
    }
}
