//! Renders an `erdiag-report/1` report: a terminal table, the JSON contract,
//! a support-ticket markdown (with the diagram as Mermaid), a self-contained
//! HTML page, or the guide's diagram alone as SVG. Renderers only read the
//! report; they decide nothing. Colour is a parameter: the CLI decides whether
//! to use it, and meaning is never carried by colour alone.

pub mod dashboard;
pub mod diff;
pub mod escape;
pub mod fleet;
pub mod history;
mod html;
mod markdown;
mod mermaid;
mod svg;
mod table;

pub use html::html;
pub use markdown::markdown;
pub use svg::svg;
pub use table::table;

use erdiag_checks::{Coverage, Report};

/// The `erdiag-report/1` JSON, pretty-printed, with a final newline.
/// Invisible and bidi characters of the input are written as `\uXXXX`
/// ([`escape::json_text`]).
pub fn json(report: &Report) -> String {
    let mut s = escape::json_text(serde_json::to_string_pretty(report).expect("a report always serializes"));
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

/// The coverage as a headline (`verified 27 of 31 checks`) and one labelled
/// line per check not verified, accepted unverified, or awaiting an input.
pub(crate) fn coverage_lines(c: &Coverage) -> (String, Vec<(&'static str, String)>) {
    let head = format!("verified {} of {} checks that apply", c.verified, c.applicable);
    let mut lines = Vec::new();
    for g in &c.not_verified {
        // A permission speaks for itself; other gaps need their reason (the
        // finding above has it whole).
        let text = if g.fix.starts_with("needs ") { g.fix.clone() } else { format!("{} — {}", fit(&g.reason, 120), g.fix) };
        lines.push(("not verified", format!("{} {}: {text}", g.id, g.title)));
    }
    for g in &c.accepted {
        lines.push(("accepted", format!("{} {}: {}", g.id, g.title, g.reason)));
    }
    for g in &c.not_supplied {
        lines.push(("not supplied", format!("{} {}: {}", g.id, g.title, g.reason)));
    }
    (head, lines)
}

/// The text with its first letter in upper case, to start a sentence.
pub(crate) fn sentence(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Escapes text for XML and HTML, in content and in quoted attributes.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Shortens text to at most `max` characters, ending with an ellipsis.
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The short name of a network point in a drawing (the report's
/// `point_name` says "PE (facing CE)" where the drawing has room for "PE").
pub(crate) fn drawn_point_name(p: u8) -> &'static str {
    // The guide's name without its gloss: "PE (facing CE)" is drawn "PE".
    let name = erdiag_checks::report::point_name(p);
    name.split_once(" (").map_or(name, |(short, _)| short)
}

/// A short name of a peering for a drawing.
pub(crate) fn short_peering(name: &str) -> &str {
    match name.to_ascii_lowercase().as_str() {
        "azureprivatepeering" => "Private",
        "microsoftpeering" => "Microsoft",
        "azurepublicpeering" => "Public",
        _ => name,
    }
}

#[cfg(test)]
mod tests;
