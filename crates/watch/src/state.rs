//! What the watch service knows now: the latest status of every circuit in
//! scope and how the polls, ARM and the store are doing. The loop writes it
//! after each poll; the HTTP handlers (metrics, dashboard) only read it.

use crate::gauges::CircuitGauges;
use erdiag_checks::{Report, Verdict};
use erdiag_model::time::Unix;
use erdiag_pipeline::fleet::FleetRow;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The state shared between the loop and the HTTP handlers: a cheap clone.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<RwLock<WatchState>>);

impl Shared {
    pub fn new(state: WatchState) -> Shared {
        Shared(Arc::new(RwLock::new(state)))
    }

    /// Reads the state. A writer that panicked leaves the last state whole
    /// (every write replaces values), so a poisoned lock is still read.
    pub fn read(&self) -> RwLockReadGuard<'_, WatchState> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, WatchState> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Debug, Clone, Default)]
pub struct WatchState {
    /// Every circuit in scope, by lowercased ARM id.
    pub circuits: BTreeMap<String, CircuitStatus>,
    /// What `/metrics` shows of each circuit beyond its row, by the same key
    /// (computed once per poll from the circuit's snapshot).
    pub gauges: BTreeMap<String, CircuitGauges>,
    /// Polls finished since the start.
    pub polls: u64,
    /// Polls that failed as a whole (discovery failed: circuits kept as they were).
    pub polls_failed: u64,
    pub last_poll: Option<PollInfo>,
    /// The poll durations seen, for the histogram (`erdiag_poll_duration_seconds`).
    pub poll_durations: PollDurations,
    pub arm: ArmCounters,
    /// The history store, when `--store` is given.
    pub store: Option<StoreStatus>,
    pub notifications: NotificationCounters,
    /// When the service started.
    pub started: Unix,
    /// The settings in force, for the dashboard: never a secret.
    pub config_summary: Vec<(String, String)>,
    /// The circuits' series of `/metrics`, rendered once after each poll
    /// (`metrics::circuits`); `None`: rendered at each scrape.
    pub circuit_series: Option<Arc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollInfo {
    pub started: Unix,
    pub duration_ms: u64,
    /// Circuits in this poll's results.
    pub circuits: usize,
    /// Of those, circuits that could not be read (their row has a reason).
    pub failed: usize,
}

/// ARM calls since the start, cumulative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArmCounters {
    pub calls: u64,
    /// Answers 429 (throttled).
    pub throttled: u64,
    /// Calls that failed after their retries.
    pub failures: u64,
}

/// The history store's health.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreStatus {
    /// Where it is (a file path, or a PostgreSQL URL without its password).
    pub label: String,
    /// Observations waiting in memory for the store to come back.
    pub buffered: usize,
    /// The last error writing to it, cleared by the next success.
    pub last_error: Option<String>,
    /// When it last took a poll's observations.
    pub last_ok: Option<Unix>,
    /// Writes that failed since the start.
    pub errors: u64,
    /// Observations dropped because the buffer was full (oldest first).
    pub dropped: u64,
}

/// Notifications since the start (`erdiag_notifications_total{result}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotificationCounters {
    pub sent: u64,
    pub retried: u64,
    pub dead_letter: u64,
}

/// The poll durations, as `erdiag_poll_duration_seconds` shows them.
#[derive(Debug, Clone)]
pub struct PollDurations(pub prometheus_client::metrics::histogram::Histogram);

/// The histogram's upper bounds, in seconds: a poll of a few circuits to one of a large fleet.
pub const POLL_BUCKETS: [f64; 10] = [0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];

impl Default for PollDurations {
    fn default() -> Self {
        PollDurations(prometheus_client::metrics::histogram::Histogram::new(POLL_BUCKETS))
    }
}

impl PollDurations {
    pub fn observe(&self, seconds: f64) {
        self.0.observe(seconds);
    }
}

/// One circuit as the service last saw it.
#[derive(Debug, Clone)]
pub struct CircuitStatus {
    /// Verdict, root cause, coverage; `row.reason` when it could not be read.
    pub row: FleetRow,
    /// `None` when the circuit could not be read (`row.reason`).
    pub report: Option<Arc<Report>>,
    /// When this report's snapshot was collected.
    pub observed_at: Unix,
    /// Since when the current verdict and root cause hold.
    pub since: Unix,
    /// The verdict and root-cause check before the last change.
    pub previous: Option<(Verdict, Option<String>)>,
    /// Not seen in the last poll (discovery failed): this is the status of an earlier poll.
    pub stale: bool,
}

impl CircuitStatus {
    /// What a change is measured on: the verdict and the root cause's check.
    pub fn key(&self) -> (Verdict, Option<&str>) {
        (self.row.verdict, self.row.root_cause.as_ref().map(|c| c.check.as_str()))
    }
}
