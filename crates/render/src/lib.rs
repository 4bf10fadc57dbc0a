//! Renders an `erdiag-report/1` report: a terminal table, the JSON contract,
//! or a support-ticket markdown. Renderers only read the report; they decide
//! nothing. Colour is a parameter: the CLI decides whether to use it, and
//! meaning is never carried by colour alone.

mod markdown;
mod table;

pub use markdown::markdown;
pub use table::table;

use erdiag_checks::Report;

/// The `erdiag-report/1` JSON, pretty-printed, with a final newline.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}

pub(crate) fn points(ps: &[u8]) -> String {
    ps.iter().map(|p| format!("{p} {}", erdiag_checks::report::point_name(*p))).collect::<Vec<_>>().join(", ")
}

pub(crate) fn scope_words(peering: &Option<String>, path: Option<erdiag_model::DevicePath>) -> String {
    match (peering, path) {
        (Some(p), Some(d)) => format!("{p}, {d} path"),
        (Some(p), None) => format!("{p}, both paths"),
        (None, Some(d)) => format!("{d} path"),
        (None, None) => "the whole circuit".to_string(),
    }
}
