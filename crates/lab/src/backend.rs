//! The ARM emulator's backend for a running lab: every request is answered
//! from the routers' state, read at most once a second (so that one
//! collection sees one consistent moment, and a second one sees the lab as
//! it is then).

use crate::lab::{Lab, State};
use crate::live::Live;
use erdiag_emulator::{Backend, Lookup, SnapshotBackend};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LabBackend {
    lab: Lab,
    /// The time to stamp snapshots with (RFC 3339).
    clock: fn() -> String,
    max_age: Duration,
    cache: Mutex<Option<(Instant, SnapshotBackend)>>,
}

impl LabBackend {
    /// A backend for a lab that is up.
    pub fn new(lab: Lab, clock: fn() -> String) -> Result<LabBackend, crate::LabError> {
        lab.load()?;
        Ok(LabBackend { lab, clock, max_age: Duration::from_secs(1), cache: Mutex::new(None) })
    }

    /// The circuit's resource id.
    pub fn circuit_id(&self) -> Result<String, crate::LabError> {
        Ok(self.lab.load()?.spec.circuit_id)
    }

    /// Reads the lab now, as an `erdiag-snapshot/1` document.
    pub fn read_snapshot(&self) -> Result<serde_json::Value, crate::LabError> {
        let state: State = self.lab.load()?;
        let live = Live::read(&self.lab);
        Ok(live.snapshot(&state, &(self.clock)()))
    }

    fn current(&self) -> Option<SnapshotBackend> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, b)) = cache.as_ref() {
            if at.elapsed() < self.max_age {
                return Some(b.clone());
            }
        }
        let snapshot = self.read_snapshot().ok()?;
        let b = SnapshotBackend::from_snapshots(&[snapshot]).ok()?;
        *cache = Some((Instant::now(), b.clone()));
        Some(b)
    }
}

impl Backend for LabBackend {
    fn get(&self, path: &str) -> Lookup {
        match self.current() {
            Some(b) => b.get(path),
            None => Lookup::Failed {
                status: 503,
                error: serde_json::json!({ "error": { "code": "ServiceUnavailable", "message": format!("the lab `{}` is not up", self.lab.name) } }),
            },
        }
    }

    fn resource_ids(&self) -> Vec<String> {
        self.current().map(|b| b.resource_ids()).unwrap_or_default()
    }
}
