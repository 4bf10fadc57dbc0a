//! [`TimedBackend`]: snapshots served as they stand at the clock's time,
//! through a [`Timeline`]. Each answer reads the state at [`Clock::now`]
//! (`Timeline::state_at`, rebuilt once per second of emulated time, or once
//! per [`Clock::step`] on an accelerated clock: at `--speed 300` a fleet's
//! state is rebuilt once a real second, not 300 times); the
//! Azure Monitor side (`monitor.rs`) reads past states with
//! [`Backend::get_at`]. The set of resources does not change with time.
//!
//! The metrics and Resource Health history keys a snapshot holds (one
//! `erdiag collect` wrote) are not served as held: they are made from the
//! timeline, for the window a client asks.

use crate::backend::{Backend, Collection, Lookup, Scopes};
use crate::error::Error;
use crate::snapshot::SnapshotBackend;
use crate::timeline::{Clock, Timeline};
use erdiag_model::time::Unix;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// States kept for reuse; a metrics query over an hour reads 60 of them.
const CACHE: usize = 256;

/// Snapshots moved through time by a timeline.
pub struct TimedBackend {
    snapshots: Vec<Value>,
    timeline: Timeline,
    clock: Clock,
    /// The snapshots as written: ids and scopes, which time does not change.
    base: Arc<SnapshotBackend>,
    states: Mutex<HashMap<Unix, Arc<SnapshotBackend>>>,
    /// The first instant asked for each set of events on (indices into the timeline).
    seen: Mutex<HashMap<Vec<usize>, Unix>>,
}

impl TimedBackend {
    /// Serves `snapshots` through `timeline` (anchored where the caller
    /// put it) at `clock`'s time. Fails as [`SnapshotBackend::from_snapshots`] does.
    pub fn new(snapshots: Vec<Value>, timeline: Timeline, clock: Clock) -> Result<TimedBackend, Error> {
        let snapshots: Vec<Value> = snapshots.into_iter().map(without_made_keys).collect();
        let base = Arc::new(SnapshotBackend::from_snapshots(&snapshots)?);
        Ok(TimedBackend { snapshots, timeline, clock, base, states: Mutex::new(HashMap::new()), seen: Mutex::new(HashMap::new()) })
    }

    /// The resources as they stand at `t`.
    fn at(&self, t: Unix) -> Arc<SnapshotBackend> {
        let mut states = self.states.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = states.get(&t) {
            return b.clone();
        }
        let moved: Vec<Value> = self.snapshots.iter().map(|s| self.timeline.state_at(s, t)).collect();
        // The envelope is the base's, already accepted: a failure cannot happen, the base serves then.
        let backend = SnapshotBackend::from_snapshots(&moved).map(Arc::new).unwrap_or_else(|_| self.base.clone());
        if states.len() >= CACHE {
            states.clear();
        }
        states.insert(t, backend.clone());
        backend
    }
}

/// A snapshot without the keys the emulator makes from its timeline.
fn without_made_keys(mut snapshot: Value) -> Value {
    for section in ["resources", "failures"] {
        if let Some(map) = snapshot.get_mut(section).and_then(Value::as_object_mut) {
            map.retain(|k, _| !is_made(k));
        }
    }
    snapshot
}

/// `…/providers/Microsoft.Insights/metrics` and `…/providers/Microsoft.ResourceHealth/availabilityStatuses`.
pub(crate) fn is_made(key: &str) -> bool {
    let k = key.trim_end_matches('/').to_ascii_lowercase();
    let k = k.split('?').next().unwrap_or_default();
    k.ends_with("/providers/microsoft.insights/metrics") || k.ends_with("/providers/microsoft.resourcehealth/availabilitystatuses")
}

impl TimedBackend {
    /// The clock's time, down to its [`Clock::step`].
    fn current(&self) -> Unix {
        let (t, step) = (self.clock.now(), self.clock.step());
        t - t.rem_euclid(step)
    }
}

impl Backend for TimedBackend {
    fn get(&self, path: &str) -> Lookup {
        self.at(self.current()).get(path)
    }

    fn resource_ids(&self) -> Vec<String> {
        self.base.resource_ids()
    }

    fn list(&self, collection: &Collection) -> Lookup {
        self.at(self.current()).list(collection)
    }

    fn scopes(&self) -> Arc<Scopes> {
        self.base.scopes()
    }

    fn get_at(&self, path: &str, t: Unix) -> Lookup {
        self.at(self.moment(t)).get(path)
    }

    /// The first instant asked with the same events on as at `t`: a month of
    /// minutes costs a few states, not 43,200 (only timing text such as
    /// `upDown` may be that instant's).
    fn moment(&self, t: Unix) -> Unix {
        let on: Vec<usize> = self.timeline.active_indices(t).collect();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        *seen.entry(on).or_insert(t)
    }

    fn now(&self) -> Unix {
        self.clock.now()
    }

    fn timeline(&self) -> Option<&Timeline> {
        Some(&self.timeline)
    }
}
