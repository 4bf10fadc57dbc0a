//! Lines and whitespace-separated tokens with their character columns, and
//! the small value parsers every dialect shares (ASNs, VLAN tags, netmasks).

use crate::{ConfigError, Span};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr};

/// Tokens kept per line: a configuration statement never has more. The rest
/// of a longer line is still available raw ([`Line::rest`]).
pub(crate) const MAX_TOKENS: usize = 64;

/// The lines of the input, numbered from 1, without their `\r\n`. Every
/// parser and [`crate::render_diagnostic`] number lines this way.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n').enumerate().map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
}

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

    pub fn spanned(&self, i: usize) -> crate::Spanned<String> {
        crate::Spanned::new(self.word(i).to_string(), self.span(i))
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

/// An AS number, asplain (`65020`) or asdot (`1.10` = 65546).
pub(crate) fn parse_asn(s: &str) -> Option<u32> {
    let digits = |x: &str| !x.is_empty() && x.len() <= 10 && x.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((hi, lo)) if digits(hi) && digits(lo) => {
            let (hi, lo) = (hi.parse::<u16>().ok()?, lo.parse::<u16>().ok()?);
            Some(u32::from(hi) << 16 | u32::from(lo))
        }
        Some(_) => None,
        None if digits(s) => s.parse().ok(),
        None => None,
    }
}

/// A number made only of ASCII digits (no sign).
pub(crate) fn parse_u32(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An 802.1Q tag, 0–4095. Junos writes an outer tag with its TPID
/// (`0x8100.100`): the part after the dot.
pub(crate) fn parse_vlan(s: &str) -> Option<u16> {
    let s = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(r) => r.split_once('.')?.1,
        None => s,
    };
    parse_u32(s).filter(|&v| v <= 4095).map(|v| v as u16)
}

/// `A.B.C.D M.M.M.M` → A.B.C.D/len (host bits kept).
pub(crate) fn addr_mask(addr: &str, mask: &str) -> Option<IpNet> {
    let a: Ipv4Addr = addr.parse().ok()?;
    let m: Ipv4Addr = mask.parse().ok()?;
    let bits = u32::from(m);
    let len = bits.leading_ones();
    if bits.checked_shl(len).unwrap_or(0) != 0 {
        return None; // not contiguous
    }
    IpNet::new(IpAddr::V4(a), len as u8).ok()
}

/// `A.B.C.D/L` or `X:X::X/L`.
pub(crate) fn parse_net(s: &str) -> Option<IpNet> {
    s.parse().ok()
}

/// The classful network of a `network A.B.C.D` without a mask.
pub(crate) fn classful(addr: &str) -> Option<IpNet> {
    let a: Ipv4Addr = addr.parse().ok()?;
    let len = match a.octets()[0] {
        0..=127 => 8,
        128..=191 => 16,
        _ => 24,
    };
    IpNet::new(IpAddr::V4(a), len).ok()
}

/// A token quoted in a message: at most 40 characters, secrets masked.
pub(crate) fn quote(s: &str) -> String {
    let s = crate::diagnostic::redact_secrets(s);
    let mut q: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        q.push('…');
    }
    q
}

/// Descriptions are kept up to this many characters.
pub(crate) const MAX_TEXT: usize = 1024;

pub(crate) fn clip(s: &str) -> String {
    if s.len() <= MAX_TEXT {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(MAX_TEXT).collect();
        c.push('…');
        c
    }
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

    #[test]
    fn asn_forms() {
        assert_eq!(parse_asn("65020"), Some(65020));
        assert_eq!(parse_asn("1.10"), Some(65546));
        assert_eq!(parse_asn("4294967295"), Some(u32::MAX));
        assert_eq!(parse_asn("4294967296"), None);
        assert_eq!(parse_asn("+5"), None);
        assert_eq!(parse_asn("65536.1"), None);
        assert_eq!(parse_asn("1."), None);
    }

    #[test]
    fn masks() {
        assert_eq!(addr_mask("172.16.0.1", "255.255.255.252").unwrap().to_string(), "172.16.0.1/30");
        assert_eq!(addr_mask("10.0.0.0", "0.0.0.0").unwrap().to_string(), "10.0.0.0/0");
        assert_eq!(addr_mask("10.0.0.0", "255.255.255.255").unwrap().to_string(), "10.0.0.0/32");
        assert!(addr_mask("10.0.0.0", "255.0.255.0").is_none());
        assert!(addr_mask("10.0.0.0", "0.0.0.255").is_none());
    }

    #[test]
    fn vlans() {
        assert_eq!(parse_vlan("200"), Some(200));
        assert_eq!(parse_vlan("0x8100.100"), Some(100));
        assert_eq!(parse_vlan("4096"), None);
        assert_eq!(parse_vlan("100-200"), None);
    }
}
