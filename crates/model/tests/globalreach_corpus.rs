//! Conformance of Global Reach and authorizations: every Azure REST API
//! specification example of a circuit connection, a peer connection or a
//! circuit authorization types through the model with its facts, and none
//! keeps an authorization key. Needs `ERDIAG_CORPUS` (see corpus.rs).

use erdiag_model::{Authorization, CircuitConnection, List, SecretPresence};
use serde_json::Value;
use std::path::PathBuf;

fn examples() -> Vec<(String, Value)> {
    let Some(root) = erdiag_testsupport::corpus("azure-rest-api-specs", "the Global Reach corpus conformance test") else { return Vec::new() };
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path().join("examples")).filter(|p| p.is_dir()) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().trim_end_matches(".json").to_string();
            let v: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
            for (code, r) in v["responses"].as_object().into_iter().flatten() {
                if code.starts_with('2') && r.get("body").is_some() {
                    out.push((name.clone(), r["body"].clone()));
                }
            }
        }
    }
    out
}

fn check_connection(file: &str, c: &CircuitConnection, raw: &Value) {
    let p = &raw["properties"];
    assert_eq!(c.properties.address_prefix.as_deref(), p["addressPrefix"].as_str(), "{file}");
    assert_eq!(c.properties.circuit_connection_status.as_deref(), p["circuitConnectionStatus"].as_str(), "{file}");
    assert_eq!(c.peer_peering_id(), p.pointer("/peerExpressRouteCircuitPeering/id").and_then(Value::as_str), "{file}");
    assert!(c.peer_circuit_id().is_some(), "{file}: no other circuit");
    assert_eq!(
        c.properties.ipv6_circuit_connection_config.as_ref().and_then(|x| x.address_prefix.as_deref()),
        p.pointer("/ipv6CircuitConnectionConfig/addressPrefix").and_then(Value::as_str),
        "{file}"
    );
    let key = p["authorizationKey"].as_str().filter(|k| !k.is_empty());
    assert_eq!(c.properties.authorization_key, if key.is_some() { SecretPresence::Present } else { SecretPresence::Absent }, "{file}");
    if let Some(k) = key {
        assert!(!format!("{c:?}").contains(k), "{file}: the model keeps the authorization key");
    }
}

fn check_authorization(file: &str, a: &Authorization, raw: &Value) {
    let p = &raw["properties"];
    assert_eq!(a.properties.authorization_use_status.as_deref(), p["authorizationUseStatus"].as_str(), "{file}");
    assert_eq!(a.in_use(), p["authorizationUseStatus"] == "InUse", "{file}");
    if let Some(k) = p["authorizationKey"].as_str() {
        assert_eq!(a.properties.authorization_key, SecretPresence::Present, "{file}");
        assert!(!format!("{a:?}").contains(k), "{file}: the model keeps the authorization key");
    }
}

#[test]
fn every_global_reach_and_authorization_example_decodes_with_its_facts() {
    let mut seen = 0;
    for (file, body) in examples() {
        let de = |v: &Value| serde_path_to_error::deserialize::<_, CircuitConnection>(v).unwrap_or_else(|e| panic!("{file}: {e}"));
        let list = |v: &Value| v["value"].as_array().cloned().unwrap_or_default();
        match file.as_str() {
            f if f.starts_with("ExpressRouteCircuitConnection") || f.starts_with("PeerExpressRouteCircuitConnection") => {
                if f.ends_with("List") {
                    let l: List<CircuitConnection> = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
                    assert_eq!(l.value.len(), list(&body).len(), "{file}");
                    for (c, raw) in l.value.iter().zip(list(&body)) {
                        check_connection(&file, c, &raw);
                    }
                } else {
                    check_connection(&file, &de(&body), &body);
                }
                seen += 1;
            }
            f if f.starts_with("ExpressRouteCircuitAuthorization") => {
                if f.ends_with("List") {
                    let l: List<Authorization> = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
                    for (a, raw) in l.value.iter().zip(list(&body)) {
                        check_authorization(&file, a, &raw);
                    }
                } else {
                    let a: Authorization = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
                    check_authorization(&file, &a, &body);
                }
                seen += 1;
            }
            _ => {}
        }
    }
    if erdiag_testsupport::corpus_root("the Global Reach corpus conformance test").is_some() {
        assert!(seen >= 6, "only {seen} Global Reach and authorization examples");
    }
}
