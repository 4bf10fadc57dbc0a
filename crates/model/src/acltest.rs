//! The text the portal's "Test private-peering connectivity" prints per MSEE,
//! in the guide's form:
//!
//! ```text
//! src 10.0.0.0 dst 20.0.0.0 dstport 3389 (received): 120 matches
//! src 20.0.0.0 srcport 3389 dst 10.0.0.0 (sent): 120 matches
//! ```

use serde::Serialize;

/// One MSEE's ACL counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AclCounters {
    /// Packets that arrived at the MSEE from on-premises, summed over rules.
    pub received: Option<u64>,
    /// Packets the MSEE sent towards on-premises, summed over rules.
    pub sent: Option<u64>,
    /// The rule lines as given, for evidence.
    pub lines: Vec<String>,
}

/// Parses one MSEE's text. Blank lines are ignored; any other line must be a
/// counter line. The error names the 1-based line.
pub fn parse_acl_test(text: &str) -> Result<AclCounters, (usize, String)> {
    let mut out = AclCounters::default();
    for (i, line) in text.lines().enumerate() {
        let l = crate::secrets::redact_line(line.trim());
        let l = l.as_ref();
        if l.is_empty() {
            continue;
        }
        let lower = l.to_ascii_lowercase();
        let dir_received = lower.contains("(received)");
        let dir_sent = lower.contains("(sent)");
        if dir_received == dir_sent {
            return Err((i + 1, format!("expected `(received)` or `(sent)` in `{}`", snippet(l))));
        }
        let count = lower
            .rsplit_once(':')
            .map(|(_, r)| r.trim())
            .and_then(|r| r.strip_suffix("matches").or_else(|| r.strip_suffix("match")))
            .map(str::trim)
            .and_then(|n| n.replace(',', "").parse::<u64>().ok())
            .ok_or_else(|| (i + 1, format!("expected `: N matches` at the end of `{}`", snippet(l))))?;
        let slot = if dir_received { &mut out.received } else { &mut out.sent };
        let sum = slot.unwrap_or(0).checked_add(count).ok_or_else(|| (i + 1, "the counters add up to more than 2^64-1 matches".to_string()))?;
        *slot = Some(sum);
        out.lines.push(l.to_string());
    }
    if out.lines.is_empty() {
        return Err((1, "no counter lines".to_string()));
    }
    Ok(out)
}

/// A line as an error may quote it: at most 80 characters, control
/// characters escaped.
fn snippet(line: &str) -> String {
    const MAX: usize = 80;
    let mut s: String = line.chars().take(MAX).flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect();
    if line.chars().nth(MAX).is_some() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_example() {
        let c = parse_acl_test(
            "src 10.0.0.0 dst 20.0.0.0 dstport 3389 (received): 120 matches\nsrc 20.0.0.0 srcport 3389 dst 10.0.0.0 (sent): 120 matches\n",
        )
        .unwrap();
        assert_eq!((c.received, c.sent), (Some(120), Some(120)));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_acl_test("src a dst b (received): 1 matches\nsomething else").unwrap_err();
        assert_eq!(e.0, 2);
        assert!(parse_acl_test("").is_err());
    }

    #[test]
    fn counters_that_overflow_are_an_error() {
        let text = format!("a (received): {} matches\nb (received): 1 matches\n", u64::MAX);
        assert_eq!(parse_acl_test(&text).unwrap_err().0, 2);
    }

    #[test]
    fn errors_quote_a_short_escaped_snippet() {
        let long = format!("\x1b[31m{}", "x".repeat(10_000));
        let (_, msg) = parse_acl_test(&long).unwrap_err();
        assert!(msg.len() < 200, "{}", msg.len());
        assert!(!msg.contains('\x1b'), "{msg}");
    }
}
