//! The history store through the CLI: `diagnose --store` on a scripted
//! sequence of snapshots (a path's BGP session down for two polls, a silence),
//! then `history` (the session down and up with its duration, each verdict
//! change once, the silence as a gap, the erdiag-history/1 schema), `--at`
//! (the stored snapshot, diagnosed as `diagnose` does), `diff @TIME`, `fleet
//! --store` (every circuit recorded) and a store that cannot be used (exit 2).

mod common;

use common::{circuit, emulate, erdiag, read_schema, scenarios_dir, stderr, stdout, tmp_dir, validate, TOKEN};
use serde_json::Value;
use std::path::{Path, PathBuf};

const CIRCUIT: &str = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/er-ckt-ams";
/// 2026-11-21T10:00:00Z, the scenarios' `collectedAt`.
const T0: i64 = 1_795_255_200;

fn rfc3339(t: i64) -> String {
    erdiag_model::time::unix_rfc3339(t)
}

/// The scenario's snapshot as collected at `t`, written to `dir`.
fn snapshot_at(dir: &Path, scenario: &str, t: i64) -> PathBuf {
    let mut doc: Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(scenario).join("snapshot.json")).unwrap()).unwrap();
    doc["collectedAt"] = Value::String(rfc3339(t));
    let path = dir.join(format!("{scenario}-{t}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    path
}

/// A JSON value with every array's items in one order, for comparing
/// documents whose tables may list the same rows in another order.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(canonical).collect();
            items.sort_by_key(|i| i.to_string());
            Value::Array(items)
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect()),
        v => v.clone(),
    }
}

fn ok(args: &[&str]) -> std::process::Output {
    let o = erdiag(args);
    assert!(matches!(o.status.code(), Some(0) | Some(1)), "erdiag {}: {}", args.join(" "), stderr(&o));
    o
}

/// Healthy at T0 and T0+5m; the secondary path down at +10m and +15m;
/// healthy at +20m; no poll until +60m, healthy.
fn scripted_store(tag: &str) -> (PathBuf, String, Vec<PathBuf>) {
    let dir = tmp_dir(tag);
    let db = dir.join("history.db");
    let _ = std::fs::remove_file(&db);
    let store = db.display().to_string();
    let plan = [("healthy-private", 0), ("healthy-private", 300), ("secondary-path-down", 600), ("secondary-path-down", 900), ("healthy-private", 1200), ("healthy-private", 3600)];
    let mut files = Vec::new();
    for (scenario, dt) in plan {
        let f = snapshot_at(&dir, scenario, T0 + dt);
        ok(&["diagnose", "--snapshot", f.to_str().unwrap(), "--store", &store, "-o", "json", "-q"]);
        files.push(f);
    }
    (dir, store, files)
}

fn timeline(store: &str, extra: &[&str]) -> Value {
    let since = rfc3339(T0 - 60);
    let until = rfc3339(T0 + 7200);
    let mut args = vec!["history", CIRCUIT, "--store", store, "--since", &since, "--until", &until, "-o", "json"];
    args.extend_from_slice(extra);
    let o = erdiag(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn events<'a>(tl: &'a Value, kind: &str) -> Vec<&'a Value> {
    tl["events"].as_array().unwrap().iter().filter(|e| e["kind"] == kind).collect()
}

#[test]
fn the_timeline_shows_the_session_down_and_up_each_verdict_change_once_and_the_silence() {
    let (dir, store, _) = scripted_store("history-timeline");
    let tl = timeline(&store, &[]);
    assert_eq!(tl["format"], "erdiag-history/1");
    assert_eq!(tl["polls"], 6);
    assert_eq!(tl["intervalSecs"], 300);

    let sessions = events(&tl, "session");
    assert_eq!(sessions.len(), 1, "{tl:#}");
    let s = sessions[0];
    assert_eq!((s["peering"].as_str(), s["path"].as_str()), (Some("AzurePrivatePeering"), Some("secondary")));
    assert_eq!(s["downAt"], rfc3339(T0 + 600));
    assert_eq!(s["upAt"], rfc3339(T0 + 1200));
    assert_eq!(s["lastedSecs"], 600);

    let verdicts = events(&tl, "verdict");
    assert_eq!(verdicts.len(), 2, "healthy → degraded, degraded → healthy: {verdicts:#?}");
    assert_eq!((verdicts[0]["before"].as_str(), verdicts[0]["after"].as_str(), verdicts[0]["at"].as_str()), (Some("healthy"), Some("degraded"), Some(rfc3339(T0 + 600).as_str())));
    assert_eq!(verdicts[1]["after"], "healthy");

    let gaps = events(&tl, "gap");
    assert_eq!(gaps.len(), 1);
    assert_eq!((gaps[0]["from"].as_str(), gaps[0]["secs"].as_i64()), (Some(rfc3339(T0 + 1200).as_str()), Some(2400)));

    // The CE's prefix left the secondary MSEE's table, and came back.
    let routes = events(&tl, "routes");
    let withdrawn: Vec<&Value> = routes.iter().copied().filter(|r| r["path"] == "secondary" && !r["withdrawn"].as_array().unwrap().is_empty()).collect();
    assert_eq!(withdrawn.len(), 1, "{routes:#?}");
    assert_eq!(withdrawn[0]["at"], rfc3339(T0 + 600));
    assert!(routes.iter().any(|r| r["path"] == "secondary" && r["readvertised"] == withdrawn[0]["withdrawn"]), "{routes:#?}");

    let schema = read_schema("erdiag-history-1.schema.json");
    let mut errors = Vec::new();
    validate(&schema, &schema, &tl, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut errors = Vec::new();
    validate(&schema, &schema, &serde_json::json!({"format": "erdiag-history/2"}), "$", &mut errors);
    assert!(!errors.is_empty(), "the validator rejects a wrong document");

    // The table, by name instead of id, with the duration in words.
    let o = erdiag(&["history", "er-ckt-ams", "--store", &store, "--since", &rfc3339(T0 - 60), "--until", &rfc3339(T0 + 7200), "-o", "table"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("(lasted 10m 00s)"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn at_a_time_the_stored_snapshot_diagnoses_as_the_file_did() {
    let (dir, store, files) = scripted_store("history-at");
    let out = dir.join("rebuilt.json");
    // Between the polls of +10m and +15m: the poll of +10m.
    let o = erdiag(&["history", "er-ckt-ams", "--store", &store, "--at", &rfc3339(T0 + 700), "-O", out.to_str().unwrap(), "-o", "json"]);
    assert_eq!(o.status.code(), Some(1), "degraded: {}", stderr(&o));
    assert!(stderr(&o).contains(&format!("the poll of {}", rfc3339(T0 + 600))), "{}", stderr(&o));
    let at: Value = serde_json::from_slice(&o.stdout).unwrap();
    // The snapshot written is the one diagnosed.
    let rebuilt: Value = serde_json::from_slice(&erdiag(&["diagnose", "--snapshot", out.to_str().unwrap(), "-o", "json"]).stdout).unwrap();
    assert_eq!(at, rebuilt);
    // It is the file recorded then (a table's rows may come back in another order)…
    let stored: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let original: Value = serde_json::from_slice(&std::fs::read(&files[2]).unwrap()).unwrap();
    assert_eq!(canonical(&stored), canonical(&original));
    // …and diagnoses as that file did.
    let direct: Value = serde_json::from_slice(&erdiag(&["diagnose", "--snapshot", files[2].to_str().unwrap(), "-o", "json"]).stdout).unwrap();
    assert_eq!((&at["verdict"], &at["rootCause"]), (&direct["verdict"], &direct["rootCause"]));
    let statuses = |r: &Value| r["findings"].as_array().unwrap().iter().map(|f| (f["check"].to_string(), f["path"].to_string(), f["status"].to_string())).collect::<Vec<_>>();
    assert_eq!(statuses(&at), statuses(&direct));

    // Before the first poll there is nothing to rebuild.
    let o = erdiag(&["history", "er-ckt-ams", "--store", &store, "--at", &rfc3339(T0 - 60)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no poll of er-ckt-ams"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_diagnosis_with_a_store_carries_what_erdiag_saw_in_the_window() {
    let (dir, store, _) = scripted_store("history-observed");
    // The snapshot of +65m: the polls of the hour before it are observed.
    let f = snapshot_at(&dir, "healthy-private", T0 + 3900);
    let o = ok(&["diagnose", "--snapshot", f.to_str().unwrap(), "--store", &store, "-o", "json"]);
    assert!(stderr(&o).contains("recorded in"), "{}", stderr(&o));
    // Recorded: the history now has seven polls.
    assert_eq!(timeline(&store, &[])["polls"], 7);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fleet_with_a_store_records_every_circuit() {
    let dir = tmp_dir("history-fleet");
    let db = dir.join("fleet.db");
    let _ = std::fs::remove_file(&db);
    let snaps = dir.join("snaps");
    std::fs::create_dir_all(&snaps).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (i, sc) in ["healthy-private", "healthy-direct", "vlan-mismatch", "gateway-bgp-down"].iter().enumerate() {
        let mut doc: Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(sc).join("snapshot.json")).unwrap()).unwrap();
        // Four distinct circuits (in four resource groups: the names stay).
        let id = doc["circuitId"].as_str().unwrap().replacen("/resourceGroups/", &format!("/resourceGroups/g{i}-"), 1);
        let text = serde_json::to_string(&doc).unwrap().replace(doc["circuitId"].as_str().unwrap(), &id);
        doc = serde_json::from_str(&text).unwrap();
        ids.insert(id.to_ascii_lowercase());
        std::fs::write(snaps.join(format!("{sc}.json")), serde_json::to_vec(&doc).unwrap()).unwrap();
    }
    let o = erdiag(&["fleet", "--snapshot", snaps.to_str().unwrap(), "--store", db.to_str().unwrap(), "-o", "jsonl"]);
    assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", stderr(&o));
    assert!(stderr(&o).contains("recorded 4 circuits in"), "{}", stderr(&o));
    let o = erdiag(&["history", "--list", "--store", db.to_str().unwrap(), "-o", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listed: Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: std::collections::BTreeSet<String> = listed.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_ascii_lowercase()).collect();
    assert_eq!(got, ids);
    assert!(listed.as_array().unwrap().iter().all(|c| c["polls"] == 1), "{listed:#}");
    // Three of them are named er-ckt-ams: the name alone is ambiguous.
    let o = erdiag(&["history", "er-ckt-ams", "--store", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("circuits are named `er-ckt-ams`"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_store_that_cannot_be_used_is_a_clear_error() {
    let f = scenarios_dir().join("healthy-private/snapshot.json");
    // A PostgreSQL server that is not there (a closed port), with a password that must not show.
    let o = erdiag(&["diagnose", "--snapshot", f.to_str().unwrap(), "--store", "postgres://erdiag:s3cret-pw@127.0.0.1:1/erdiag", "-o", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "no report when the observation cannot be recorded");
    assert!(stderr(&o).contains("history store"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("s3cret-pw"), "{}", stderr(&o));
    // A file where no file can be made.
    let o = erdiag(&["diagnose", "--snapshot", f.to_str().unwrap(), "--store", "/proc/erdiag-no/history.db", "-o", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("/proc/erdiag-no/history.db"), "{}", stderr(&o));
    // fleet checks its store before reading any circuit.
    let o = erdiag(&["fleet", "--snapshot", f.to_str().unwrap(), "--store", "/proc/erdiag-no/history.db", "-o", "jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty() && stderr(&o).contains("/proc/erdiag-no/history.db"), "{}", stderr(&o));
    // history on a name no stored circuit has.
    let dir = tmp_dir("history-empty");
    let o = erdiag(&["history", "nosuch", "--store", dir.join("h.db").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no circuit `nosuch`"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn retention_forgets_the_polls_older_than_it() {
    let dir = tmp_dir("history-retention");
    let db = dir.join("h.db");
    let _ = std::fs::remove_file(&db);
    let store = db.to_str().unwrap();
    let old = snapshot_at(&dir, "healthy-private", T0);
    ok(&["diagnose", "--snapshot", old.to_str().unwrap(), "--store", store, "-o", "json", "-q"]);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!(now - T0 > 86_400, "the clock is after the scenarios' day");
    let new = snapshot_at(&dir, "healthy-private", now);
    ok(&["diagnose", "--snapshot", new.to_str().unwrap(), "--store", store, "--retention", "1d", "-o", "json", "-q"]);
    let listed: Value = serde_json::from_slice(&erdiag(&["history", "--list", "--store", store, "-o", "json"]).stdout).unwrap();
    assert_eq!((listed[0]["polls"].as_u64(), listed[0]["firstPoll"].as_str()), (Some(1), Some(rfc3339(now).as_str())), "{listed:#}");
    // --retention needs a store.
    let o = erdiag(&["diagnose", "--snapshot", new.to_str().unwrap(), "--retention", "1d"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn diff_reads_at_time_operands_from_the_store() {
    let (dir, store, files) = scripted_store("history-diff");
    let withdrawn_on_secondary = |o: &std::process::Output| -> usize {
        assert_eq!(o.status.code(), Some(1), "changes: {}", stderr(o));
        let d: Value = serde_json::from_slice(&o.stdout).unwrap();
        d["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "route" && c["change"] == "withdrawn" && c["path"] == "secondary").count()
    };
    // Two polls of the store (+5m, and +12m = the poll of +10m).
    let (a, b) = (format!("@{}", rfc3339(T0 + 300)), format!("@{}", rfc3339(T0 + 720)));
    let o = erdiag(&["diff", &a, &b, "--store", &store, "--circuit", "er-ckt-ams", "-o", "json"]);
    assert!(withdrawn_on_secondary(&o) > 0, "{}", stdout(&o));
    // A poll against a file: the circuit is the file's.
    let o = erdiag(&["diff", &a, files[2].to_str().unwrap(), "--store", &store, "-o", "json"]);
    assert!(withdrawn_on_secondary(&o) > 0);
    // The same poll twice: nothing changed.
    let o = erdiag(&["diff", &a, &a, "--store", &store, "-o", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // @TIME needs a store; a time before the first poll has no snapshot.
    let o = erdiag(&["diff", &a, &b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--store"), "{}", stderr(&o));
    let o = erdiag(&["diff", &format!("@{}", rfc3339(T0 - 3600)), &b, "--store", &store]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no poll of er-ckt-ams"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn collect_with_a_store_records_the_verdict_and_writes_the_snapshot_unchanged() {
    let dir = tmp_dir("history-collect");
    let db = dir.join("h.db");
    let _ = std::fs::remove_file(&db);
    let em = emulate("secondary-path-down", &dir);
    let (sub, rg, name) = circuit("secondary-path-down");
    let out = dir.join("collected.json");
    let o = erdiag(&[
        "collect", "--arm-endpoint", &em.url, "--ca-cert", &em.cert, "--access-token", TOKEN, "--subscription", &sub, "-g", &rg, "-n", &name,
        "--store", db.to_str().unwrap(), "-O", out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("recorded in"), "{}", stderr(&o));
    let written: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(written["inputs"].get("observed").is_none(), "the snapshot written is the one collected");
    // The verdict is in the store: diagnosing the poll gives the same.
    let at = written["collectedAt"].as_str().unwrap();
    let o = erdiag(&["history", &name, "--store", db.to_str().unwrap(), "--at", at, "-o", "json", "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["verdict"], "degraded");
    let _ = std::fs::remove_dir_all(dir);
}
