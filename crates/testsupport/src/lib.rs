//! What erdiag's test suites share, as a dev-dependency only: finding the
//! conformance corpus (real data written by others, `ERDIAG_CORPUS`, which
//! `.ci/run` points at `../shared/corpus`), and reading its AMBA alert
//! definitions ([`amba_alerts`]).
//!
//! The rule every conformance test keeps: without the corpus the test is
//! skipped with a visible notice (a user's fresh clone), except under `CI`,
//! where a missing corpus is a failure; a corpus without the folder a test
//! reads is a mistake, never a skip.

use std::collections::HashMap;
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

/// One alert of an AMBA `alerts.yaml`: its name and its `properties`, as strings.
#[derive(Debug)]
pub struct AmbaAlert {
    pub name: String,
    pub properties: HashMap<String, String>,
}

/// A line reader for AMBA's `alerts.yaml` files: each alert starts with
/// `- name:` at the left margin, and its `properties` are the `key: value`
/// lines indented by four spaces under `  properties:`.
pub fn amba_alerts(text: &str) -> Vec<AmbaAlert> {
    let mut out: Vec<AmbaAlert> = Vec::new();
    let mut in_properties = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("- name: ") {
            out.push(AmbaAlert { name: unquote(name), properties: HashMap::new() });
            in_properties = false;
        } else if line.starts_with("  ") && !line.starts_with("   ") {
            in_properties = line.trim_end() == "  properties:";
        } else if in_properties && line.starts_with("    ") && !line.starts_with("     ") {
            if let (Some(alert), Some((k, v))) = (out.last_mut(), line.trim().split_once(':')) {
                alert.properties.insert(k.trim().to_string(), unquote(v));
            }
        }
    }
    out
}

fn unquote(v: &str) -> String {
    v.trim().trim_matches('"').trim_matches('\'').to_string()
}

#[cfg(test)]
mod tests {
    use super::amba_alerts;

    #[test]
    fn the_amba_reader_reads_an_alert_and_its_properties_only() {
        let a = amba_alerts("- name: BgpAvailability\n  description: x\n  properties:\n    metricName: BgpAvailability\n    threshold: 90\n    failingPeriods:\n      numberOfEvaluationPeriods: 4\n  references:\n  - name: Monitor\n    url: https://x\n- name: \"Other\"\n  properties:\n    operator: GreaterThan\n");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].properties.get("threshold").map(String::as_str), Some("90"));
        assert!(!a[0].properties.contains_key("numberOfEvaluationPeriods") && !a[0].properties.contains_key("url"));
        assert_eq!((a[1].name.as_str(), a[1].properties["operator"].as_str()), ("Other", "GreaterThan"));
    }
}
