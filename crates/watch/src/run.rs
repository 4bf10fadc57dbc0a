//! The loop: a poll every `every` (± 10% jitter) from the previous poll's
//! *start*, never two at once. One poll = `erdiag_pipeline::fleet::run` over
//! the targets; each circuit's result goes into [`Shared`], the notifier
//! and the store. A poll that overruns starts the next at once (logged). A
//! shutdown request ends the wait, never the poll in flight; then the store
//! buffer is flushed.
//!
//! Faults keep the loop going: a circuit that cannot be read is a row with
//! its reason (verdict unknown); discovery failing keeps the last circuits
//! (marked stale) and counts the poll as failed; a store that cannot be
//! written keeps the observations in a bounded buffer, retried at the next
//! poll.

use crate::config::{Targets, WatchConfig};
use crate::gauges::CircuitGauges;
use crate::notify::Notifier;
use crate::state::{CircuitStatus, PollInfo, Shared, StoreStatus};
use erdiag_model::time::Unix;
use erdiag_model::{Collected, DevicePath};
use erdiag_pipeline::fleet::{CircuitResult, FleetSource};
use erdiag_pipeline::history::{self, Record, Store};
use erdiag_pipeline::{Error, NoProgress};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long, at the end, notifications still queued may take to go out.
const NOTIFY_GRACE: Duration = Duration::from_secs(30);

/// The prefixes of a circuit's MSEE route tables at the previous poll, per
/// (peering, path): all that is kept between polls besides the statuses.
type RouteSets = BTreeMap<(String, &'static str), BTreeSet<String>>;

/// The loop and what it keeps between polls.
pub struct Watch {
    config: WatchConfig,
    shared: Shared,
    notifier: Notifier,
    store: Option<StoreSink>,
    routes: HashMap<String, RouteSets>,
    rng: u64,
}

impl Watch {
    /// Opens the store; one that cannot be opened yet is tried again at
    /// each poll, its observations kept in memory meanwhile (said in the
    /// logs, the state and `/metrics`).
    pub fn new(config: WatchConfig, shared: Shared, notifier: Notifier) -> Result<Watch, Error> {
        let mut first_error = None;
        let store = config.store.as_ref().map(|url| {
            let (store, label) = match history::open(url) {
                Ok(s) => {
                    let label = s.label();
                    (Some(s), label)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot open the store now: observations are kept in memory and it is tried again at each poll");
                    first_error = Some(e.to_string());
                    (None, erdiag_store::label_of(url))
                }
            };
            StoreSink { url: url.clone(), store, buffer: VecDeque::new(), capacity: config.store_buffer.max(1), retention: config.retention, label }
        });
        {
            let mut st = shared.write();
            st.started = history::now();
            st.config_summary = config.summary.clone();
            st.store = store.as_ref().map(|s| StoreStatus { label: s.label.clone(), last_error: first_error.clone(), ..StoreStatus::default() });
        }
        let rng = seed();
        Ok(Watch { config, shared, notifier, store, routes: HashMap::new(), rng })
    }

    /// Polls until `shutdown` turns true (or once, with `once`: then a poll
    /// that failed as a whole is the error); then flushes the store.
    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>) -> Result<(), Error> {
        loop {
            let started = Instant::now();
            let polled = self.poll().await;
            if self.config.once {
                let flushed = self.flush().await;
                // What changed is told before `--once` exits too.
                std::mem::take(&mut self.notifier).finish(NOTIFY_GRACE).await;
                return polled.and(flushed);
            }
            if *shutdown.borrow() {
                break;
            }
            let next = started + self.wait();
            let now = Instant::now();
            if now >= next {
                tracing::warn!(overran_ms = (now - started).as_millis() as u64, every_s = self.config.every.as_secs(), "the poll took longer than the interval: the next starts now");
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep_until(next.into()) => {}
                _ = shutdown.wait_for(|stop| *stop) => break,
            }
        }
        let flushed = self.flush().await;
        // What changed is told before the service ends.
        std::mem::take(&mut self.notifier).finish(NOTIFY_GRACE).await;
        flushed
    }

    /// The wait from a poll's start to the next's: `every`, ± 10% with jitter.
    fn wait(&mut self) -> Duration {
        let every = self.config.every;
        if !self.config.jitter {
            return every;
        }
        // xorshift64: spread, not secrecy.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        let unit = (self.rng >> 11) as f64 / (1u64 << 53) as f64; // [0, 1)
        every.mul_f64(0.9 + 0.2 * unit)
    }

    /// One poll: every circuit into the state, the notifier and the store.
    /// The error of a poll that failed as a whole (the targets could not be
    /// read, discovery failed): the circuits keep their last status.
    pub async fn poll(&mut self) -> Result<(), Error> {
        let started_at = history::now();
        let clock = Instant::now();
        let source = match self.source() {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the targets: the circuits keep their last status");
                self.failed_poll(started_at, clock);
                return Err(e);
            }
        };
        let mut results: Vec<(CircuitStatus, Option<CircuitGauges>, Option<Record>, usize)> = Vec::new();
        let mut routes = std::mem::take(&mut self.routes);
        let mut seen = std::collections::HashSet::new();
        let mut sink = |r: CircuitResult| {
            // Offline, two files may hold the same circuit: the first is kept.
            if !seen.insert(r.row.id.to_ascii_lowercase()) {
                tracing::warn!(circuit = %r.row.id, source = %r.row.source, "this circuit is already in this poll: ignored");
                return;
            }
            results.push(digest(r, started_at, &mut routes));
        };
        let outcome = erdiag_pipeline::fleet::run(source, &self.config.fleet, Arc::new(NoProgress), &mut sink).await;
        self.routes = routes;
        match outcome {
            Ok(summary) => {
                let failed = results.iter().filter(|(s, ..)| s.row.reason.is_some()).count();
                let mut records = Vec::new();
                let mut call_failures = 0;
                // The new state is built under a read lock and its series
                // rendered under none: `/metrics` and the dashboard wait only
                // for the swap below, not for a fleet's worth of work.
                let mut circuits = BTreeMap::new();
                let mut gauges = BTreeMap::new();
                {
                    let st = self.shared.read();
                    for (mut status, g, record, failures) in results {
                        let key = status.row.id.to_ascii_lowercase();
                        let old = st.circuits.get(&key);
                        carry(old, &mut status);
                        self.notifier.observe(old, &status);
                        if let Some(mut g) = g {
                            if let Some(prev) = st.gauges.get(&key) {
                                add_counts(&mut g, prev);
                            }
                            gauges.insert(key.clone(), g);
                        }
                        records.extend(record);
                        call_failures += failures;
                        circuits.insert(key, status);
                    }
                }
                // Circuits that left the scope leave with their series.
                self.routes.retain(|k, _| circuits.contains_key(k));
                let series: Arc<str> = Arc::from(crate::metrics::circuit_series(&circuits, &gauges));
                let replaced = {
                    let mut st = self.shared.write();
                    let replaced = (std::mem::replace(&mut st.circuits, circuits), std::mem::replace(&mut st.gauges, gauges));
                    st.polls += 1;
                    let duration = clock.elapsed();
                    st.poll_durations.observe(duration.as_secs_f64());
                    st.last_poll = Some(PollInfo { started: started_at, duration_ms: duration.as_millis() as u64, circuits: st.circuits.len(), failed });
                    if let Some(c) = &summary.client {
                        st.arm.calls = c.requests;
                        st.arm.throttled = c.throttled;
                    }
                    st.arm.failures += call_failures as u64;
                    st.circuit_series = Some(series);
                    replaced
                };
                // The last poll's reports are freed outside the lock too.
                drop(replaced);
                tracing::info!(circuits = summary.counts.circuits, healthy = summary.counts.healthy, degraded = summary.counts.degraded, down = summary.counts.down, unknown = summary.counts.unknown, unread = failed, ms = clock.elapsed().as_millis() as u64, "poll done");
                self.record(records).await;
                // The poll's snapshots and reports are freed: their pages go
                // back to the system (process::release says why).
                if let Ok(Some(released)) = tokio::task::spawn_blocking(crate::process::release).await {
                    let (in_use, held) = crate::process::heap().unwrap_or_default();
                    tracing::debug!(released_kib = released / 1024, heap_in_use_kib = in_use / 1024, heap_held_kib = held / 1024, "free heap given back after the poll");
                }
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "the poll failed: the circuits keep their last status");
                self.failed_poll(started_at, clock);
                Err(e)
            }
        }
    }

    fn failed_poll(&mut self, started_at: Unix, clock: Instant) {
        let mut st = self.shared.write();
        for c in st.circuits.values_mut() {
            c.stale = true;
        }
        st.circuit_series = Some(Arc::from(crate::metrics::circuits(&st)));
        st.polls += 1;
        st.polls_failed += 1;
        let duration = clock.elapsed();
        st.poll_durations.observe(duration.as_secs_f64());
        let n = st.circuits.len();
        st.last_poll = Some(PollInfo { started: started_at, duration_ms: duration.as_millis() as u64, circuits: n, failed: n });
    }

    /// This poll's source: snapshot files are read again each time.
    fn source(&self) -> Result<FleetSource, Error> {
        Ok(match &self.config.targets {
            Targets::Azure { client, scope, filter } => {
                // --deadline bounds each poll, not the service's life.
                client.restart_deadline();
                FleetSource::Azure { client: client.clone(), scope: scope.clone(), filter: filter.clone() }
            }
            Targets::Scenarios(list) => FleetSource::Snapshots(list.iter().map(|s| (format!("scenario:{}", s.name), s.snapshot.to_vec())).collect()),
            Targets::Snapshots(read) => FleetSource::Snapshots(read()?),
        })
    }

    /// Hands the poll's observations to the store, with those buffered.
    async fn record(&mut self, records: Vec<Record>) {
        let Some(mut sink) = self.store.take() else { return };
        let (sink, status) = tokio::task::spawn_blocking(move || {
            let status = sink.write(records);
            (sink, status)
        })
        .await
        .expect("the store's task does not panic");
        self.store = Some(sink);
        let mut st = self.shared.write();
        if let Some(s) = st.store.as_mut() {
            s.buffered = status.buffered;
            s.dropped += status.dropped;
            match status.error {
                Some(e) => {
                    s.errors += 1;
                    s.last_error = Some(e);
                }
                None => {
                    s.last_error = None;
                    s.last_ok = Some(history::now());
                }
            }
        }
    }

    /// At shutdown: one more try for what is buffered; an error when it
    /// could not be written (those observations are lost).
    async fn flush(&mut self) -> Result<(), Error> {
        if self.store.as_ref().is_some_and(|s| !s.buffer.is_empty()) {
            self.record(Vec::new()).await;
        }
        match &self.store {
            Some(s) if !s.buffer.is_empty() => Err(Error::new(
                erdiag_pipeline::ErrorKind::Store,
                format!("{}: the store is still unreachable: {} observation(s) could not be recorded", s.label, s.buffer.len()),
            )),
            _ => Ok(()),
        }
    }
}

/// The history store and the observations waiting for it.
struct StoreSink {
    url: String,
    /// `None` after an error: opened again at the next write.
    store: Option<Store>,
    buffer: VecDeque<Record>,
    capacity: usize,
    retention: Option<i64>,
    label: String,
}

struct WriteStatus {
    buffered: usize,
    dropped: u64,
    error: Option<String>,
}

impl StoreSink {
    /// Buffers `records` (dropping the oldest beyond the capacity), then
    /// writes the whole buffer in one transaction, or keeps it for the next poll.
    fn write(&mut self, records: Vec<Record>) -> WriteStatus {
        self.buffer.extend(records);
        let mut dropped = 0;
        while self.buffer.len() > self.capacity {
            self.buffer.pop_front();
            dropped += 1;
        }
        if dropped > 0 {
            tracing::warn!(dropped, capacity = self.capacity, store = %self.label, "the store buffer is full: the oldest observations were dropped");
        }
        if self.buffer.is_empty() {
            return WriteStatus { buffered: 0, dropped, error: None };
        }
        let result = match self.store.as_mut() {
            Some(s) => Ok(s),
            None => history::open(&self.url).map(|s| self.store.insert(s)),
        }
        .and_then(|s| history::record(s, self.buffer.make_contiguous(), self.retention));
        match result {
            Ok(()) => {
                let n = self.buffer.len();
                self.buffer.clear();
                if n > 0 {
                    tracing::debug!(observations = n, store = %self.label, "recorded");
                }
                WriteStatus { buffered: 0, dropped, error: None }
            }
            Err(e) => {
                self.store = None;
                let error = e.to_string();
                tracing::warn!(buffered = self.buffer.len(), store = %self.label, error = %error, "cannot write to the store: observations kept in memory, retried at the next poll");
                WriteStatus { buffered: self.buffer.len(), dropped, error: Some(error) }
            }
        }
    }
}

/// A circuit's result as the state keeps it, its gauges, its observation
/// for the store, and how many of its calls failed.
fn digest(r: CircuitResult, poll: Unix, routes: &mut HashMap<String, RouteSets>) -> (CircuitStatus, Option<CircuitGauges>, Option<Record>, usize) {
    let key = r.row.id.to_ascii_lowercase();
    let observed_at = r.report.as_ref().and_then(|rep| rep.collected_at.as_deref()).and_then(|t| erdiag_model::time::parse_rfc3339(t).ok()).unwrap_or(poll);
    let mut gauges = None;
    let mut record = None;
    let mut failures = usize::from(r.row.reason.is_some());
    if let (Some(report), Some(doc)) = (&r.report, &r.snapshot) {
        let bytes = serde_json::to_vec(doc).expect("a snapshot serializes");
        if let Ok(state) = history::decode(&r.row.id, &bytes) {
            let mut g = CircuitGauges::of(&state);
            let now = route_sets(&state);
            if let Some(before) = routes.get(&key) {
                for (k, prefixes) in &now {
                    let Some(old) = before.get(k) else { continue };
                    *g.routes_withdrawn.entry(k.clone()).or_default() += old.difference(prefixes).count() as u64;
                    *g.routes_advertised.entry(k.clone()).or_default() += prefixes.difference(old).count() as u64;
                }
            }
            for k in now.keys() {
                g.routes_withdrawn.entry(k.clone()).or_default();
                g.routes_advertised.entry(k.clone()).or_default();
            }
            failures += state.failures.len();
            routes.insert(key, now);
            gauges = Some(g);
        }
        record = Some(Record::of(report, bytes, observed_at));
    }
    let status = CircuitStatus { row: r.row, report: r.report.map(Arc::new), observed_at, since: observed_at, previous: None, stale: false };
    (status, gauges, record, failures)
}

/// The prefixes of every MSEE route table read.
fn route_sets(state: &erdiag_model::CircuitState) -> RouteSets {
    let mut sets = RouteSets::new();
    for p in &state.peerings {
        for d in DevicePath::BOTH {
            if let Collected::Ok(rows) = p.routes(d) {
                sets.insert((p.name().to_string(), d.as_str()), rows.iter().filter_map(|r| r.prefix()).map(|n| n.to_string()).collect());
            }
        }
    }
    sets
}

/// The counters go on from the previous poll's.
fn add_counts(g: &mut CircuitGauges, prev: &CircuitGauges) {
    for (k, n) in &prev.routes_withdrawn {
        *g.routes_withdrawn.entry(k.clone()).or_default() += n;
    }
    for (k, n) in &prev.routes_advertised {
        *g.routes_advertised.entry(k.clone()).or_default() += n;
    }
}

/// Since when the verdict and root cause hold, and what they were before.
fn carry(old: Option<&CircuitStatus>, new: &mut CircuitStatus) {
    let Some(old) = old else { return };
    if old.key() == new.key() {
        new.since = old.since;
        new.previous = old.previous.clone();
    } else {
        new.previous = Some((old.row.verdict, old.row.root_cause.as_ref().map(|c| c.check.clone())));
    }
}

fn seed() -> u64 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1);
    (t ^ (u64::from(std::process::id()) << 32)) | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(jitter: bool) -> Watch {
        let config = WatchConfig {
            targets: Targets::Scenarios(Vec::new()),
            every: Duration::from_secs(300),
            jitter,
            once: false,
            store: None,
            retention: None,
            store_buffer: 1,
            fleet: Default::default(),
            summary: Vec::new(),
        };
        let shared = Shared::default();
        Watch::new(config, shared.clone(), Notifier::new(Default::default(), shared)).unwrap()
    }

    #[test]
    fn the_wait_is_every_within_ten_percent_and_spread() {
        let mut w = watch(true);
        let waits: Vec<Duration> = (0..1000).map(|_| w.wait()).collect();
        assert!(waits.iter().all(|d| (270.0..=330.0).contains(&d.as_secs_f64())), "{:?}", waits.iter().min());
        let spread = waits.iter().max().unwrap().as_secs_f64() - waits.iter().min().unwrap().as_secs_f64();
        assert!(spread > 50.0, "the waits should cover most of ±10%: {spread}");
        assert_eq!(watch(false).wait(), Duration::from_secs(300));
    }
}

/// What `erdiag watch --store` adds to each circuit before diagnosing it,
/// as `fleet --store` does: erdiag's own earlier polls of the circuit over
/// its metrics window (`inputs.observed`), read from the store on a
/// connection of its own (opened at first use, and again after an error),
/// so that a metric dip one of those polls saw is confirmed. A store that
/// cannot be read leaves the circuit without observations (its dips stay
/// unconfirmed: they warn, never fail), logged; it never fails the
/// circuit's diagnosis.
pub fn store_observer(url: String) -> erdiag_pipeline::fleet::Observer {
    let store: std::sync::Mutex<Option<Store>> = std::sync::Mutex::new(None);
    erdiag_pipeline::fleet::Observer(Arc::new(move |doc: &mut serde_json::Value| {
        let mut guard = store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = match guard.take().map_or_else(|| history::open(&url), Ok) {
            Ok(s) => guard.insert(s),
            Err(e) => {
                tracing::debug!(error = %e, "cannot open the store to read earlier polls: this circuit's metric dips stay unconfirmed");
                return Ok(());
            }
        };
        if let Err(e) = history::observe(s, doc, history::now()) {
            tracing::warn!(error = %e, "cannot read erdiag's earlier polls from the store: this circuit's metric dips stay unconfirmed");
            *guard = None;
        }
        Ok(())
    }))
}
