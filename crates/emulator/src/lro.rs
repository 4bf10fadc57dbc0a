//! Long-running operations, as ARM runs the POST list actions: the POST
//! answers 202 with an operation id; the operation is `InProgress` until
//! `operation_latency` has passed, then `Succeeded` (or `Failed`, or never
//! done, when a fault says so). The result body is read from the backend
//! when it is asked for, so a live backend answers with fresh state.

use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Operations older than this are forgotten once the table is large.
const KEEP: Duration = Duration::from_secs(3600);
/// The size at which old operations are forgotten.
const PRUNE_AT: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    Normal,
    NeverFinishes,
    Fails,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    InProgress,
    Succeeded,
    Failed,
}

impl State {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            State::InProgress => "InProgress",
            State::Succeeded => "Succeeded",
            State::Failed => "Failed",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// Lower-case GUID.
    pub id: String,
    /// The action's path as written (`…/arpTables/primary`).
    pub action_path: String,
    /// `getBgpPeerStatus?peer=…`: only this neighbor's rows.
    pub peer: Option<String>,
    pub started: Instant,
    pub started_at: SystemTime,
    pub fate: Fate,
}

impl Operation {
    pub(crate) fn state(&self, latency: Duration) -> State {
        match self.fate {
            Fate::NeverFinishes => State::InProgress,
            _ if self.started.elapsed() < latency => State::InProgress,
            Fate::Fails => State::Failed,
            Fate::Normal => State::Succeeded,
        }
    }

    /// When it finished, if it did.
    pub(crate) fn ended_at(&self, latency: Duration) -> Option<SystemTime> {
        (self.state(latency) != State::InProgress).then(|| self.started_at + latency)
    }
}

/// The ARM error of a failed operation (`OperationFails` fault).
pub(crate) fn failure_error() -> Value {
    json!({
        "code": "InternalServerError",
        "message": "An error occurred while the operation ran. (erdiag emulator: injected OperationFails fault)"
    })
}

/// Every operation started and not yet forgotten.
#[derive(Default)]
pub(crate) struct Operations(Mutex<Table>);

#[derive(Default)]
pub(crate) struct Table {
    map: HashMap<String, Operation>,
    /// The ids in the order they started: the oldest is forgotten first
    /// without a scan of the table (a fleet starts thousands a minute).
    order: VecDeque<(Instant, String)>,
}

impl Operations {
    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Once the table holds [`PRUNE_AT`], the operations older than
    /// [`KEEP`] are forgotten, then the oldest while it is still full.
    pub(crate) fn insert(&self, op: Operation) {
        let mut t = self.lock();
        if t.map.len() >= PRUNE_AT {
            while t.order.front().is_some_and(|(started, _)| started.elapsed() >= KEEP) {
                t.forget_oldest();
            }
            while t.map.len() >= PRUNE_AT && !t.order.is_empty() {
                t.forget_oldest();
            }
        }
        t.order.push_back((op.started, op.id.clone()));
        t.map.insert(op.id.clone(), op);
    }

    pub(crate) fn get(&self, id: &str) -> Option<Operation> {
        self.lock().map.get(&id.to_ascii_lowercase()).cloned()
    }

    /// A fault on a poll changes the operation for good.
    pub(crate) fn set_fate(&self, id: &str, fate: Fate) {
        if let Some(op) = self.lock().map.get_mut(&id.to_ascii_lowercase()) {
            op.fate = fate;
        }
    }
}

impl Table {
    fn forget_oldest(&mut self) {
        if let Some((_, id)) = self.order.pop_front() {
            self.map.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(fate: Fate) -> Operation {
        Operation {
            id: "a".into(),
            action_path: "/p".into(),
            peer: None,
            started: Instant::now(),
            started_at: SystemTime::now(),
            fate,
        }
    }

    #[test]
    fn states_follow_latency_and_fate() {
        assert_eq!(op(Fate::Normal).state(Duration::ZERO), State::Succeeded);
        assert_eq!(op(Fate::Normal).state(Duration::from_secs(60)), State::InProgress);
        assert_eq!(op(Fate::Fails).state(Duration::ZERO), State::Failed);
        assert_eq!(op(Fate::NeverFinishes).state(Duration::ZERO), State::InProgress);
        assert!(op(Fate::NeverFinishes).ended_at(Duration::ZERO).is_none());
        let ops = Operations::default();
        ops.insert(op(Fate::Normal));
        ops.set_fate("A", Fate::Fails);
        assert_eq!(ops.get("A").map(|o| o.fate), Some(Fate::Fails));
    }

    #[test]
    fn a_full_table_forgets_its_oldest_operations_first() {
        let ops = Operations::default();
        let named = |i: usize| Operation { id: format!("op-{i}"), ..op(Fate::Normal) };
        for i in 0..PRUNE_AT + 5 {
            ops.insert(named(i));
        }
        let t = ops.lock();
        assert_eq!(t.map.len(), PRUNE_AT);
        assert_eq!(t.order.len(), PRUNE_AT);
        drop(t);
        for i in 0..5 {
            assert!(ops.get(&format!("op-{i}")).is_none(), "op-{i} is among the oldest");
        }
        for i in [5, PRUNE_AT, PRUNE_AT + 4] {
            assert!(ops.get(&format!("op-{i}")).is_some(), "op-{i} is kept");
        }
    }
}
