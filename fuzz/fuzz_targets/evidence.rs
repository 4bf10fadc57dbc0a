#![no_main]
//! Any text as the evidence flags give it: `--acl-test` (its parser, then in
//! a snapshot's `inputs.aclTest`) and `--ce` (in `inputs.ce`), added to a
//! healthy circuit and diagnosed.
use std::sync::OnceLock;

fn healthy() -> &'static serde_json::Value {
    static V: OnceLock<serde_json::Value> = OnceLock::new();
    V.get_or_init(|| serde_json::from_str(include_str!("../../scenarios/healthy-private/snapshot.json")).expect("a scenario"))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = erdiag_model::acltest::parse_acl_test(text);
    let mut v = healthy().clone();
    v["inputs"] = serde_json::json!({
        "aclTest": { "primary": text },
        "ce": { "primary": [{ "name": "ce.txt", "text": text }] },
    });
    let bytes = serde_json::to_vec(&v).expect("serializes");
    let snapshot = erdiag_model::Snapshot::from_slice(&bytes).expect("a valid envelope");
    let Ok(state) = snapshot.decode() else { return };
    let Ok(ce) = erdiag_checks::ce::read(&state) else { return };
    let report = erdiag_checks::diagnose_with(&state, &ce, &erdiag_checks::Options::default());
    let _ = erdiag_render::json(&report);
});
