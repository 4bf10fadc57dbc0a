//! Data made harmless for the text outputs. Whatever a snapshot, a CE text
//! or an ACL test holds reaches the table, the markdown and the error
//! messages through one of these functions: on a terminal, control
//! characters (escape sequences, carriage returns, C1 controls, bidi
//! overrides and isolates, zero-width characters) are shown as `\x1b`-style
//! text, never sent; in markdown, data is text, never structure, a link or
//! HTML; in JSON, the invisible ones serde_json leaves raw are `\uXXXX`.

use std::borrow::Cow;

/// A character a terminal would act on rather than show.
fn is_control(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// A character that is not shown but changes what is shown: C1 controls
/// and DEL, bidi embeddings, overrides, isolates and marks, zero-width
/// characters, invisible operators, the byte-order mark, interlinear
/// annotations and the line and paragraph separators.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}')
}

/// JSON text as `serde_json` writes it, with the characters it leaves
/// as they are but that would act on a reader's screen ([`is_invisible`])
/// written as `\uXXXX`. They can only stand inside strings (JSON's own
/// syntax is ASCII), so the value read back is the same.
pub fn json_text(s: String) -> String {
    if !s.chars().any(is_invisible) {
        return s;
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_invisible(c) {
            o.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            o.push(c);
        }
    }
    o
}

fn push_escaped(o: &mut String, c: char) {
    if (c as u32) < 0x100 {
        o.push_str(&format!("\\x{:02x}", c as u32));
    } else {
        o.push_str(&format!("\\u{{{:x}}}", c as u32));
    }
}

/// Text for a terminal: line breaks kept, tabs as spaces, every other control
/// character shown escaped.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => o.push('\n'),
            '\t' => o.push(' '),
            c if is_control(c) => push_escaped(&mut o, c),
            c => o.push(c),
        }
    }
    Cow::Owned(o)
}

/// One line of a terminal table: as [`terminal`], and a line break shown as
/// `\x0a`, so a value cannot add rows.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    match terminal(s) {
        Cow::Borrowed(b) if !b.contains('\n') => Cow::Borrowed(b),
        t => Cow::Owned(t.replace('\n', "\\x0a")),
    }
}

/// Markdown inline text: the metacharacters of emphasis, code, links and
/// tables backslash-escaped, `<`, `>` and `&`
/// as entities (no HTML, no autolink), line breaks as spaces, controls
/// escaped. Safe inside a table cell.
pub fn markdown(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '|' => {
                o.push('\\');
                o.push(c);
            }
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\n' | '\r' | '\t' => o.push(' '),
            c if is_control(c) => push_escaped(&mut o, c),
            c => o.push(c),
        }
    }
    o
}

/// A markdown code span of `s`: a backtick fence longer than any run inside,
/// line breaks as spaces, controls escaped; `|` escaped when `in_table`
/// (GitHub reads a cell's `|` before the code span).
pub fn code(s: &str, in_table: bool) -> String {
    let mut body = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => body.push(' '),
            '|' if in_table => body.push_str("\\|"),
            c if is_control(c) => push_escaped(&mut body, c),
            c => body.push(c),
        }
    }
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_controls() {
        assert_eq!(terminal("a\x1b[2Jb\r\u{9b}c\u{202e}d\n"), "a\\x1b[2Jb\\x0d\\x9bc\\u{202e}d\n");
        assert!(matches!(terminal("plain · text\n"), Cow::Borrowed(_)));
        assert_eq!(terminal_line("a\nb"), "a\\x0ab");
    }

    #[test]
    fn markdown_is_text() {
        assert_eq!(markdown("a|b\n[x](javascript:alert(1)) <img>"), "a\\|b \\[x\\](javascript:alert(1)) &lt;img&gt;");
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`a|", true), "`` `a\\| ``");
    }
}
