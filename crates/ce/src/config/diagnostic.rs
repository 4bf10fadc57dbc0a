//! Compiler-style snippets pointing at a span of a configuration, with
//! secrets masked by erdiag's one policy (`erdiag_model::secrets`).
//!
//! ```text
//!   --> ce-primary.cfg:14:22
//!    |
//! 14 |  encapsulation dot1Q 201
//!    |                      ^^^ Azure expects 200
//! ```
//!
//! Plain text: colour is the CLI's business.

use super::Span;
use erdiag_model::secrets::{secret_ranges, REDACTED};
use std::borrow::Cow;

/// `line` with any password, secret, key or hash value replaced by
/// `<redacted>`: erdiag's one policy (`erdiag_model::secrets`).
pub fn redact_secrets(line: &str) -> Cow<'_, str> {
    erdiag_model::secrets::redact_line(line)
}

/// A compiler-style snippet of `text` at `span` with `message` (see the
/// module documentation). Secrets on the line are masked; a span past the
/// end of the text prints the location and the message without a snippet.
pub fn render_diagnostic(file: &str, text: &str, span: Span, message: &str) -> String {
    let width = span.line.max(1).to_string().len();
    let pad = " ".repeat(width);
    let mut s = format!("{pad}--> {file}:{}:{}\n", span.line, span.column);
    let line = span.line.checked_sub(1).and_then(|i| crate::text::lines(text).nth(i)).map(|(_, l)| l);
    let Some(line) = line else {
        s.push_str(&format!("{pad} = {message}\n"));
        return s;
    };
    s.push_str(&format!("{pad} |\n"));

    // The line as shown: secret masked, control characters made harmless
    // (one character each, so columns hold).
    let (shown, start, end) = {
        let start = span.column.saturating_sub(1);
        let end = start + span.len.max(1);
        // Each masked range, in characters: (start, length) in the line.
        let masked: Vec<(usize, usize)> = secret_ranges(line).into_iter().filter(|(a, b)| b > a).map(|(a, b)| (line[..a].chars().count(), line[a..b].chars().count())).collect();
        let nl = REDACTED.chars().count();
        // A column of the line → the column shown; a column inside a mask
        // goes to the mask's start (`inside_end` false) or end.
        let map = |c: usize, inside_end: bool| {
            let mut shift = 0isize;
            for &(rs, rl) in &masked {
                if c < rs || (inside_end && c == rs) {
                    break;
                }
                if c < rs + rl || (inside_end && c == rs + rl) {
                    return (rs as isize + shift) as usize + if inside_end { nl } else { 0 };
                }
                shift += nl as isize - rl as isize;
            }
            (c as isize + shift).max(0) as usize
        };
        (redact_secrets(line).into_owned(), map(start, false), map(end, true))
    };
    let shown: Vec<char> = shown
        .chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();

    // A long line is shown as a window around the span.
    let total = shown.len();
    let (ws, we) = if total > 200 {
        let ws = start.saturating_sub(60).min(total);
        (ws, total.min((ws + 160).max(end.min(ws + 400))))
    } else {
        (0, total)
    };
    let mut body: String = shown[ws..we].iter().collect();
    let mut offset = start.saturating_sub(ws);
    if ws > 0 {
        body.insert(0, '…');
        offset += 1;
    }
    if we < total {
        body.push('…');
    }
    let carets = end.saturating_sub(start).clamp(1, 400);
    s.push_str(&format!("{:>width$} | {}\n", span.line, body.trim_end()));
    s.push_str(&format!("{pad} | {}{}", " ".repeat(offset), "^".repeat(carets)));
    if !message.is_empty() {
        s.push(' ');
        s.push_str(message);
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example() {
        let text = (1..14).map(|i| format!("! line {i}\n")).collect::<String>() + " encapsulation dot1Q 201\n";
        let d = render_diagnostic("ce-primary.cfg", &text, Span::new(14, 22, 3), "Azure expects 200");
        assert_eq!(d, "  --> ce-primary.cfg:14:22\n   |\n14 |  encapsulation dot1Q 201\n   |                      ^^^ Azure expects 200\n");
    }

    #[test]
    fn secrets_are_masked() {
        for (line, shown) in [
            (" neighbor 172.16.0.2 password 7 0822455D0A16", " neighbor 172.16.0.2 password 7 <redacted>"),
            (" neighbor 172.16.0.2 password my secret key", " neighbor 172.16.0.2 password <redacted>"),
            ("    password 3 8ef4d1f2a5", "    password 3 <redacted>"),
            ("  password encrypted 0822455D0A16", "  password encrypted <redacted>"),
            (
                "                authentication-key \"$9$abcDEF\"; ## SECRET-DATA",
                "                authentication-key <redacted>; ## SECRET-DATA",
            ),
            (
                "set protocols bgp group AZ neighbor 172.16.0.2 authentication-key \"$9$x y\"",
                "set protocols bgp group AZ neighbor 172.16.0.2 authentication-key <redacted>",
            ),
            (" secret 5 $1$GKmG$57GfSEcI.8xcdv.Ei0qSo1", " secret 5 <redacted>"),
            ("enable secret 9 $9$abc", "enable secret 9 <redacted>"),
            ("snmp-server community s3cr3t RO", "snmp-server community <redacted>"),
            ("encrypted-password \"$6$abc\";", "encrypted-password <redacted>;"),
        ] {
            assert_eq!(redact_secrets(line), shown, "{line}");
        }
        assert_eq!(redact_secrets(" neighbor 172.16.0.2 remote-as 12076"), " neighbor 172.16.0.2 remote-as 12076");
        assert_eq!(redact_secrets(" set community 12076:5010"), " set community 12076:5010");
    }

    #[test]
    fn carets_follow_the_mask() {
        let text = " neighbor 172.16.0.2 password 7 0822455D0A16 \n";
        // The keyword.
        let d = render_diagnostic("f", text, Span::new(1, 22, 8), "MD5 set here");
        assert!(!d.contains("0822455D0A16"), "{d}");
        assert!(d.contains("1 |  neighbor 172.16.0.2 password 7 <redacted>\n"), "{d}");
        assert!(d.ends_with("  |                      ^^^^^^^^ MD5 set here\n"), "{d}");
        // The value itself.
        let d = render_diagnostic("f", text, Span::new(1, 33, 12), "");
        assert!(!d.contains("0822455D0A16"), "{d}");
        assert!(d.ends_with(&format!("  | {}{}\n", " ".repeat(32), "^".repeat(10))), "{d}");
    }

    #[test]
    fn out_of_range_and_empty() {
        let d = render_diagnostic("f", "a\n", Span::new(9, 1, 1), "no such line");
        assert_eq!(d, " --> f:9:1\n  = no such line\n");
        let d = render_diagnostic("f", "", Span::new(0, 0, 0), "x");
        assert_eq!(d, " --> f:0:0\n  = x\n");
        let d = render_diagnostic("f", "abc\n", Span::new(1, 10, 0), "");
        assert_eq!(d, " --> f:1:10\n  |\n1 | abc\n  |          ^\n");
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = format!("{}TARGET{}", "x".repeat(500), "y".repeat(500));
        let d = render_diagnostic("f", &line, Span::new(1, 501, 6), "here");
        let rows: Vec<&str> = d.lines().collect();
        let code = rows[2].strip_prefix("1 | ").unwrap();
        let carets = rows[3].strip_prefix("  | ").unwrap();
        let at = carets.find('^').unwrap();
        assert_eq!(code.chars().skip(at).take(6).collect::<String>(), "TARGET");
        assert!(code.chars().count() < 200);
    }
}
