//! `erdiag watch --store` reads erdiag's own earlier polls of each circuit
//! from the store before diagnosing it, as `fleet --store` does: a metric
//! dip one of them saw is confirmed, and a store it cannot read leaves the
//! dip unconfirmed without failing the circuit.

use erdiag_model::time::parse_rfc3339;
use erdiag_pipeline::history;
use erdiag_pipeline::{diagnose_document, Options, Report};
use erdiag_watch::run::store_observer;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn scenario(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn tmp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("erdiag-watch-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn summary_key(doc: &Value, path: &str) -> String {
    let suffix = format!("/peerings/AzurePrivatePeering/routeTablesSummary/{path}");
    doc["resources"].as_object().unwrap().keys().find(|k| k.ends_with(&suffix)).cloned().unwrap()
}

fn flaps(r: &Report) -> Vec<(String, String)> {
    let v = serde_json::to_value(r).unwrap();
    v["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "ER404" && f["path"] == "primary").map(|f| (f["status"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect()
}

#[test]
fn a_dip_an_earlier_poll_saw_is_confirmed_and_an_unreadable_store_leaves_it_unconfirmed() {
    // BgpAvailability of the primary reads 0 from 09:20 to 09:22; the
    // session is up now, Established for days: nothing else saw the dip.
    let now = scenario("bgp-flap-unconfirmed");
    let before = flaps(&diagnose_document("now", &now, &Options::default()).unwrap());
    assert!(!before.is_empty() && before.iter().all(|(s, _)| s == "warn"), "{before:?}");

    // erdiag's poll at 09:21 saw the primary session Idle: recorded.
    let dir = tmp("observer");
    let url = dir.join("history.db").display().to_string();
    let mut then = now.clone();
    then["collectedAt"] = json!("2026-11-21T09:21:00Z");
    let k = summary_key(&then, "primary");
    then["resources"][&k]["value"][0]["statePfxRcd"] = json!("Idle");
    then["resources"][&k]["value"][0]["upDown"] = json!("00:00:40");
    let mut store = history::open(&url).unwrap();
    let at = parse_rfc3339("2026-11-21T09:21:00Z").unwrap();
    history::diagnose_recorded(&mut store, "09:21", serde_json::to_vec(&then).unwrap(), &Options::default(), None, at).unwrap();
    drop(store);

    let observe = store_observer(url.clone());
    let mut doc = now.clone();
    (observe.0)(&mut doc).unwrap();
    let polls = doc["inputs"]["observed"]["polls"].as_array().expect("the observations are added");
    assert_eq!(polls.len(), 1, "{:#}", doc["inputs"]["observed"]);
    let after = flaps(&diagnose_document("now", &doc, &Options::default()).unwrap());
    assert!(after.iter().any(|(s, _)| s == "fail"), "the dip erdiag saw is confirmed: {after:?}");

    // A store that cannot be opened: no observations, no error.
    let observe = store_observer("/proc/erdiag-no/history.db".into());
    let mut doc = now.clone();
    (observe.0)(&mut doc).unwrap();
    assert!(doc["inputs"].get("observed").is_none(), "{:#}", doc["inputs"]);
    let _ = std::fs::remove_dir_all(dir);
}
