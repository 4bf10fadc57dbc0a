//! The default [`Backend`]: the resources and failures of one or more
//! `erdiag-snapshot/1` documents, indexed by normalized ARM path.
//!
//! The envelope is checked with the model crate's reader
//! ([`erdiag_model::Snapshot::from_slice`]), so a scenario the CLI refuses is
//! refused here too, with the same words. Bodies are served as written: the
//! emulator does not type them, a client must cope with whatever ARM sends.

use crate::backend::{derive_list_among, Backend, Collection, Lookup, Scopes};
use crate::error::Error;
use crate::path::{resource_id, subscription_of, top_level, ArmPath};
use crate::reply::code_for_status;
use erdiag_model::normalize_path;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Serves the resources and failures of snapshots.
#[derive(Debug, Clone, Default)]
pub struct SnapshotBackend {
    /// Normalized path → body.
    resources: HashMap<String, Value>,
    /// Normalized path → (status, ARM error body).
    failures: HashMap<String, (u16, Value)>,
    /// The paths of `resources` as written (case kept), each once, in snapshot order.
    ids: Vec<String>,
    /// The `circuitId` of every snapshot.
    circuits: Vec<String>,
    /// Lower-case subscription → the ids of its top-level resources, so that
    /// a collection reads one subscription's resources, not a fleet's.
    by_sub: HashMap<String, Vec<String>>,
    /// Normalized top-level id → the ids of the resources under it.
    under: HashMap<String, Vec<String>>,
    scopes: Arc<Scopes>,
}

impl SnapshotBackend {
    /// Indexes the snapshots. Fails on the first one that is not a usable
    /// `erdiag-snapshot/1` envelope, or that has a failure entry that is not
    /// an object.
    pub fn from_snapshots(snapshots: &[Value]) -> Result<SnapshotBackend, Error> {
        let mut backend = SnapshotBackend::default();
        for (index, snapshot) in snapshots.iter().enumerate() {
            let bad = |message: String| Error::Snapshot { index, message };
            let bytes = serde_json::to_vec(snapshot).map_err(|e| bad(e.to_string()))?;
            let envelope = erdiag_model::Snapshot::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
            backend.circuits.push(clean_key(&envelope.circuit_id));
            if let Some(resources) = snapshot.get("resources").and_then(Value::as_object) {
                for (key, body) in resources {
                    let id = clean_key(key);
                    let norm = normalize_path(&id);
                    if let std::collections::hash_map::Entry::Vacant(slot) = backend.resources.entry(norm) {
                        slot.insert(body.clone());
                        backend.ids.push(id);
                    }
                }
            }
            if let Some(failures) = snapshot.get("failures").and_then(Value::as_object) {
                for (key, entry) in failures {
                    if !entry.is_object() {
                        return Err(bad(format!(
                            "at failures[{}]: expected an object {{\"status\": ..., \"error\": ...}}, found {}",
                            Value::String(key.clone()),
                            kind_of(entry)
                        )));
                    }
                    backend.failures.entry(normalize_path(&clean_key(key))).or_insert_with(|| failure_reply(entry));
                }
            }
        }
        backend.index();
        Ok(backend)
    }

    /// Builds the indexes of `list` and `scopes` once the resources are read.
    fn index(&mut self) {
        let mut scopes = Scopes::default();
        for id in &self.ids {
            let norm = normalize_path(id);
            scopes.add(id, || self.resources.get(&norm).and_then(|b| b.get("location")).and_then(Value::as_str).map(str::to_string));
            let Some(r) = resource_id(id) else {
                continue;
            };
            if r.is_top_level() {
                let sub = subscription_of(id).unwrap_or_default().to_ascii_lowercase();
                self.by_sub.entry(sub).or_default().push(id.clone());
            } else if let Some(top) = top_level(id) {
                self.under.entry(normalize_path(&top)).or_default().push(id.clone());
            }
        }
        self.scopes = Arc::new(scopes);
    }

    /// The `circuitId` of each snapshot, in order.
    pub fn circuit_ids(&self) -> &[String] {
        &self.circuits
    }
}

impl Backend for SnapshotBackend {
    fn get(&self, path: &str) -> Lookup {
        let norm = normalize_path(path);
        if let Some(body) = self.resources.get(&norm) {
            return Lookup::Found(body.clone());
        }
        if let Some((status, error)) = self.failures.get(&norm) {
            return Lookup::Failed { status: *status, error: error.clone() };
        }
        Lookup::NotFound
    }

    fn resource_ids(&self) -> Vec<String> {
        self.ids.clone()
    }

    fn list(&self, collection: &Collection) -> Lookup {
        self.list_through(self, collection)
    }

    fn scopes(&self) -> Arc<Scopes> {
        self.scopes.clone()
    }
}

impl SnapshotBackend {
    /// The members of a collection among these snapshots' resources, their
    /// bodies read through `reader` (a [`crate::TimedBackend`] reads them as they stand now).
    pub(crate) fn list_through(&self, reader: &dyn Backend, collection: &Collection) -> Lookup {
        let none = Vec::new();
        let ids = match collection {
            Collection::Circuits { subscription, .. }
            | Collection::Connections { subscription, .. }
            | Collection::Resources { subscription, .. }
            | Collection::ExpressRouteGateways { subscription } => self.by_sub.get(&subscription.to_ascii_lowercase()).unwrap_or(&none),
            Collection::Peerings { circuit } => self.under.get(&normalize_path(circuit)).unwrap_or(&none),
            Collection::GatewayConnections { .. } | Collection::ExpressRouteConnections { .. } => &self.ids,
        };
        derive_list_among(reader, ids, collection)
    }
}

/// A snapshot key as a path, case kept: no scheme or host, no query, no trailing `/`.
pub(crate) fn clean_key(key: &str) -> String {
    let mut s = key.trim();
    if let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) {
        s = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    }
    if let Some(i) = s.find('?') {
        s = &s[..i];
    }
    ArmPath::parse(s).original
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The HTTP answer for a failure entry (docs/snapshot.md): `status`
/// (default 500) and `error` as ARM sends it, `{"error": {"code", "message"}}`.
/// `{"code", "message"}`, a string, `null`, or no `error` at all (the entry
/// itself holds `code` and `message`) are wrapped into that shape.
pub(crate) fn failure_reply(entry: &Value) -> (u16, Value) {
    let status = entry
        .get("status")
        .and_then(Value::as_u64)
        .filter(|s| (400..=599).contains(s))
        .map(|s| s as u16)
        .unwrap_or(500);
    let default_code = code_for_status(status);
    let inner = |code: Option<&Value>, message: Value| {
        json!({ "error": { "code": code.cloned().unwrap_or_else(|| Value::String(default_code.to_string())), "message": message } })
    };
    let body = match entry.get("error") {
        None => {
            let message = entry.get("message").cloned().unwrap_or_else(|| Value::String(reason(status)));
            inner(entry.get("code"), message)
        }
        Some(Value::Object(o)) => match o.get("error") {
            Some(Value::Object(_)) => Value::Object(o.clone()),
            _ => {
                let mut e = o.clone();
                e.entry("code").or_insert_with(|| Value::String(default_code.to_string()));
                e.entry("message").or_insert_with(|| Value::String(reason(status)));
                json!({ "error": e })
            }
        },
        Some(Value::String(s)) => inner(None, Value::String(s.clone())),
        Some(Value::Null) => inner(None, Value::String(reason(status))),
        Some(other) => inner(None, Value::String(other.to_string())),
    };
    (status, body)
}

fn reason(status: u16) -> String {
    axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!("{r}."))
        .unwrap_or_else(|| format!("HTTP {status}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_entries_become_arm_errors() {
        let (s, b) = failure_reply(&json!({"status": 429, "error": {"error": {"code": "TooManyRequests", "message": "m"}}}));
        assert_eq!((s, b), (429, json!({"error": {"code": "TooManyRequests", "message": "m"}})));
        let (s, b) = failure_reply(&json!({"status": 400, "error": "The BGP Peering X with Service Key K is not found."}));
        assert_eq!(s, 400);
        assert_eq!(b, json!({"error": {"code": "BadRequest", "message": "The BGP Peering X with Service Key K is not found."}}));
        let (s, b) = failure_reply(&json!({"error": {"code": "X", "message": "y"}}));
        assert_eq!((s, b), (500, json!({"error": {"code": "X", "message": "y"}})));
        let (s, b) = failure_reply(&json!({"status": 403, "code": "AuthorizationFailed", "message": "no"}));
        assert_eq!((s, b), (403, json!({"error": {"code": "AuthorizationFailed", "message": "no"}})));
        let (_, b) = failure_reply(&json!({"status": 503, "error": null}));
        assert_eq!(b, json!({"error": {"code": "ServiceUnavailable", "message": "Service Unavailable."}}));
        let (s, _) = failure_reply(&json!({"status": 200}));
        assert_eq!(s, 500);
    }

    #[test]
    fn keys_are_cleaned_but_keep_their_case() {
        assert_eq!(clean_key("https://management.azure.com/subscriptions/S/x/?api-version=1"), "/subscriptions/S/x");
        assert_eq!(clean_key(" subscriptions/S "), "/subscriptions/S");
    }

    #[test]
    fn rejects_what_the_cli_rejects() {
        let err = SnapshotBackend::from_snapshots(&[json!({"format": "erdiag-snapshot/2", "circuitId": "/x"})]).unwrap_err();
        assert!(err.to_string().contains("erdiag-snapshot/2"), "{err}");
        let err = SnapshotBackend::from_snapshots(&[json!({"format": "erdiag-snapshot/1", "circuitId": "/x", "failures": {"/y": "boom"}})])
            .unwrap_err();
        assert!(err.to_string().contains("found a string"), "{err}");
        let ok = SnapshotBackend::from_snapshots(&[
            json!({"format": "erdiag-snapshot/1", "circuitId": "/c", "resources": {"/C": {"n": 1}}, "failures": {"/f": {"status": 404}}}),
            json!({"format": "erdiag-snapshot/1", "circuitId": "/c", "resources": {"/c": {"n": 2}, "/F": {"n": 3}}}),
        ])
        .unwrap();
        assert_eq!(ok.get("/c"), Lookup::Found(json!({"n": 1})));
        assert_eq!(ok.get("/f"), Lookup::Found(json!({"n": 3})));
        assert_eq!(ok.resource_ids(), vec!["/C".to_string(), "/F".to_string()]);
    }
}
