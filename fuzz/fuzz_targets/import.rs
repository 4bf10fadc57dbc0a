#![no_main]
//! Any bytes as `erdiag import FILE` reads them: the text decoding (UTF-8,
//! UTF-16 with a byte-order mark), the kind's detection and the conversion
//! to a snapshot, which must then decode.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = erdiag_import::read_text("input.txt", data) else { return };
    let input = erdiag_import::Input::new("input.txt", text);
    let options = erdiag_import::Options {
        circuit_id: Some("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c".into()),
        ..Default::default()
    };
    let Ok(imported) = erdiag_import::import(&[input], &options) else { return };
    let bytes = serde_json::to_vec(&imported.snapshot).expect("serializes");
    let _ = erdiag_model::Snapshot::from_slice(&bytes).and_then(|s| s.decode().map(|_| ()));
});
