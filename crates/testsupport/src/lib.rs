//! What erdiag's test suites share, as a dev-dependency only: finding the
//! conformance corpus (real data written by others, `ERDIAG_CORPUS`, which
//! `.ci/run` points at `../shared/corpus`).
//!
//! The rule every conformance test keeps: without the corpus the test is
//! skipped with a visible notice (a user's fresh clone), except under `CI`,
//! where a missing corpus is a failure; a corpus without the folder a test
//! reads is a mistake, never a skip.

use std::io::Write;
use std::path::PathBuf;

/// `$ERDIAG_CORPUS`, or `None` after a notice that `skipping` is skipped.
/// The notice goes to the real stderr, past the test harness's capture, so
/// that the skip is visible in a plain `cargo test`. No `CI` rule: for tests
/// that only add cases when the corpus is there.
pub fn corpus_root(skipping: &str) -> Option<PathBuf> {
    let root = std::env::var_os("ERDIAG_CORPUS").map(PathBuf::from);
    if root.is_none() {
        let _ = writeln!(std::io::stderr(), "NOTICE: ERDIAG_CORPUS is not set: skipping {skipping} (see CONTRIBUTING.md)");
    }
    root
}

/// `$ERDIAG_CORPUS/<folder>` for a conformance test: `None` (after the
/// notice) only outside `CI`; it panics when `CI` is set without the corpus,
/// or when the corpus lacks `folder`.
pub fn corpus(folder: &str, skipping: &str) -> Option<PathBuf> {
    if std::env::var_os("ERDIAG_CORPUS").is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI is set but ERDIAG_CORPUS is not: the conformance corpus must be tested in CI");
    }
    let dir = corpus_root(skipping)?.join(folder);
    assert!(dir.is_dir(), "ERDIAG_CORPUS is set but {} is not a folder", dir.display());
    Some(dir)
}
