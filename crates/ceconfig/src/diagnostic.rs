//! Compiler-style snippets pointing at a span of a configuration, and the
//! masking of secrets on any line erdiag shows.
//!
//! ```text
//!   --> ce-primary.cfg:14:22
//!    |
//! 14 |  encapsulation dot1Q 201
//!    |                      ^^^ Azure expects 200
//! ```
//!
//! Plain text: colour is the CLI's business.

use crate::text::split_ws;
use crate::Span;
use std::borrow::Cow;

const REDACTED: &str = "<redacted>";

/// Keywords followed (after an optional encryption type) by a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "authentication-key",
    "key-string",
    "key",
    "encrypted-password",
    "pre-shared-key",
    "ascii-text",
    "hexadecimal",
    "auth-password",
    "priv-password",
    "shared-secret",
    "md5",
];

/// Encryption types written between the keyword and the secret.
const SECRET_TYPES: &[&str] = &["0", "3", "5", "6", "7", "8", "9", "clear", "encrypted", "hidden", "md5", "ascii-text", "hexadecimal"];

/// Where the secret of a line is: (byte start, byte end), or `None`.
fn secret_range(line: &str) -> Option<(usize, usize)> {
    let toks = split_ws(line);
    let snmp = toks.iter().any(|t| t.s == "snmp-server" || t.s == "snmp");
    for (k, t) in toks.iter().enumerate() {
        let w = t.s.trim_end_matches(';').to_ascii_lowercase();
        let keyword = SECRET_WORDS.contains(&w.as_str()) || (snmp && w == "community");
        if !keyword {
            continue;
        }
        let mut v = k + 1;
        while v + 1 < toks.len() && SECRET_TYPES.contains(&toks[v].s) {
            v += 1;
        }
        let vt = toks.get(v)?;
        if vt.s == "{" || vt.s == ";" {
            return None;
        }
        return Some((vt.byte, vt.byte + value_len(&line[vt.byte..])));
    }
    // A Junos or crypt(3) hash without a keyword we know.
    toks.iter()
        .find(|t| ["$9$", "$1$", "$5$", "$6$", "$8$"].iter().any(|m| t.s.trim_start_matches('"').starts_with(m)))
        .map(|t| (t.byte, t.byte + value_len(&line[t.byte..])))
}

/// The length of a secret value that starts `rest`: to the end of the line,
/// less a Junos trailing `;` and `## SECRET-DATA` comment.
fn value_len(rest: &str) -> usize {
    let mut end = rest.trim_end().len();
    if let Some(p) = rest.find(" ##").or_else(|| rest.find("\t##")) {
        end = end.min(rest[..p].trim_end().len());
    }
    let v = rest[..end].trim_end();
    v.strip_suffix(';').map_or(v.len(), |s| s.trim_end().len())
}

/// `line` with any password, secret, key or hash value replaced by
/// `<redacted>`.
pub fn redact_secrets(line: &str) -> Cow<'_, str> {
    match secret_range(line) {
        Some((a, b)) if b > a => Cow::Owned(format!("{}{REDACTED}{}", &line[..a], &line[b..])),
        _ => Cow::Borrowed(line),
    }
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
        match secret_range(line) {
            Some((a, b)) if b > a => {
                let rs = line[..a].chars().count();
                let rl = line[a..b].chars().count();
                let nl = REDACTED.chars().count();
                let map_start = |c: usize| {
                    if c < rs {
                        c
                    } else if c < rs + rl {
                        rs
                    } else {
                        c - rl + nl
                    }
                };
                let map_end = |c: usize| {
                    if c <= rs {
                        c
                    } else if c <= rs + rl {
                        rs + nl
                    } else {
                        c - rl + nl
                    }
                };
                (format!("{}{REDACTED}{}", &line[..a], &line[b..]), map_start(start), map_end(end))
            }
            _ => (line.to_string(), start, end),
        }
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
