//! History: erdiag's own observations of circuits over time, kept in a
//! store (`erdiag-store`: SQLite or PostgreSQL), and what is read back from
//! it — the timeline of transitions of one circuit (`erdiag history`), the
//! snapshot at a time (`--at`, `diff @TIME`), and what erdiag saw around a
//! metrics window (`inputs.observed`, which tells a metric dip erdiag saw
//! from a gap in the metric).
//!
//! ```text
//!  Report + snapshot bytes ── Record::of ── record() / Writer (a thread, batches) ──► Store::ingest
//!  Store::polls + Store::arm_states ── erdiag_diff::diff(state i, state i+1) ──► Timeline (erdiag-history/1)
//!  Store::arm_states over the metrics window ──► observed() ──► snapshot.inputs.observed
//! ```
//!
//! A session's transitions are read from the route-table summary rows of
//! every rebuilt state (the same reading `inputs.observed` carries); routes,
//! ARP, learned routes and properties from the diff of successive states;
//! verdicts and missed polls from the polls. Nothing here prints.

use crate::{Error, ErrorKind, Report};
use erdiag_model::time::{parse_rfc3339, unix_rfc3339, Unix};
use erdiag_model::inputs::{ArpObserved, BgpObserved, Observed, ObservedPath, ObservedPoll};
use erdiag_model::{BgpState, CircuitState, Collected, DevicePath, Family, Snapshot};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `format` of a timeline document.
pub const HISTORY_FORMAT: &str = "erdiag-history/1";

/// How many observations `fleet` hands the store at once.
pub const BATCH: usize = 64;

/// The window `inputs.observed` covers when the snapshot has no metrics.
pub const DEFAULT_WINDOW_SECS: i64 = 3600;

// ---------------------------------------------------------------- reading a state

/// The BGP session state of each peering and path: `up` when an IPv4
/// neighbor row of the MSEE's route-table summary is Established, `down`
/// when the summary was read without one, `unknown` when it was not read.
/// The IPv6 session of a dual-stack path is not this one: an Established
/// IPv6 row beside a down IPv4 session does not make the path's session up.
/// An `up` session carries when it was re-established (`upSince`), as the
/// summary's `upDown` dates it from the snapshot's `collectedAt`, when both
/// are precise enough: it is what confirms a short dip later (ER404), once a
/// newer reset has replaced it in the MSEE's summary.
pub fn bgp_states(s: &CircuitState) -> Vec<ObservedPath<BgpObserved>> {
    let v4 = |r: &erdiag_model::RouteSummaryEntry| r.family().unwrap_or(Family::V4) == Family::V4;
    let at = s.collected_unix();
    per_path(s, |p, d| match p.summary(d) {
        Collected::Ok(rows) => match rows.iter().find(|r| v4(r) && matches!(r.state_pfx_rcd, BgpState::Established(_))) {
            Some(r) => (BgpObserved::Up, at.zip(r.uptime_secs()).map(|(at, up)| unix_rfc3339(at - up))),
            None => (BgpObserved::Down, None),
        },
        _ => (BgpObserved::Unknown, None),
    })
}

/// The ARP table of each peering and path: `resolved` when it holds an
/// on-premises entry with a MAC address, `empty` when read without one.
pub fn arp_states(s: &CircuitState) -> Vec<ObservedPath<ArpObserved>> {
    per_path(s, |p, d| match p.arp(d) {
        Collected::Ok(rows) if rows.iter().any(|r| r.is_on_prem() && r.mac_address.is_resolved()) => (ArpObserved::Resolved, None),
        Collected::Ok(_) => (ArpObserved::Empty, None),
        _ => (ArpObserved::Unknown, None),
    })
}

/// Each peering and path with its state and, for BGP, `upSince`.
fn per_path<S>(s: &CircuitState, state: impl Fn(&erdiag_model::PeeringState, DevicePath) -> (S, Option<String>)) -> Vec<ObservedPath<S>> {
    let mut out = Vec::new();
    for p in &s.peerings {
        for d in DevicePath::BOTH {
            let (state, up_since) = state(p, d);
            out.push(ObservedPath { peering: p.name().to_string(), path: d, state, up_since });
        }
    }
    out
}

/// A stored snapshot's bytes, decoded. `label` names it in errors.
pub fn decode(label: &str, bytes: &[u8]) -> Result<CircuitState, Error> {
    let snap = Snapshot::from_slice(bytes).map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
    snap.decode().map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))
}

// ---------------------------------------------------------------- the timeline

/// What happened to one circuit between two times (`erdiag history`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub format: &'static str,
    /// The store's label (no credentials).
    pub store: String,
    pub circuit_id: String,
    pub circuit_name: String,
    pub from: String,
    pub to: String,
    /// Polls stored in the window.
    pub polls: usize,
    /// The usual time between polls (the median), when there are two or more.
    pub interval_secs: Option<i64>,
    /// Oldest first; a session by the time it went down.
    pub events: Vec<Event>,
}

/// One transition. `at` is the poll that first saw it: the change happened
/// between the poll before and that one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Event {
    /// A BGP session down (and up again, with how long it lasted).
    #[serde(rename_all = "camelCase")]
    Session {
        peering: String,
        path: &'static str,
        /// The first poll that saw it down; `None` when it was down when the window began.
        down_at: Option<String>,
        /// The first poll that saw it up again; `None` when still down at the window's end.
        up_at: Option<String>,
        /// `up_at - down_at`, when both are known.
        lasted_secs: Option<i64>,
    },
    /// Routes withdrawn or advertised in one table between two polls.
    #[serde(rename_all = "camelCase")]
    Routes {
        at: String,
        /// `msee` (the circuit's route table) or `gateway` (the VNet gateway's learned routes).
        table: &'static str,
        /// The MSEE's peering and path (table `msee`).
        peering: Option<String>,
        path: Option<String>,
        /// The gateway's name (table `gateway`).
        gateway: Option<String>,
        withdrawn: Vec<String>,
        advertised: Vec<String>,
        /// Of those advertised, the prefixes withdrawn earlier in the window.
        readvertised: Vec<String>,
        /// Next hop or AS path changed.
        changed: Vec<String>,
    },
    /// ARP entries appearing, disappearing (by IP) or changing MAC (`IP BEFORE → AFTER`).
    #[serde(rename_all = "camelCase")]
    Arp { at: String, peering: String, path: String, appeared: Vec<String>, disappeared: Vec<String>, mac_changed: Vec<String> },
    /// An ARM property of the circuit, a peering, a connection or the gateway.
    #[serde(rename_all = "camelCase")]
    Property { at: String, resource: String, property: String, before: serde_json::Value, after: serde_json::Value },
    /// The diagnosis changed: its verdict or its root cause.
    #[serde(rename_all = "camelCase")]
    Verdict { at: String, before: String, after: String, root_cause_before: Option<String>, root_cause_after: Option<String> },
    /// No poll for longer than twice the usual interval.
    #[serde(rename_all = "camelCase")]
    Gap { from: String, to: String, secs: i64 },
}

impl Event {
    /// When it happened (a session: when it went down; down from the start sorts first).
    pub fn at(&self) -> &str {
        match self {
            Event::Session { down_at, up_at, .. } => down_at.as_deref().or(up_at.as_deref()).unwrap_or(""),
            Event::Routes { at, .. } | Event::Arp { at, .. } | Event::Property { at, .. } | Event::Verdict { at, .. } => at,
            Event::Gap { from, .. } => from,
        }
    }
}

/// A poll as the store lists it: when, and the diagnosis then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSummary {
    pub at: Unix,
    pub verdict: String,
    pub root_cause: Option<String>,
}

/// The sessions' down and up transitions over successive states (oldest
/// first), each session with its duration when both ends are in the window.
pub fn sessions(states: &[(Unix, Vec<ObservedPath<BgpObserved>>)]) -> Vec<Event> {
    use BgpObserved::{Down, Up};
    let mut open: BTreeMap<(String, DevicePath), (Option<Unix>, usize)> = BTreeMap::new();
    let mut last: BTreeMap<(String, DevicePath), BgpObserved> = BTreeMap::new();
    let mut out: Vec<Event> = Vec::new();
    for (i, (at, obs)) in states.iter().enumerate() {
        for o in obs {
            let key = (o.peering.clone(), o.path);
            let before = last.insert(key.clone(), o.state);
            let path = o.path.as_str();
            match (before, o.state) {
                // Down at the first state: down since before the window.
                (None, Down) if i == 0 => {
                    open.insert(key, (None, out.len()));
                    out.push(session(&o.peering, path, None, None));
                }
                (Some(b), Down) if b != Down && !open.contains_key(&key) => {
                    open.insert(key, (Some(*at), out.len()));
                    out.push(session(&o.peering, path, Some(*at), None));
                }
                (_, Up) => {
                    if let Some((down, idx)) = open.remove(&key) {
                        out[idx] = session(&o.peering, path, down, Some(*at));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn session(peering: &str, path: &'static str, down: Option<Unix>, up: Option<Unix>) -> Event {
    Event::Session {
        peering: peering.to_string(),
        path,
        down_at: down.map(unix_rfc3339),
        up_at: up.map(unix_rfc3339),
        lasted_secs: down.zip(up).map(|(d, u)| u - d),
    }
}

/// Verdict and root-cause changes between successive polls, each once.
pub fn verdicts(polls: &[PollSummary]) -> Vec<Event> {
    polls
        .windows(2)
        .filter(|w| w[0].verdict != w[1].verdict || w[0].root_cause != w[1].root_cause)
        .map(|w| Event::Verdict {
            at: unix_rfc3339(w[1].at),
            before: w[0].verdict.clone(),
            after: w[1].verdict.clone(),
            root_cause_before: w[0].root_cause.clone(),
            root_cause_after: w[1].root_cause.clone(),
        })
        .collect()
}

/// The usual time between polls (the median), and the gaps longer than
/// twice it.
pub fn gaps(times: &[Unix]) -> (Option<i64>, Vec<Event>) {
    let mut steps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 0).collect();
    if steps.is_empty() {
        return (None, Vec::new());
    }
    steps.sort_unstable();
    let usual = steps[steps.len() / 2];
    let gaps = times
        .windows(2)
        .filter(|w| w[1] - w[0] > 2 * usual)
        .map(|w| Event::Gap { from: unix_rfc3339(w[0]), to: unix_rfc3339(w[1]), secs: w[1] - w[0] })
        .collect();
    (Some(usual), gaps)
}

/// A route table of a routes event: its kind (`msee`, `gateway`), peering, path and gateway.
type RouteTable = (&'static str, Option<String>, Option<String>, Option<String>);

/// Marks, in each routes event, the prefixes advertised again after an
/// earlier withdrawal in the window (same table, peering and path).
fn mark_readvertised(events: &mut [Event]) {
    let mut withdrawn: BTreeMap<RouteTable, Vec<String>> = BTreeMap::new();
    for e in events.iter_mut() {
        if let Event::Routes { table, peering, path, gateway, withdrawn: w, advertised, readvertised, .. } = e {
            let seen = withdrawn.entry((*table, peering.clone(), path.clone(), gateway.clone())).or_default();
            *readvertised = advertised.iter().filter(|p| seen.contains(p)).cloned().collect();
            seen.extend(w.iter().cloned());
        }
    }
}

/// Sorts the events by time (stable: a poll's events keep their order).
fn order(events: &mut [Event]) {
    events.sort_by(|a, b| a.at().cmp(b.at()));
}

// ---------------------------------------------------------------- recording

/// One observation, owned: what the store keeps of a diagnosed circuit.
#[derive(Debug, Clone)]
pub struct Record {
    pub circuit_id: String,
    pub at: Unix,
    pub snapshot: Vec<u8>,
    pub verdict: &'static str,
    pub root_cause: Option<String>,
    pub findings: Vec<(String, String)>,
}

impl Record {
    /// The observation of `report`, made from `snapshot` (the bytes as
    /// written); `at` is the snapshot's `collectedAt`, or `now` when it has
    /// none (a snapshot file of another tool).
    pub fn of(report: &Report, snapshot: Vec<u8>, now: Unix) -> Record {
        let at = report.collected_at.as_deref().and_then(|t| parse_rfc3339(t).ok()).unwrap_or(now);
        Record {
            circuit_id: report.circuit.id.clone(),
            at,
            snapshot,
            verdict: report.verdict.as_str(),
            root_cause: report.root_cause.as_ref().map(|r| r.check.clone()),
            findings: report.findings.iter().map(|f| (f.check.to_string(), f.status.as_str().to_string())).collect(),
        }
    }
}

/// The current time, as [`Unix`].
pub fn now() -> Unix {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A store error as the pipeline's, naming the store.
pub fn store_error(label: &str, e: impl std::error::Error + Send + Sync + 'static) -> Error {
    let message = e.to_string();
    let message = if message.contains(label) { message } else { format!("history store {label}: {message}") };
    Error::new(ErrorKind::Store, message).caused_by(e)
}

// ---------------------------------------------------------------- the store

pub use erdiag_store::Store;

/// Opens (creates and migrates) the store at `url`: a SQLite path or
/// `sqlite:PATH`, or `postgres://…`.
pub fn open(url: &str) -> Result<Store, Error> {
    Store::open(url).map_err(|e| {
        Error::new(ErrorKind::Store, format!("cannot open the history store: {e}"))
            .caused_by(e)
            .with_hint("--store takes a SQLite file (PATH or sqlite:PATH) in a writable directory, or postgres://USER@HOST/DB (docs/store.md)")
    })
}

/// Records observations in one transaction, then forgets those older than
/// `retention` seconds, when given.
pub fn record(store: &mut Store, records: &[Record], retention: Option<i64>) -> Result<(), Error> {
    let label = store.label();
    let obs: Vec<erdiag_store::Observation> = records
        .iter()
        .map(|r| erdiag_store::Observation {
            circuit_id: &r.circuit_id,
            at: r.at,
            snapshot: &r.snapshot,
            verdict: r.verdict,
            root_cause: r.root_cause.as_deref(),
            findings: r.findings.clone(),
        })
        .collect();
    store.ingest(&obs).map_err(|e| store_error(&label, e))?;
    if let Some(keep) = retention {
        store.prune(keep).map_err(|e| store_error(&label, e))?;
    }
    Ok(())
}

/// Diagnoses a snapshot document with what the store saw around it
/// (`inputs.observed`), then records it (the bytes as given, without that
/// addition). `now` stands for `collectedAt` when the snapshot has none.
pub fn diagnose_recorded(store: &mut Store, label: &str, bytes: Vec<u8>, options: &crate::Options, retention: Option<i64>, now: Unix) -> Result<Report, Error> {
    let report = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(mut doc) if doc.is_object() => {
            observe(store, &mut doc, now)?;
            crate::diagnose_document(label, &doc, options)?
        }
        // Not JSON: the diagnosis says where and why.
        _ => crate::diagnose(label, &bytes, options)?,
    };
    record(store, &[Record::of(&report, bytes, now)], retention)?;
    Ok(report)
}

/// A thread that owns the store and records the batches it is sent, so
/// that a fleet's circuits never wait on it; the first error stops it.
pub struct Writer {
    tx: Option<std::sync::mpsc::Sender<Vec<Record>>>,
    thread: Option<std::thread::JoinHandle<Result<usize, Error>>>,
}

impl Writer {
    pub fn start(mut store: Store, retention: Option<i64>) -> Writer {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Record>>();
        let thread = std::thread::spawn(move || {
            let mut stored = 0;
            for batch in rx {
                record(&mut store, &batch, None)?;
                stored += batch.len();
            }
            if let Some(keep) = retention {
                let label = store.label();
                store.prune(keep).map_err(|e| store_error(&label, e))?;
            }
            Ok(stored)
        });
        Writer { tx: Some(tx), thread: Some(thread) }
    }

    /// Hands a batch to the thread (dropped when it has stopped on an error).
    pub fn send(&self, batch: Vec<Record>) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(batch);
        }
    }

    /// Waits for every batch to be recorded: how many observations were.
    pub fn finish(mut self) -> Result<usize, Error> {
        drop(self.tx.take());
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(Error::system("the history store's writer ended abnormally")),
            None => Ok(0),
        }
    }
}

/// A stored circuit as `history --list` shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredCircuit {
    pub id: String,
    pub name: String,
    pub first_poll: String,
    pub last_poll: String,
    pub polls: u64,
}

/// The stored circuits.
pub fn circuits(store: &mut Store) -> Result<Vec<StoredCircuit>, Error> {
    let label = store.label();
    Ok(store.circuits().map_err(|e| store_error(&label, e))?.into_iter().map(stored).collect())
}

fn stored(c: erdiag_store::CircuitEntry) -> StoredCircuit {
    StoredCircuit {
        name: if c.name.is_empty() { erdiag_model::last_segment(&c.id).to_string() } else { c.name },
        first_poll: unix_rfc3339(c.first_poll),
        last_poll: unix_rfc3339(c.last_poll),
        polls: c.polls,
        id: c.id,
    }
}

/// The stored circuits' ARM ids and names, without counting their polls.
fn names(store: &mut Store) -> Result<Vec<(String, String)>, Error> {
    let label = store.label();
    let all = store.circuit_names().map_err(|e| store_error(&label, e))?;
    Ok(all
        .into_iter()
        .map(|(id, name)| {
            let name = if name.is_empty() { erdiag_model::last_segment(&id).to_string() } else { name };
            (id, name)
        })
        .collect())
}

/// The entry of the circuit picked: its polls counted.
fn entry(store: &mut Store, id: &str) -> Result<StoredCircuit, Error> {
    let label = store.label();
    Ok(stored(store.circuit(id).map_err(|e| store_error(&label, e))?))
}

/// The stored circuit `text` names: its ARM id (any case), or a name only
/// one stored circuit has.
pub fn resolve(store: &mut Store, text: &str) -> Result<StoredCircuit, Error> {
    let all = names(store)?;
    let label = store.label();
    if let Some((id, _)) = all.iter().find(|(id, _)| id.eq_ignore_ascii_case(text.trim())) {
        return entry(store, id);
    }
    let named: Vec<&String> = all.iter().filter(|(_, name)| name.eq_ignore_ascii_case(text.trim())).map(|(id, _)| id).collect();
    match named.as_slice() {
        [one] => entry(store, one),
        [] => Err(Error::usage(format!("history store {label}: no circuit `{text}`")).with_hint("`erdiag history --list` shows the stored circuits")),
        many => Err(Error::usage(format!("history store {label}: {} circuits are named `{text}`: {}", many.len(), many.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")))
            .with_hint("name the circuit by its ARM id")),
    }
}

/// The circuit `text` names, or when none is named the store's only one.
pub fn resolve_or_only(store: &mut Store, text: Option<&str>) -> Result<StoredCircuit, Error> {
    if let Some(t) = text {
        return resolve(store, t);
    }
    let all = names(store)?;
    match all.as_slice() {
        [(id, _)] => entry(store, id),
        [] => Err(Error::usage(format!("history store {}: no circuit recorded yet", store.label()))),
        many => Err(Error::usage(format!("history store {} holds {} circuits: which one?", store.label(), many.len()))
            .with_hint("--circuit names it (its ARM id or name); `erdiag history --list` shows them")),
    }
}

/// `@TIME` of `erdiag diff`: the snapshot stored at TIME (the last poll at
/// or before it), with a label naming the store and the poll.
pub fn point(store: &mut Store, circuit: &StoredCircuit, at: Unix) -> Result<(String, Vec<u8>), Error> {
    let (when, bytes) = snapshot_at(store, circuit, at)?;
    Ok((format!("{} @{} (the poll of {})", store.label(), unix_rfc3339(at), unix_rfc3339(when)), bytes))
}

/// The snapshot stored at `at` (the last poll at or before it), rebuilt.
pub fn snapshot_at(store: &mut Store, circuit: &StoredCircuit, at: Unix) -> Result<(Unix, Vec<u8>), Error> {
    let label = store.label();
    store.snapshot_at(&circuit.id, at).map_err(|e| store_error(&label, e))?.ok_or_else(|| {
        Error::usage(format!("history store {label}: no poll of {} at or before {}", circuit.name, unix_rfc3339(at)))
            .with_hint(format!("its first poll is {}", circuit.first_poll))
    })
}

/// Writes into `snapshot.inputs.observed` what erdiag itself saw of the
/// circuit over the snapshot's metrics window (the last hour when it has
/// no metrics): the BGP and ARP state of each path at every stored poll.
/// How many polls that is.
pub fn observe(store: &mut Store, snapshot: &mut serde_json::Value, now: Unix) -> Result<usize, Error> {
    let Some(id) = snapshot.get("circuitId").and_then(|v| v.as_str()).map(str::to_string) else { return Ok(0) };
    let end = snapshot.get("collectedAt").and_then(|v| v.as_str()).and_then(|t| parse_rfc3339(t).ok()).unwrap_or(now);
    let (from, to) = metrics_window(snapshot).unwrap_or((end - DEFAULT_WINDOW_SECS, end));
    let label = store.label();
    // A circuit seen for the first time has no history: nothing observed.
    let (states, polls) = match store.arm_states(&id, from, to) {
        Err(erdiag_store::StoreError::UnknownCircuit { .. }) => (Vec::new(), Vec::new()),
        states => (states.map_err(|e| store_error(&label, e))?, store.polls(&id, from, to).map_err(|e| store_error(&label, e))?),
    };
    let mut seen = Vec::new();
    for (at, bytes) in &states {
        let s = decode(&format!("{label}: the poll of {}", unix_rfc3339(*at)), bytes)?;
        seen.push((*at, bgp_states(&s), arp_states(&s)));
    }
    // Every poll, with the state last stored at or before it.
    let polls: Vec<ObservedPoll> = polls
        .iter()
        .filter_map(|p| {
            let (_, bgp, arp) = seen.iter().rev().find(|(at, _, _)| *at <= p.at)?;
            Some(ObservedPoll { at: unix_rfc3339(p.at), bgp: bgp.clone(), arp: arp.clone() })
        })
        .collect();
    let n = polls.len();
    let observed = Observed { store: label, from: unix_rfc3339(from), to: unix_rfc3339(to), polls };
    if let Some(doc) = snapshot.as_object_mut() {
        let inputs = doc.entry("inputs").or_insert_with(|| serde_json::json!({}));
        if let Some(inputs) = inputs.as_object_mut() {
            inputs.insert("observed".into(), serde_json::to_value(&observed).expect("observations are JSON"));
        }
    }
    Ok(n)
}

/// What a fleet adds to each circuit before diagnosing it (`fleet --store`):
/// [`observe`] on `store`, a connection of its own beside the writer's
/// (SQLite's WAL and PostgreSQL let it read while the writer writes), one
/// circuit at a time.
pub fn observer(store: Store, now: Unix) -> crate::fleet::Observer {
    let store = std::sync::Mutex::new(store);
    crate::fleet::Observer(std::sync::Arc::new(move |doc: &mut serde_json::Value| {
        let mut store = store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        observe(&mut store, doc, now).map(|_| ())
    }))
}

/// The `timespan` (`START/END`) of the first metrics body of the snapshot.
fn metrics_window(snapshot: &serde_json::Value) -> Option<(Unix, Unix)> {
    let resources = snapshot.get("resources")?.as_object()?;
    resources.iter().filter(|(k, _)| k.to_ascii_lowercase().ends_with("/providers/microsoft.insights/metrics")).find_map(|(_, body)| {
        let (a, b) = body.get("timespan")?.as_str()?.split_once('/')?;
        Some((parse_rfc3339(a).ok()?, parse_rfc3339(b).ok()?))
    })
}

/// The timeline of `circuit` between `from` and `to`.
pub fn timeline(store: &mut Store, circuit: &StoredCircuit, from: Unix, to: Unix) -> Result<Timeline, Error> {
    let label = store.label();
    let polls: Vec<PollSummary> = store
        .polls(&circuit.id, from, to)
        .map_err(|e| store_error(&label, e))?
        .into_iter()
        .map(|p| PollSummary { at: p.at, verdict: p.verdict, root_cause: p.root_cause })
        .collect();
    // The ARM states only: sessions, routes and ARP are read from the tables,
    // never from metrics or counters (the diff's rates are not transitions).
    let states = store.arm_states(&circuit.id, from, to).map_err(|e| store_error(&label, e))?;
    let mut decoded = Vec::with_capacity(states.len());
    for (at, bytes) in &states {
        decoded.push((*at, decode(&format!("{label}: the poll of {}", unix_rfc3339(*at)), bytes)?));
    }
    let mut events = sessions(&decoded.iter().map(|(at, s)| (*at, bgp_states(s))).collect::<Vec<_>>());
    for w in decoded.windows(2) {
        events.extend(changes(w[1].0, &erdiag_diff::diff(&w[0].1, &w[1].1)));
    }
    events.extend(verdicts(&polls));
    let times: Vec<Unix> = polls.iter().map(|p| p.at).collect();
    let (interval_secs, gaps) = gaps(&times);
    events.extend(gaps);
    order(&mut events);
    mark_readvertised(&mut events);
    Ok(Timeline {
        format: HISTORY_FORMAT,
        store: label,
        circuit_id: circuit.id.clone(),
        circuit_name: circuit.name.clone(),
        from: unix_rfc3339(from),
        to: unix_rfc3339(to),
        polls: polls.len(),
        interval_secs,
        events,
    })
}

/// A diff's routes, learned routes, ARP entries and properties as events
/// at `at` (sessions come from the states; rates and coverage are not transitions).
fn changes(at: Unix, d: &erdiag_diff::Diff) -> Vec<Event> {
    use erdiag_diff::{Change, Edit, RouteEdit};
    let when = unix_rfc3339(at);
    let mut routes: BTreeMap<RouteTable, [Vec<String>; 3]> = BTreeMap::new();
    let mut arp: BTreeMap<(String, String), [Vec<String>; 3]> = BTreeMap::new();
    let mut out = Vec::new();
    let slot = |e: RouteEdit| match e {
        RouteEdit::Withdrawn => 0,
        RouteEdit::Added => 1,
        RouteEdit::Changed => 2,
    };
    for c in &d.changes {
        match c {
            Change::Route(r) => routes.entry(("msee", Some(r.peering.clone()), Some(r.path.as_str().to_string()), None)).or_default()[slot(r.change)].push(r.prefix.clone()),
            Change::LearnedRoute(r) => routes.entry(("gateway", None, None, Some(r.gateway.clone()))).or_default()[slot(r.change)].push(r.prefix.clone()),
            Change::Arp(a) => {
                let (i, what) = match a.change {
                    Edit::Added => (0, a.ip.clone()),
                    Edit::Removed => (1, a.ip.clone()),
                    Edit::Changed => {
                        let mac = |m: &Option<String>| m.clone().unwrap_or_else(|| "(none)".into());
                        (2, format!("{} {} → {}", a.ip, mac(&a.mac_before), mac(&a.mac_after)))
                    }
                };
                arp.entry((a.peering.clone(), a.path.as_str().to_string())).or_default()[i].push(what);
            }
            Change::Property(p) => out.push(Event::Property {
                at: when.clone(),
                resource: p.resource.clone(),
                property: p.path.clone(),
                before: p.before.clone().unwrap_or_default(),
                after: p.after.clone().unwrap_or_default(),
            }),
            _ => {}
        }
    }
    for ((table, peering, path, gateway), [withdrawn, advertised, changed]) in routes {
        out.push(Event::Routes { at: when.clone(), table, peering, path, gateway, withdrawn, advertised, readvertised: Vec::new(), changed });
    }
    for ((peering, path), [appeared, disappeared, mac_changed]) in arp {
        out.push(Event::Arp { at: when.clone(), peering, path, appeared, disappeared, mac_changed });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bgp(state: &'static str) -> Vec<ObservedPath<BgpObserved>> {
        let state = serde_json::from_value(serde_json::Value::String(state.into())).unwrap();
        vec![ObservedPath { peering: "AzurePrivatePeering".into(), path: DevicePath::Primary, state, up_since: None }]
    }

    #[test]
    fn a_session_down_then_up_lasts_from_the_first_poll_down_to_the_first_up() {
        let states = [(1000, bgp("up")), (1300, bgp("down")), (1600, bgp("down")), (1900, bgp("up")), (2200, bgp("down"))];
        let s = sessions(&states);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], session("AzurePrivatePeering", "primary", Some(1300), Some(1900)));
        assert!(matches!(&s[0], Event::Session { lasted_secs: Some(600), .. }));
        assert!(matches!(&s[1], Event::Session { up_at: None, lasted_secs: None, .. }), "still down: {:?}", s[1]);
        // Unknown (a table not read) neither ends nor starts a session.
        let s = sessions(&[(0, bgp("down")), (300, bgp("unknown")), (600, bgp("up"))]);
        assert_eq!(s, vec![session("AzurePrivatePeering", "primary", None, Some(600))]);
    }

    /// The scenario's snapshot as collected at `at`: its metrics window the hour before.
    fn at(scenario: &str, t: Unix) -> serde_json::Value {
        let mut doc = crate::scenarios::get(scenario).unwrap().document();
        doc["collectedAt"] = serde_json::Value::String(unix_rfc3339(t));
        for (k, body) in doc["resources"].as_object_mut().unwrap() {
            if k.to_ascii_lowercase().ends_with("/providers/microsoft.insights/metrics") {
                body["timespan"] = serde_json::Value::String(format!("{}/{}", unix_rfc3339(t - 3600), unix_rfc3339(t)));
            }
        }
        doc
    }

    #[test]
    fn an_up_session_carries_when_its_summary_dates_the_reset() {
        let mut doc = at("healthy-private", 1_795_000_000);
        let key = doc["resources"].as_object().unwrap().keys().find(|k| k.ends_with("AzurePrivatePeering/routeTablesSummary/primary")).cloned().unwrap();
        doc["resources"][&key]["value"][0]["upDown"] = serde_json::Value::String("00:05:19".into());
        let s = decode("test", &serde_json::to_vec(&doc).unwrap()).unwrap();
        let states = bgp_states(&s);
        let of = |path: DevicePath| states.iter().find(|o| o.peering == "AzurePrivatePeering" && o.path == path).unwrap();
        assert_eq!(of(DevicePath::Primary).state, BgpObserved::Up);
        assert_eq!(of(DevicePath::Primary).up_since.as_deref(), Some(unix_rfc3339(1_795_000_000 - 319).as_str()));
        // `3d04h` cannot date a reset within minutes: no time is made up.
        assert_eq!(of(DevicePath::Secondary).up_since, None);
    }

    #[test]
    fn observed_carries_each_poll_of_the_window_with_the_state_stored_then() {
        let dir = std::env::temp_dir().join(format!("erdiag-observe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("h.db");
        let _ = std::fs::remove_file(&db);
        let mut store = open(db.to_str().unwrap()).unwrap();
        let t0 = 1_795_255_200;
        let options = crate::Options::default();
        for (scenario, dt) in [("healthy-private", 0), ("secondary-path-down", 300), ("secondary-path-down", 600), ("healthy-private", 900)] {
            let doc = at(scenario, t0 + dt);
            diagnose_recorded(&mut store, scenario, serde_json::to_vec(&doc).unwrap(), &options, None, 0).unwrap();
        }
        // A snapshot of +20m: its hour holds the four polls.
        let mut doc = at("healthy-private", t0 + 1200);
        assert_eq!(observe(&mut store, &mut doc, 0).unwrap(), 4);
        let observed = &doc["inputs"]["observed"];
        assert_eq!(observed["from"], unix_rfc3339(t0 + 1200 - 3600));
        assert_eq!(observed["store"], store.label());
        let secondary = |poll: &serde_json::Value, table: &str| {
            poll[table].as_array().unwrap().iter().find(|o| o["path"] == "secondary").map(|o| o["state"].as_str().unwrap().to_string()).unwrap()
        };
        let polls = observed["polls"].as_array().unwrap();
        let bgp: Vec<String> = polls.iter().map(|p| secondary(p, "bgp")).collect();
        assert_eq!(bgp, ["up", "down", "down", "up"]);
        let arp: Vec<String> = polls.iter().map(|p| secondary(p, "arp")).collect();
        assert_eq!(arp, ["resolved", "empty", "empty", "resolved"]);
        assert_eq!(polls[2]["at"], unix_rfc3339(t0 + 600));
        // The window is the metrics' timespan when the snapshot has one.
        let mut doc2 = at("healthy-private", t0 + 1200);
        for (k, body) in doc2["resources"].as_object_mut().unwrap() {
            if k.to_ascii_lowercase().ends_with("/providers/microsoft.insights/metrics") {
                body["timespan"] = serde_json::Value::String(format!("{}/{}", unix_rfc3339(t0 + 540), unix_rfc3339(t0 + 900)));
            }
        }
        assert_eq!(observe(&mut store, &mut doc2, 0).unwrap(), 2, "the polls of +10m and +15m");
        // The diagnosed document is not what is recorded: the store holds no `observed`.
        let (_, bytes) = store.snapshot_at(&doc["circuitId"].as_str().unwrap().to_string(), t0 + 900).unwrap().unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("\"observed\""));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_verdict_change_is_listed_once_and_long_silences_are_gaps() {
        let p = |at, v: &str, rc: Option<&str>| PollSummary { at, verdict: v.into(), root_cause: rc.map(str::to_string) };
        let polls = [p(0, "healthy", None), p(300, "down", Some("ER401")), p(600, "down", Some("ER401")), p(900, "healthy", None)];
        let v = verdicts(&polls);
        assert_eq!(v.len(), 2);
        assert!(matches!(&v[0], Event::Verdict { after, root_cause_after: Some(rc), .. } if after == "down" && rc == "ER401"));
        let (usual, g) = gaps(&[0, 300, 600, 2400, 2700]);
        assert_eq!(usual, Some(300));
        assert_eq!(g, vec![Event::Gap { from: unix_rfc3339(600), to: unix_rfc3339(2400), secs: 1800 }]);
    }
}
