//! Long-running operations, as ARM runs the POST list actions: the POST
//! answers 202 with an operation id; the operation is `InProgress` until
//! `operation_latency` has passed, then `Succeeded` (or `Failed`, or never
//! done, when a fault says so). The result body is read from the backend
//! when it is asked for, so a live backend answers with fresh state.

use serde_json::{json, Value};
use std::collections::HashMap;
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
pub(crate) struct Operations(Mutex<HashMap<String, Operation>>);

impl Operations {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Operation>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn insert(&self, op: Operation) {
        let mut map = self.lock();
        if map.len() >= PRUNE_AT {
            map.retain(|_, o| o.started.elapsed() < KEEP);
            if map.len() >= PRUNE_AT {
                if let Some(oldest) = map.values().min_by_key(|o| o.started).map(|o| o.id.clone()) {
                    map.remove(&oldest);
                }
            }
        }
        map.insert(op.id.clone(), op);
    }

    pub(crate) fn get(&self, id: &str) -> Option<Operation> {
        self.lock().get(&id.to_ascii_lowercase()).cloned()
    }

    /// A fault on a poll changes the operation for good.
    pub(crate) fn set_fate(&self, id: &str, fate: Fate) {
        if let Some(op) = self.lock().get_mut(&id.to_ascii_lowercase()) {
            op.fate = fate;
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
}
