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
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let lower = l.to_ascii_lowercase();
        let dir_received = lower.contains("(received)");
        let dir_sent = lower.contains("(sent)");
        if dir_received == dir_sent {
            return Err((i + 1, format!("expected `(received)` or `(sent)` in `{l}`")));
        }
        let count = lower
            .rsplit_once(':')
            .map(|(_, r)| r.trim())
            .and_then(|r| r.strip_suffix("matches").or_else(|| r.strip_suffix("match")))
            .map(str::trim)
            .and_then(|n| n.replace(',', "").parse::<u64>().ok())
            .ok_or_else(|| (i + 1, format!("expected `: N matches` at the end of `{l}`")))?;
        let slot = if dir_received { &mut out.received } else { &mut out.sent };
        *slot = Some(slot.unwrap_or(0) + count);
        out.lines.push(l.to_string());
    }
    if out.lines.is_empty() {
        return Err((1, "no counter lines".to_string()));
    }
    Ok(out)
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
}
