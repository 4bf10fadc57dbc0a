//! A snapshot against itself: no change, and nothing but rates.

use erdiag_model::Snapshot;

#[test]
fn a_snapshot_against_itself_is_no_change() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/healthy-private/snapshot.json")).unwrap();
    let s = Snapshot::from_slice(&bytes).unwrap();
    let d = erdiag_diff::diff_snapshots(&s, &s).unwrap();
    assert!(d.is_empty(), "{:#?}", d.changes);
    assert_eq!(d.count(), 0);
    assert_eq!(d.format, "erdiag-diff/1");
    assert_eq!(d.interval_secs, None, "the same time twice is no interval");
}
