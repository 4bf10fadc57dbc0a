//! The text helpers every parser shares, configurations and show outputs
//! alike: the lines of an input, a cursor over one line ([`Cur`]) and token
//! predicates (hand-written matchers standing in for the regular
//! expressions of the templates), and the value parsers (ASNs, VLAN tags,
//! netmasks, prefixes).
//!
//! `\s` is Unicode whitespace as in Python's `re`; `\d` is ASCII digits
//! (router output has no other digits).

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr};

/// The lines of the input, numbered from 1, without their `\r\n`. Every
/// parser and [`crate::config::render_diagnostic`] number lines this way.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n').enumerate().map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
}

/// A position in a line. Every method either advances and succeeds, or
/// leaves the cursor where it was and fails.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cur<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cur<'a> {
    pub fn new(s: &'a str) -> Cur<'a> {
        Cur { s, pos: 0 }
    }

    pub fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    pub fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }

    /// `\s+`
    pub fn ws(&mut self) -> bool {
        let n = self.count_ws();
        self.pos += n;
        n > 0
    }

    /// `\s*`
    pub fn ws0(&mut self) {
        self.pos += self.count_ws();
    }

    fn count_ws(&self) -> usize {
        let r = self.rest();
        r.len() - r.trim_start().len()
    }

    /// `\s*$`
    pub fn eol(&mut self) -> bool {
        self.rest().trim_start().is_empty()
    }

    /// A literal.
    pub fn lit(&mut self, l: &str) -> bool {
        if self.rest().starts_with(l) {
            self.pos += l.len();
            true
        } else {
            false
        }
    }

    /// A sequence of words separated by `\s+` (each space in `l` is `\s+`).
    pub fn words(&mut self, l: &str) -> bool {
        let save = *self;
        for (k, w) in l.split(' ').enumerate() {
            if (k > 0 && !self.ws()) || !self.lit(w) {
                *self = save;
                return false;
            }
        }
        true
    }

    /// The longest run of characters satisfying `f` (possibly empty).
    pub fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'a str {
        let r = self.rest();
        let n = r.find(|c: char| !f(c)).unwrap_or(r.len());
        self.pos += n;
        &r[..n]
    }

    /// `\S+`
    pub fn word(&mut self) -> Option<&'a str> {
        let w = self.take_while(|c| !c.is_whitespace());
        (!w.is_empty()).then_some(w)
    }

    /// `\d+`
    pub fn digits(&mut self) -> Option<&'a str> {
        let w = self.take_while(|c| c.is_ascii_digit());
        (!w.is_empty()).then_some(w)
    }

    /// `\w+` (letters, digits, underscore).
    pub fn wordchars(&mut self) -> Option<&'a str> {
        let w = self.take_while(is_w);
        (!w.is_empty()).then_some(w)
    }

    /// Everything up to the first occurrence of `l` (not consumed).
    pub fn until(&mut self, l: &str) -> Option<&'a str> {
        let r = self.rest();
        let n = r.find(l)?;
        self.pos += n;
        Some(&r[..n])
    }

}

/// Python's `\w` for ASCII text.
pub(crate) fn is_w(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `\d+\.\d+\.\d+\.\d+` (`max` digits per group, 0 for any).
pub(crate) fn is_dotted4(s: &str, max: usize) -> bool {
    let mut n = 0;
    for part in s.split('.') {
        n += 1;
        if !is_digits(part) || (max > 0 && part.len() > max) {
            return false;
        }
    }
    n == 4
}

/// An IPv4 address as the templates match it: `\d{1,3}` groups.
pub(crate) fn is_ipv4(s: &str) -> bool {
    is_dotted4(s, 3)
}

/// A BGP neighbour's address as a summary's first column holds it: IPv4
/// (dotted, as the templates match it) or IPv6.
pub(crate) fn is_neighbor_addr(w: &str) -> bool {
    is_dotted4(w, 0) || (w.contains(':') && w.parse::<std::net::Ipv6Addr>().is_ok())
}

/// The columns of a neighbour row of a Cisco BGP summary up to the queues
/// (`NEIGHBOR V|Spk AS rcvd sent tblver inq outq`): the neighbour IPv4 or
/// IPv6, the AS asplain or asdot, the rest numbers.
pub(crate) fn is_summary_row(w: &[&str]) -> bool {
    w.len() >= 8 && is_neighbor_addr(w[0]) && is_digits(w[1]) && is_asn(w[2]) && w[3..8].iter().all(|x| is_digits(x))
}

/// `\d+` or `\d+\.\d+` (asplain or asdot).
pub(crate) fn is_asn(s: &str) -> bool {
    match s.split_once('.') {
        Some((a, b)) => is_digits(a) && is_digits(b),
        None => is_digits(s),
    }
}

/// Whitespace-separated tokens of a line, at most `N` (`None` when more).
pub(crate) fn split_n<const N: usize>(line: &str) -> Option<([&str; N], usize)> {
    let mut out = [""; N];
    let mut n = 0;
    for t in line.split_whitespace() {
        if n == N {
            return None;
        }
        out[n] = t;
        n += 1;
    }
    Some((out, n))
}

/// An AS number, asplain (`65020`) or asdot (`1.10` = 65546).
pub(crate) fn parse_asn(s: &str) -> Option<u32> {
    let digits = |x: &str| x.len() <= 10 && is_digits(x);
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
    if s.len() > 10 || !is_digits(s) {
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
    fn cursor_words_and_tokens() {
        let mut c = Cur::new("BGP  router identifier 10.0.0.1, local AS number 65000");
        assert!(c.words("BGP router identifier"));
        assert!(c.ws());
        assert_eq!(c.until(","), Some("10.0.0.1"));
        assert!(c.lit(","));
        assert!(c.ws());
        assert!(!c.words("local AS numbers"));
        assert!(c.words("local AS number"));
        c.ws();
        assert_eq!(c.digits(), Some("65000"));
        assert!(c.eol());
    }

    #[test]
    fn predicates() {
        assert!(is_ipv4("10.0.0.1"));
        assert!(!is_ipv4("10.0.0.1000"));
        assert!(is_dotted4("10.0.0.1000", 0));
        assert!(!is_ipv4("10.0.0"));
        assert!(is_asn("65000.1000"));
        assert!(!is_asn("65000."));
        assert_eq!(split_n::<3>("a b  c"), Some((["a", "b", "c"], 3)));
        assert_eq!(split_n::<2>("a b  c"), None);
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
