//! Lines of a configuration split into whitespace-separated tokens with
//! their character columns (every [`Span`] is made here), the refusal of
//! binary input, and how a token is quoted in a message.

use crate::config::{ConfigError, Span, Spanned};

/// Tokens kept per line: a configuration statement never has more. The rest
/// of a longer line is still available raw ([`Line::rest`]).
pub(crate) const MAX_TOKENS: usize = 64;

/// A token: its text, 1-based character column and length in characters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'a> {
    pub s: &'a str,
    pub col: usize,
    pub len: usize,
    /// Byte offset in the line.
    pub byte: usize,
}

/// One line of an IOS-like configuration.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
    /// Leading whitespace, in characters.
    pub indent: usize,
    pub toks: Vec<Tok<'a>>,
}

impl<'a> Line<'a> {
    pub fn new(no: usize, text: &'a str) -> Line<'a> {
        let toks = split_ws(text);
        let indent = toks.first().map_or(0, |t| t.col - 1);
        Line { no, text, indent, toks }
    }

    /// The token at `i`, or `""`.
    pub fn word(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.s)
    }

    pub fn is(&self, i: usize, w: &str) -> bool {
        self.word(i).eq_ignore_ascii_case(w)
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn span(&self, i: usize) -> Span {
        self.span_range(i, i)
    }

    /// From the start of token `i` to the end of token `j` (clamped).
    pub fn span_range(&self, i: usize, j: usize) -> Span {
        let last = self.toks.len().saturating_sub(1);
        let (i, j) = (i.min(last), j.min(last).max(i.min(last)));
        match (self.toks.get(i), self.toks.get(j)) {
            (Some(a), Some(b)) => Span::new(self.no, a.col, b.col + b.len - a.col),
            _ => Span::new(self.no, 1, 0),
        }
    }

    /// From token `i` to the end of the line's text.
    pub fn span_from(&self, i: usize) -> Span {
        match self.toks.get(i) {
            Some(a) => Span::new(self.no, a.col, self.rest(i).chars().count()),
            None => Span::new(self.no, 1, 0),
        }
    }

    /// The raw text from token `i` to the end of the line, trailing
    /// whitespace removed.
    pub fn rest(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| self.text[t.byte..].trim_end())
    }

    pub fn spanned(&self, i: usize) -> Spanned<String> {
        Spanned::new(self.word(i).to_string(), self.span(i))
    }
}

/// Whitespace-separated tokens (at most [`MAX_TOKENS`]).
pub(crate) fn split_ws(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, col)
    let mut col = 0;
    for (b, c) in text.char_indices() {
        col += 1;
        if c.is_whitespace() {
            if let Some((sb, sc)) = start.take() {
                toks.push(Tok { s: &text[sb..b], col: sc, len: col - sc, byte: sb });
                if toks.len() == MAX_TOKENS {
                    return toks;
                }
            }
        } else if start.is_none() {
            start = Some((b, col));
        }
    }
    if let Some((sb, sc)) = start {
        toks.push(Tok { s: &text[sb..], col: sc, len: col + 1 - sc, byte: sb });
    }
    toks
}

/// Refuses what is not text: a NUL, or many control or replacement
/// characters (what a lossy UTF-8 decoding of binary data leaves).
pub(crate) fn check_binary(text: &str) -> Result<(), ConfigError> {
    let hint = Some("pass the configuration as text: the output of `show running-config` (Junos: `show configuration`)".to_string());
    if let Some(pos) = text.as_bytes().iter().position(|&b| b == 0) {
        let line = text.as_bytes()[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(ConfigError::new(Some(line), "the input holds binary data (a NUL byte): this is not a router configuration", hint));
    }
    let mut odd = 0usize;
    let mut total = 0usize;
    let mut first_odd_line = None;
    let mut line = 1;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        if c == '\n' {
            line += 1;
        } else if (c.is_control() && !matches!(c, '\t' | '\r' | '\x0c' | '\x1b')) || c == '\u{fffd}' {
            odd += 1;
            first_odd_line.get_or_insert(line);
        }
    }
    if odd * 10 > total && odd >= 8 {
        return Err(ConfigError::new(
            first_odd_line,
            "the input holds binary data (control bytes or invalid UTF-8): this is not a router configuration",
            hint,
        ));
    }
    Ok(())
}

/// A token quoted in a message: at most 40 characters, secrets masked.
pub(crate) fn quote(s: &str) -> String {
    let s = erdiag_model::secrets::redact_line(s);
    let mut q: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        q.push('…');
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_char_columns() {
        let l = Line::new(3, "  descr ü x\tyz ");
        let t: Vec<_> = l.toks.iter().map(|t| (t.s, t.col, t.len)).collect();
        assert_eq!(t, vec![("descr", 3, 5), ("ü", 9, 1), ("x", 11, 1), ("yz", 13, 2)]);
        assert_eq!(l.indent, 2);
        assert_eq!(l.span_range(1, 3), Span::new(3, 9, 6));
        assert_eq!(l.rest(1), "ü x\tyz");
    }
}
