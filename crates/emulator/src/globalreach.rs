//! Children of a circuit that ARM serves but a snapshot may hold only
//! embedded: `{circuitId}/authorizations` (the circuit's `authorizations[]`)
//! and a Global Reach link read one by one,
//! `{peeringId}/connections/{name}` and `{peeringId}/peerConnections/{name}`
//! (the peering's `connections[]` and `peeredConnections[]`). A body the
//! snapshot holds under its own path is served before any of these.

use crate::backend::{peering_name, Backend, Collection, Lookup};
use crate::path::ArmPath;
use serde_json::{json, Value};

/// The body ARM would answer at `path`, derived from the circuit; `None`
/// when the path is none of these children or the circuit holds no such item.
pub(crate) fn derived(backend: &dyn Backend, path: &ArmPath) -> Option<Lookup> {
    let l = &path.lower;
    let circuit_at = l.iter().position(|s| s == "expressroutecircuits")?;
    let circuit = path.prefix(circuit_at + 2);
    let rest = &l[(circuit_at + 2).min(l.len())..];
    match rest {
        [a] if a == "authorizations" => Some(match backend.get(&erdiag_model::normalize_path(&circuit)) {
            Lookup::Found(body) => Lookup::Found(json!({ "value": body.pointer("/properties/authorizations").cloned().unwrap_or(json!([])) })),
            other => other,
        }),
        [p, peering, kind, _] if p == "peerings" && (kind == "connections" || kind == "peerconnections") => {
            let name = path.segs.last()?;
            let field = if kind == "connections" { "connections" } else { "peeredConnections" };
            let Lookup::Found(Value::Array(peerings)) = backend.list(&Collection::Peerings { circuit: circuit.clone() }) else { return None };
            let p = peerings.into_iter().find(|p| peering_name(p).is_some_and(|n| n.eq_ignore_ascii_case(peering)))?;
            let item = p.pointer(&format!("/properties/{field}"))?.as_array()?.iter().find(|c| c["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
            Some(Lookup::Found(item.clone()))
        }
        _ => None,
    }
}
