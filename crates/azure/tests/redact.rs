//! `--redact` against every scenario: the redacted snapshot names no
//! subscription, resource group, resource, service key, IP or MAC of the
//! original, and diagnoses to the same verdict, root cause and findings.

use erdiag_azure::{redact_snapshot, RedactKey};
use erdiag_checks::{diagnose, Options};
use serde_json::Value;

fn scenarios() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path().join("snapshot.json");
        if p.exists() {
            let name = p.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 20);
    out
}

fn report(name: &str, snapshot: &Value) -> erdiag_checks::Report {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let state = erdiag_model::Snapshot::from_slice(&bytes).unwrap().decode().unwrap_or_else(|e| panic!("{name}: {e}"));
    diagnose(&state, &Options::default())
}

/// What a diagnosis concludes, without the words that quote masked values.
fn conclusion(r: &erdiag_checks::Report) -> String {
    let mut s = format!("{:?}", r.verdict);
    if let Some(rc) = &r.root_cause {
        s += &format!(" root {} {:?} {:?}", rc.check, rc.peering, rc.path);
    }
    for f in &r.findings {
        s += &format!("\n{} {} {:?} {:?}", f.check, f.scope(), f.status, f.consequence_of);
    }
    s
}

#[test]
fn every_scenario_diagnoses_the_same_once_redacted() {
    for (name, snap) in scenarios() {
        let mut red = snap.clone();
        redact_snapshot(&mut red, &RedactKey::random());
        assert_eq!(conclusion(&report(&name, &red)), conclusion(&report(&name, &snap)), "{name}");

        let text = red.to_string();
        let id = snap["circuitId"].as_str().unwrap();
        let rid = erdiag_model::ResourceId::parse(id).unwrap();
        let (sub, rg, circuit) = rid.resource_parts().unwrap();
        for (what, v) in [("subscription", sub), ("resource group", rg), ("circuit", circuit)] {
            assert!(!text.to_ascii_lowercase().contains(&v.to_ascii_lowercase()), "{name}: the {what} {v} is left");
        }
        let circuit = snap["resources"].as_object().unwrap().iter().find(|(k, _)| k.eq_ignore_ascii_case(id)).unwrap().1;
        if let Some(key) = circuit.pointer("/properties/serviceKey").and_then(Value::as_str) {
            assert!(!text.contains(key), "{name}: the service key is left");
        }
        let original = snap.to_string();
        for ip in ["172.16.0.1", "172.16.0.2", "172.16.0.5", "172.16.0.6"] {
            if original.contains(&format!("\"{ip}\"")) {
                assert!(!text.contains(&format!("\"{ip}\"")), "{name}: {ip} is left");
            }
        }
    }
}

#[test]
fn the_same_value_gets_the_same_mask_and_keys_differ() {
    let (_, snap) = scenarios().into_iter().find(|(n, _)| n == "secondary-path-down").unwrap();
    let key = RedactKey::from_bytes([1; 16]);
    let (mut a, mut b, mut c) = (snap.clone(), snap.clone(), snap.clone());
    redact_snapshot(&mut a, &key);
    redact_snapshot(&mut b, &key);
    redact_snapshot(&mut c, &RedactKey::from_bytes([2; 16]));
    assert_eq!(a, b);
    assert_ne!(a["circuitId"], c["circuitId"]);
}

#[test]
fn a_subscription_that_is_not_a_guid() {
    let mut v = serde_json::json!({
        "circuitId": "/subscriptions/1/resourceGroups/rg-main/providers/Microsoft.Network/expressRouteCircuits/c1",
        "resources": {"/subscriptions/1/resourceGroups/rg-main/providers/Microsoft.Network/expressRouteCircuits/c1": {"name": "c1", "properties": {"vlanId": 1, "note": "rg-er 10.1 rg-main 1"}}}
    });
    redact_snapshot(&mut v, &RedactKey::random());
    let id = v["circuitId"].as_str().unwrap();
    assert!(id.starts_with("/subscriptions/sub-") && !id.contains("/rg-main/") && !id.ends_with("/c1"), "{id}");
    let body = &v["resources"][id];
    assert_eq!(body["properties"]["vlanId"], 1);
    assert_eq!(body["name"].as_str(), Some(erdiag_model::last_segment(id)));
    let note = body["properties"]["note"].as_str().unwrap();
    assert!(note.starts_with("rg-er 10.1 rg-") && note.ends_with(" 1") && !note.contains("rg-main"), "{note}");
}
