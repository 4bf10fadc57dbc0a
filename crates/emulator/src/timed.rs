//! [`TimedBackend`]: snapshots served as they stand at the clock's time,
//! through a [`Timeline`]. Each answer reads the state at [`Clock::now`] of
//! the one snapshot that holds the resource asked (a fleet's circuit with
//! its gateway), moved by the events of that circuit only: a poll of a
//! fleet rebuilds each circuit once per second of emulated time (once per
//! [`Clock::step`] on an accelerated clock), never the whole fleet per
//! request. The Azure Monitor side (`monitor.rs`) reads past states with
//! [`Backend::get_at`], one state per [`Backend::moment`] of the resource.
//! The set of resources does not change with time.
//!
//! The metrics and Resource Health history keys a snapshot holds (one
//! `erdiag collect` wrote) are not served as held: they are made from the
//! timeline, for the window a client asks.

use crate::backend::{Backend, Collection, Lookup, Scopes};
use crate::error::Error;
use crate::snapshot::{clean_key, SnapshotBackend};
use crate::timeline::{circuit_name, moves_with_time, Clock, Timeline};
use erdiag_model::normalize_path;
use erdiag_model::time::Unix;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// States kept per snapshot: the current one and the few moments of the
/// hour a metrics query reads (a circuit's events change its state a few
/// times an hour at most).
const PER_SNAPSHOT: usize = 8;

/// The resources of one snapshot that time moves ([`moves_with_time`]),
/// as they stand at one instant: normalized path → body.
type State = HashMap<String, Value>;

/// One snapshot's states by instant, newest last.
type States = VecDeque<(Unix, Arc<State>)>;

/// Snapshots moved through time by a timeline.
pub struct TimedBackend {
    /// Per snapshot, its `circuitId` and the resources time moves
    /// ([`moves_with_time`]): what [`Timeline::state_at`] reads and changes.
    /// The rest is served by `base` as written.
    moving: Vec<Value>,
    timeline: Timeline,
    clock: Clock,
    /// The snapshots as written: ids, scopes and failures, which time does not change.
    base: Arc<SnapshotBackend>,
    /// Normalized resource path → the snapshot that serves it (the first
    /// that holds it, as [`SnapshotBackend`] serves the first).
    owner: HashMap<String, usize>,
    /// Per snapshot, the events that can move it (its circuit's and those naming none).
    events: Vec<Vec<usize>>,
    /// Per snapshot, its states by instant, newest last.
    states: Vec<Mutex<States>>,
    /// Per snapshot, the first instant asked for each set of its events on.
    seen: Vec<Mutex<HashMap<Vec<usize>, Unix>>>,
}

impl TimedBackend {
    /// Serves `snapshots` through `timeline` (anchored where the caller
    /// put it) at `clock`'s time. Fails as [`SnapshotBackend::from_snapshots`] does.
    pub fn new(snapshots: Vec<Value>, timeline: Timeline, clock: Clock) -> Result<TimedBackend, Error> {
        let snapshots: Vec<Value> = snapshots.into_iter().map(without_made_keys).collect();
        let base = Arc::new(SnapshotBackend::from_snapshots(&snapshots)?);
        let mut owner = HashMap::new();
        for (i, snapshot) in snapshots.iter().enumerate() {
            for key in snapshot.get("resources").and_then(Value::as_object).into_iter().flat_map(|m| m.keys()) {
                owner.entry(normalize_path(&clean_key(key))).or_insert(i);
            }
        }
        let events = snapshots
            .iter()
            .map(|s| {
                let circuit = circuit_name(s);
                timeline.events.iter().enumerate().filter(|(_, e)| e.on_circuit(&circuit)).map(|(i, _)| i).collect()
            })
            .collect();
        let states = snapshots.iter().map(|_| Mutex::new(VecDeque::new())).collect();
        let seen = snapshots.iter().map(|_| Mutex::new(HashMap::new())).collect();
        let moving = snapshots.into_iter().map(only_moving).collect();
        Ok(TimedBackend { moving, timeline, clock, base, owner, events, states, seen })
    }

    /// The snapshot that serves `path`, if one holds it.
    fn owner_of(&self, path: &str) -> Option<usize> {
        self.owner.get(&normalize_path(path)).copied()
    }

    /// The snapshot that serves `path` if time can change it there
    /// ([`moves_with_time`]); `None` is served by the base as written, with
    /// no state built for the instant (a fleet's listings read every
    /// circuit's connection at each poll).
    fn moving_owner(&self, path: &str) -> Option<usize> {
        let path = normalize_path(path);
        if moves_with_time(&path) {
            self.owner.get(&path).copied()
        } else {
            None
        }
    }

    /// The resources of snapshot `i` that time moves, as they stand at `t`.
    fn at(&self, i: usize, t: Unix) -> Arc<State> {
        let lock = || self.states[i].lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, b)) = lock().iter().find(|(at, _)| *at == t) {
            return b.clone();
        }
        // Built without the lock: another request for the same state may build it too, harmlessly.
        let mut moved = self.timeline.state_at(&self.moving[i], t);
        let mut state = State::new();
        if let Some(Value::Object(resources)) = moved.get_mut("resources").map(Value::take) {
            for (key, body) in resources {
                // The first of two keys that normalize alike, as the base serves it.
                state.entry(normalize_path(&clean_key(&key))).or_insert(body);
            }
        }
        let backend = Arc::new(state);
        let mut states = lock();
        if !states.iter().any(|(at, _)| *at == t) {
            if states.len() >= PER_SNAPSHOT {
                states.pop_front();
            }
            states.push_back((t, backend.clone()));
        }
        backend
    }

    /// `path` of snapshot `i` as it stands at `t`; a path the snapshot
    /// holds as a failure (or not at all) is the base's answer.
    fn moved(&self, i: usize, t: Unix, path: &str) -> Lookup {
        match self.at(i, t).get(&normalize_path(path)) {
            Some(body) => Lookup::Found(body.clone()),
            None => self.base.get(path),
        }
    }

    /// The first instant asked with the same events of snapshot `i` on as at `t`.
    fn moment_of(&self, i: usize, t: Unix) -> Unix {
        let rel = t - self.timeline.start;
        let on: Vec<usize> = self.events[i].iter().copied().filter(|&k| self.timeline.events[k].active_at(rel)).collect();
        let mut seen = self.seen[i].lock().unwrap_or_else(|p| p.into_inner());
        *seen.entry(on).or_insert(t)
    }
}

/// A snapshot's `circuitId` and only those of its resources that time moves.
fn only_moving(snapshot: Value) -> Value {
    let Value::Object(mut doc) = snapshot else { return Value::Null };
    let mut kept = serde_json::Map::new();
    if let Some(circuit) = doc.remove("circuitId") {
        kept.insert("circuitId".into(), circuit);
    }
    let resources = match doc.remove("resources") {
        Some(Value::Object(map)) => map.into_iter().filter(|(k, _)| moves_with_time(&normalize_path(&clean_key(k)))).collect(),
        _ => serde_json::Map::new(),
    };
    kept.insert("resources".into(), Value::Object(resources));
    Value::Object(kept)
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
        match self.moving_owner(path) {
            Some(i) => self.moved(i, self.current(), path),
            None => self.base.get(path),
        }
    }

    fn resource_ids(&self) -> Vec<String> {
        self.base.resource_ids()
    }

    /// The base's members of the collection, each read as it stands now.
    fn list(&self, collection: &Collection) -> Lookup {
        self.base.list_through(self, collection)
    }

    fn scopes(&self) -> Arc<Scopes> {
        self.base.scopes()
    }

    fn get_at(&self, path: &str, t: Unix) -> Lookup {
        match self.moving_owner(path) {
            Some(i) => self.moved(i, self.moment_of(i, t), path),
            None => self.base.get(path),
        }
    }

    /// The first instant asked with the same events on, of the snapshot
    /// that holds `path`, as at `t`: a month of minutes costs a few states,
    /// not 43,200 (only timing text such as `upDown` may be that instant's).
    fn moment(&self, path: &str, t: Unix) -> Unix {
        match self.owner_of(path) {
            Some(i) => self.moment_of(i, t),
            None => 0,
        }
    }

    fn now(&self) -> Unix {
        self.clock.now()
    }

    fn timeline(&self) -> Option<&Timeline> {
        Some(&self.timeline)
    }
}
