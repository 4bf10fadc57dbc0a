//! `erdiag diff A B` as a user runs it: the exit codes, errors that name
//! the file, standard input, the three formats, and the erdiag-diff/1
//! document against its schema.

mod common;
use common::*;
use serde_json::Value;

fn snapshot(name: &str) -> String {
    scenarios_dir().join(name).join("snapshot.json").display().to_string()
}

/// healthy-private five minutes later, with traffic on the primary path.
fn later_with_traffic() -> String {
    let mut v: Value = serde_json::from_slice(&std::fs::read(snapshot("healthy-private")).unwrap()).unwrap();
    v["collectedAt"] = "2026-11-21T10:05:00Z".into();
    for (key, body) in v["resources"].as_object_mut().unwrap() {
        if key.ends_with("/stats") {
            body["primarybytesIn"] = (240780020u64 + 37_500_000).into();
        }
    }
    write_tmp("diff-later.json", serde_json::to_vec(&v).unwrap().as_slice())
}

#[test]
fn exit_codes_follow_the_changes() {
    let same = erdiag(&["diff", &snapshot("healthy-private"), &snapshot("healthy-private"), "-o", "json"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let changed = erdiag(&["diff", &snapshot("healthy-private"), &snapshot("secondary-path-down"), "-o", "json"]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    // Traffic alone is information, not a change.
    let rates = erdiag(&["diff", &snapshot("healthy-private"), &later_with_traffic(), "-o", "json"]);
    assert_eq!(rates.status.code(), Some(0), "{}", stderr(&rates));
    let v: Value = serde_json::from_slice(&rates.stdout).unwrap();
    assert_eq!(v["intervalSecs"], 300);
    assert!(v["changes"].as_array().unwrap().iter().any(|c| c["kind"] == "rate" && c["bitsPerSecond"] == 1_000_000.0), "{v}");
}

#[test]
fn a_bad_snapshot_is_exit_2_naming_the_file_and_the_place() {
    let bad = write_tmp("diff-bad.json", br#"{"format": "erdiag-snapshot/1", "circuitId": 7}"#);
    let o = erdiag(&["diff", &snapshot("healthy-private"), &bad]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("diff-bad.json") && err.contains("circuitId"), "{err}");
    assert!(o.stdout.is_empty());
    let o = erdiag(&["diff", &snapshot("healthy-private"), "/nonexistent/b.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/b.json"), "{}", stderr(&o));
}

#[test]
fn two_circuits_need_force() {
    let o = erdiag(&["diff", &snapshot("healthy-private"), &snapshot("healthy-direct"), "-o", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("different circuits") && stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = erdiag(&["diff", &snapshot("healthy-private"), &snapshot("healthy-direct"), "-o", "json", "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn b_from_standard_input() {
    let b = std::fs::read(snapshot("secondary-path-down")).unwrap();
    let o = erdiag_stdin(&["diff", &snapshot("healthy-private"), "-", "-o", "json"], &b);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = erdiag_stdin(&["diff", "-", "-"], &b);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_table_and_the_markdown_say_what_changed_where() {
    let o = erdiag(&["diff", &snapshot("healthy-private"), &snapshot("secondary-path-down"), "-o", "table", "--color", "never"]);
    let t = stdout(&o);
    assert!(t.contains("changes: 3 bgp, 1 arp, 3 route, 3 learnedRoute"), "{t}");
    assert!(t.contains("AzurePrivatePeering secondary"), "{t}");
    assert!(t.contains("- route 10.2.20.0/25 withdrawn"), "{t}");
    assert!(t.contains("BGP neighbor 172.16.0.5: Established (3 prefixes)"), "{t}");
    assert!(!t.contains('\x1b'), "no colour when asked for none");
    let o = erdiag(&["diff", &snapshot("healthy-private"), &snapshot("secondary-path-down"), "-o", "markdown"]);
    let m = stdout(&o);
    assert!(m.starts_with("## erdiag diff: er-ckt-ams"), "{m}");
    assert!(m.contains("### AzurePrivatePeering secondary"), "{m}");
}

#[test]
fn the_document_matches_the_erdiag_diff_1_schema() {
    let schema = read_schema("erdiag-diff-1.schema.json");
    let mut errors = Vec::new();
    validate(&schema, &schema, &serde_json::json!({"format": "erdiag-diff/2", "changes": [{"kind": "route"}]}), "$", &mut errors);
    assert!(errors.len() >= 4, "the validator accepts garbage: {errors:?}");
    // Pairs that between them make every kind of change.
    let pairs = [
        ("healthy-private", snapshot("secondary-path-down")),
        ("healthy-private", snapshot("provider-not-provisioned")),
        ("healthy-private", snapshot("gateway-maintenance")),
        ("healthy-private", later_with_traffic()),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for (a, b) in &pairs {
        let o = erdiag(&["diff", &snapshot(a), b, "-o", "json"]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
        let mut errors = Vec::new();
        validate(&schema, &schema, &v, "$", &mut errors);
        assert!(errors.is_empty(), "{b}: {errors:#?}");
        kinds.extend(v["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap().to_string()));
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["arp", "bgp", "coverage", "learnedRoute", "property", "rate", "route"]);
}

#[test]
fn who_changed_a_property_comes_from_the_live_collection() {
    // ARM (the emulator) serves healthy-private with its private peering disabled by
    // alice five minutes ago, as Resource Graph's resourcechanges says.
    let dir = tmp_dir("diff-who");
    let mut v: Value = serde_json::from_slice(&std::fs::read(snapshot("healthy-private")).unwrap()).unwrap();
    let circuit_id = v["circuitId"].as_str().unwrap().to_string();
    let peering = format!("{circuit_id}/peerings/AzurePrivatePeering");
    v["resources"][&circuit_id]["properties"]["peerings"][0]["properties"]["state"] = "Disabled".into();
    v["resources"][&peering]["properties"]["state"] = "Disabled".into();
    let now = erdiag_model::time::parse_rfc3339(&erdiag_model::time::now_rfc3339()).unwrap();
    v["resources"][format!("{circuit_id}/providers/Microsoft.ResourceGraph/resourceChanges")] = serde_json::json!({"value": [
        {"id": format!("{peering}/providers/Microsoft.Resources/changes/1"), "properties": {
            "targetResourceId": peering, "changeType": "Update",
            "changeAttributes": {"changedBy": "alice@contoso.com", "clientType": "Azure Portal", "timestamp": erdiag_model::time::unix_rfc3339(now - 300)}}}
    ]});
    let served = dir.join("served.json").display().to_string();
    std::fs::write(&served, serde_json::to_vec(&v).unwrap()).unwrap();
    let em = emulate_in(&dir, &["--snapshot", &served]);
    let (sub, rg, name) = circuit("healthy-private");
    let after = dir.join("after.json").display().to_string();
    let c = erdiag(&["collect", "-O", &after, "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", TOKEN, "--subscription", &sub, "-g", &rg, "-n", &name, "-q"]);
    assert_eq!(c.status.code(), Some(0), "{}", stderr(&c));
    let o = erdiag(&["diff", &snapshot("healthy-private"), &after, "-o", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    let change = d["changes"].as_array().unwrap().iter().find(|c| c["path"] == "properties.peerings[AzurePrivatePeering].properties.state");
    let change = change.unwrap_or_else(|| panic!("{d:#}"));
    assert_eq!((&change["before"], &change["after"]), (&Value::from("Enabled"), &Value::from("Disabled")));
    assert_eq!(change["changedBy"], "alice@contoso.com");
    assert_eq!(change["clientType"], "Azure Portal");
}
