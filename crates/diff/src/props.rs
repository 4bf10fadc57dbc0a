//! ARM properties: the bodies of the circuit (with its peerings),
//! connections and gateways of A and B, compared as JSON. Arrays of named
//! objects are keyed by `name` (`properties.peerings[AzurePrivatePeering]`),
//! volatile fields (`etag`, byte counters) are left out, and a secret's
//! value is never shown, only that it changed.
//!
//! Who changed a property comes from Resource Graph's `resourcechanges`
//! rows a snapshot holds under `{circuit}/providers/Microsoft.ResourceGraph/resourceChanges`:
//! the latest change of that resource within (A, B].

use crate::{Change, CoverageChange, Diff, Edit, PropertyChange};
use erdiag_model::{normalize_path, CircuitState, Collected, Snapshot};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Fields that change without anyone changing the resource.
const VOLATILE: &[&str] = &["etag", "ingressBytesTransferred", "egressBytesTransferred", "stats", "reportedTime"];

/// Fields whose value is a secret: only that it changed is said.
const SECRET: &[&str] = &["sharedKey", "authorizationKey", "key"];

/// The path of the `resourcechanges` rows in a snapshot.
pub fn resource_changes_path(circuit_id: &str) -> String {
    format!("{}/providers/Microsoft.ResourceGraph/resourceChanges", circuit_id.trim_end_matches('/'))
}

/// A resource whose properties are compared: its id, its type and its body.
struct Body {
    id: String,
    kind: &'static str,
    value: Value,
}

/// The resources of a snapshot whose properties are compared, by normalized path.
fn bodies(s: &Snapshot) -> BTreeMap<String, Body> {
    let circuit = normalize_path(&s.circuit_id);
    let mut out = BTreeMap::new();
    let mut peerings = Vec::new();
    for (key, raw) in &s.resources {
        let n = normalize_path(key);
        let kind = if n == circuit {
            "circuit"
        } else if is_child(&n, "/providers/microsoft.network/connections/") {
            "connection"
        } else if is_child(&n, "/providers/microsoft.network/virtualnetworkgateways/") {
            "gateway"
        } else if n.ends_with("/providers/microsoft.resourcehealth/availabilitystatuses/current") {
            "health"
        } else if n.strip_prefix(&(circuit.clone() + "/peerings/")).is_some_and(|rest| !rest.contains('/')) {
            "peering"
        } else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<Value>(raw.get()) else { continue };
        let body = Body { id: key.clone(), kind, value };
        if kind == "peering" {
            peerings.push((n, body));
        } else {
            out.insert(n, body);
        }
    }
    // A peering's own body only when the circuit's does not carry its peerings.
    let carried = out.get(&circuit).is_some_and(|c| c.value.pointer("/properties/peerings").is_some());
    if !carried {
        out.extend(peerings);
    }
    out
}

fn is_child(n: &str, collection: &str) -> bool {
    n.find(collection).is_some_and(|i| !n[i + collection.len()..].contains('/'))
}

/// Property changes of every resource of A or B; a resource read on one
/// side and failed on the other is a coverage change.
pub(crate) fn properties(a: &Snapshot, b: &Snapshot, sa: &CircuitState, sb: &CircuitState) -> Vec<Change> {
    let (mut ba, mut bb) = (bodies(a), bodies(b));
    let mut keys: Vec<String> = ba.keys().chain(bb.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        match (ba.remove(&k), bb.remove(&k)) {
            (Some(x), Some(y)) => {
                let mut found = Vec::new();
                walk("", &x.value, &y.value, &mut found);
                out.extend(found.into_iter().map(|(path, change, before, after)| Change::Property(property(&y, path, change, before, after))));
            }
            (Some(x), None) => out.push(one_side(&x, sb, Edit::Removed)),
            (None, Some(y)) => out.push(one_side(&y, sa, Edit::Added)),
            (None, None) => {}
        }
    }
    out
}

/// A resource in one snapshot only: added or removed, unless the other
/// snapshot's read of it failed (coverage).
fn one_side(body: &Body, other: &CircuitState, edit: Edit) -> Change {
    let n = normalize_path(&body.id);
    let failed = other.failures.iter().find(|(p, _)| normalize_path(p) == n).map(|(_, f)| format!("failed: {f}"));
    // Connections and their gateways are found by listing: absent from a
    // listing not read to the end is not known to be gone.
    let unlisted = || match &other.connection_listing {
        Collected::Ok(()) => None,
        c => c.missing_reason("the listing of connections").map(|r| format!("not collected ({r})")),
    };
    let missing = failed.or_else(|| if matches!(body.kind, "connection" | "gateway" | "health") { unlisted() } else { None });
    if let Some(missing) = missing {
        let read = "read".to_string();
        let (before, after) = if edit == Edit::Added { (missing, read) } else { (read, missing) };
        return Change::Coverage(CoverageChange {
            table: body.kind.to_string(),
            at: Default::default(),
            resource: Some(resource_id(body)),
            before,
            after,
        });
    }
    let (before, after) = match edit {
        Edit::Added => (None, Some(scrub(&body.value))),
        _ => (Some(scrub(&body.value)), None),
    };
    Change::Property(property(body, String::new(), edit, before, after))
}

/// The ARM id a body is about: its own, or for a Resource Health status the
/// resource it sits under.
fn resource_id(body: &Body) -> String {
    let id = body.value.get("id").and_then(Value::as_str).unwrap_or(&body.id);
    match normalize_path(id).find("/providers/microsoft.resourcehealth/") {
        Some(i) => id[..i].to_string(),
        None => id.to_string(),
    }
}

fn property(body: &Body, path: String, change: Edit, before: Option<Value>, after: Option<Value>) -> PropertyChange {
    PropertyChange {
        resource: resource_id(body),
        resource_type: body.kind.to_string(),
        path,
        change,
        before,
        after,
        changed_by: None,
        change_type: None,
        timestamp: None,
        client_type: None,
    }
}

type Found = (String, Edit, Option<Value>, Option<Value>);

/// Every leaf that differs between `a` and `b`, under `path`.
fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<Found>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).filter(|k| !VOLATILE.contains(&k.as_str())).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = join(k);
                let secret = SECRET.iter().any(|s| s.eq_ignore_ascii_case(k));
                match (x.get(k.as_str()), y.get(k.as_str())) {
                    (Some(v), Some(w)) if secret => {
                        if v != w {
                            out.push((p, Edit::Changed, None, Some(Value::from("(changed)"))));
                        }
                    }
                    (Some(v), Some(w)) => walk(&p, v, w, out),
                    (None, Some(w)) => out.push((p, Edit::Added, None, Some(if secret { Value::from("(set)") } else { scrub(w) }))),
                    (Some(v), None) => out.push((p, Edit::Removed, Some(if secret { Value::from("(set)") } else { scrub(v) }), None)),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => match (named(x), named(y)) {
            (Some(mx), Some(my)) => {
                let mut names: Vec<&String> = mx.keys().chain(my.keys()).collect();
                names.sort();
                names.dedup();
                for n in names {
                    let p = format!("{path}[{n}]");
                    match (mx.get(n), my.get(n)) {
                        (Some(v), Some(w)) => walk(&p, v, w, out),
                        (None, Some(w)) => out.push((p, Edit::Added, None, Some(scrub(w)))),
                        (Some(v), None) => out.push((p, Edit::Removed, Some(scrub(v)), None)),
                        (None, None) => {}
                    }
                }
            }
            _ if x != y => out.push((path.to_string(), Edit::Changed, Some(scrub(a)), Some(scrub(b)))),
            _ => {}
        },
        _ if a != b => out.push((path.to_string(), Edit::Changed, Some(scrub(a)), Some(scrub(b)))),
        _ => {}
    }
}

/// An array whose every element is an object with a distinct string `name`, by name
/// (an empty array is one).
fn named(v: &[Value]) -> Option<BTreeMap<String, &Value>> {
    let mut m = BTreeMap::new();
    for e in v {
        let n = e.get("name")?.as_str()?;
        if m.insert(n.to_string(), e).is_some() {
            return None;
        }
    }
    Some(m)
}

/// A value with every secret field's value replaced by `(set)`, and volatile fields left out.
fn scrub(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| !VOLATILE.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), if SECRET.iter().any(|s| s.eq_ignore_ascii_case(k)) { Value::from("(set)") } else { scrub(x) }))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(scrub).collect()),
        other => other.clone(),
    }
}

/// One `resourcechanges` row, as far as attribution needs it.
struct Row {
    target: String,
    changed_by: Option<String>,
    change_type: Option<String>,
    client_type: Option<String>,
    timestamp: Option<String>,
    at: Option<i64>,
}

/// The `resourcechanges` rows of both snapshots. A row carries Microsoft's
/// documented shape (`properties.targetResourceId`, `properties.changeType`,
/// `properties.changeAttributes.{changedBy, clientType, timestamp}`), or the
/// same names projected to the top level by a query.
fn rows(s: &Snapshot) -> Vec<Row> {
    let want = normalize_path(&resource_changes_path(&s.circuit_id));
    let Some(raw) = s.resources.iter().find(|(k, _)| normalize_path(k) == want).map(|(_, v)| *v) else { return Vec::new() };
    let Ok(body) = serde_json::from_str::<Value>(raw.get()) else { return Vec::new() };
    let list = body.get("value").or_else(|| body.get("data")).and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |row: &Value, nested: &str, flat: &str| -> Option<String> {
        row.pointer(nested).or_else(|| row.get(flat)).and_then(Value::as_str).map(str::to_string)
    };
    list.iter()
        .filter_map(|r| {
            let target = text(r, "/properties/targetResourceId", "targetResourceId")?;
            let timestamp = text(r, "/properties/changeAttributes/timestamp", "timestamp").or_else(|| text(r, "/properties/changeAttributes/timestamp", "changeTime"));
            Some(Row {
                target: normalize_path(&target),
                changed_by: text(r, "/properties/changeAttributes/changedBy", "changedBy"),
                change_type: text(r, "/properties/changeType", "changeType"),
                client_type: text(r, "/properties/changeAttributes/clientType", "clientType"),
                at: timestamp.as_deref().and_then(|t| erdiag_model::time::parse_rfc3339(t).ok()),
                timestamp,
            })
        })
        .collect()
}

/// Attaches who changed each property, from the latest matching
/// `resourcechanges` row within (A, B] (any time when a side has no time).
pub(crate) fn attribute(changes: &mut [Change], a: &Snapshot, b: &Snapshot, d: &Diff) {
    let mut all = rows(b);
    all.extend(rows(a));
    let parse = |t: &Option<String>| t.as_deref().and_then(|t| erdiag_model::time::parse_rfc3339(t).ok());
    let (from, to) = (parse(&d.from), parse(&d.to));
    for c in changes {
        let Change::Property(p) = c else { continue };
        let resource = normalize_path(&p.resource);
        let peering = p.path.strip_prefix("properties.peerings[").and_then(|r| r.split_once(']')).map(|(n, _)| format!("{resource}/peerings/{}", n.to_ascii_lowercase()));
        let best = all
            .iter()
            .filter(|r| r.target == resource || Some(&r.target) == peering.as_ref())
            .filter(|r| match (from, to, r.at) {
                (Some(f), Some(t), Some(at)) => f < at && at <= t,
                (Some(_), Some(_), None) => false,
                _ => true,
            })
            .max_by_key(|r| r.at);
        if let Some(r) = best {
            p.changed_by = r.changed_by.clone();
            p.change_type = r.change_type.clone();
            p.client_type = r.client_type.clone();
            p.timestamp = r.timestamp.clone();
        }
    }
}
