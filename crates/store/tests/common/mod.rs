//! Helpers shared by the store's tests.
#![allow(dead_code)]

pub mod churn;

use erdiag_store::{Observation, Store};

/// A fresh SQLite file under the system's temporary folder.
pub fn temp_sqlite(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("erdiag-store-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

pub fn observation<'a>(circuit_id: &'a str, at: i64, snapshot: &'a [u8]) -> Observation<'a> {
    Observation { circuit_id, at, snapshot, verdict: "healthy", root_cause: None, findings: vec![("ER101".into(), "pass".into())] }
}

/// A generated history: (circuit id, at, snapshot bytes, verdict).
pub struct History {
    pub polls: Vec<(String, i64, Vec<u8>, &'static str)>,
}

impl History {
    /// Circuit 0 from `from` for `count` polls, five minutes apart.
    pub fn churn(from: i64, count: i64) -> History {
        let c = churn::Circuit::new(0);
        let polls = (0..count)
            .map(|i| {
                let t = from + i * churn::POLL;
                let verdict = if c.flapping(t) { "failed" } else { "healthy" };
                (c.id.clone(), t, serde_json::to_vec(&c.snapshot_at(t)).expect("JSON"), verdict)
            })
            .collect();
        History { polls }
    }

    pub fn ingest(&self, store: &mut Store) {
        for (id, at, bytes, verdict) in &self.polls {
            let root = (*verdict == "failed").then_some("ER301");
            let obs = Observation {
                circuit_id: id,
                at: *at,
                snapshot: bytes,
                verdict,
                root_cause: root,
                findings: vec![("ER301".into(), if root.is_some() { "fail" } else { "pass" }.into())],
            };
            store.ingest(&[obs]).expect("ingest");
        }
    }
}

pub fn canonical(bytes: &[u8]) -> String {
    String::from_utf8(erdiag_store::canonical(bytes).expect("canonical")).expect("UTF-8")
}

/// The canonical form of a snapshot without its metrics and `…/stats` bodies
/// (what `Store::arm_states` rebuilds).
pub fn canonical_arm_state(bytes: &[u8]) -> String {
    let mut v: serde_json::Value = serde_json::from_slice(canonical(bytes).as_bytes()).expect("JSON");
    if let Some(resources) = v.get_mut("resources").and_then(serde_json::Value::as_object_mut) {
        resources.retain(|path, _| {
            let path = path.to_ascii_lowercase();
            !path.ends_with("/stats") && !path.ends_with("/providers/microsoft.insights/metrics")
        });
    }
    v.to_string()
}

/// The snapshot rebuilt at `at` is the one stored by the poll at `at`.
pub fn assert_rebuilt(store: &mut Store, circuit: &str, at: i64, stored: &[u8]) {
    let (poll, rebuilt) = store.snapshot_at(circuit, at).unwrap().unwrap_or_else(|| panic!("no poll at or before {at}"));
    assert_eq!(poll, at);
    assert_eq!(String::from_utf8(rebuilt).unwrap(), canonical(stored), "the snapshot rebuilt at {at} differs");
}

/// A fresh SQLite store.
pub fn temp_store(name: &str) -> Store {
    Store::open(temp_sqlite(name).to_str().unwrap()).unwrap()
}

/// A fresh SQLite store holding circuit 0's churn from `from`, `count` polls.
pub fn churned(name: &str, from: i64, count: i64) -> (Store, History) {
    let mut store = temp_store(name);
    let history = History::churn(from, count);
    history.ingest(&mut store);
    (store, history)
}
