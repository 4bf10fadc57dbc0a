//! Small hand-written matchers standing in for the regular expressions of
//! the templates: a cursor over one line ([`Cur`]) and token predicates.
//!
//! `\s` is Unicode whitespace as in Python's `re`; `\d` is ASCII digits
//! (router output has no other digits).

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
}
