#![no_main]
//! Any bytes as `erdiag diagnose --snapshot` reads them: the envelope, the
//! typed decode, the CE cross-check, every check and the JSON report.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(snapshot) = erdiag_model::Snapshot::from_slice(data) else { return };
    let Ok(state) = snapshot.decode() else { return };
    let Ok(ce) = erdiag_checks::ce::read(&state) else { return };
    let report = erdiag_checks::diagnose_with(&state, &ce, &erdiag_checks::Options::default());
    let _ = erdiag_render::json(&report);
});
