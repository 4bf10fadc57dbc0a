//! Matchers shared by the `show interface(s)` parsers: the counter lines
//! (`^\s+N\s+word\s+word\s+N\s+word…\s*$`), which the templates spell as
//! numbers and words separated by whitespace; the bandwidth of the `MTU`
//! line ([`last_bw`]); the first line's `NAME is` ([`name_is`]); the
//! rates ([`rate_after`]).

use crate::fsm::Fsm;
use crate::text::Cur;

/// `^(\S+)\s+is\s+`: an interface's name and the rest of its first line.
pub(crate) fn name_is(line: &str) -> Option<(&str, &str)> {
    let mut c = Cur::new(line);
    let name = c.word()?;
    (c.ws() && c.lit("is") && c.ws()).then(|| (name, c.rest()))
}

/// `.*BW\s+(\d+\s+\w+)`: the bandwidth after the last `BW` that has one
/// (`100000 Kbit`), as the IOS and IOS-XR `MTU` lines print it.
pub(crate) fn last_bw(s: &str) -> Option<&str> {
    s.match_indices("BW")
        .filter_map(|(i, _)| {
            let mut k = Cur::new(&s[i + 2..]);
            if !k.ws() {
                return None;
            }
            let v = k.rest();
            k.digits()?;
            if !k.ws() {
                return None;
            }
            k.wordchars()?;
            Some(&v[..v.len() - k.rest().len()])
        })
        .last()
}

/// `\s+(\d+)\s+\w+/sec,\s+(\d+)\s+packets.+` after an `input rate` or
/// `output rate` (IOS, IOS-XR): the rate and the packets per second.
pub(crate) fn rate_after(s: &str) -> Option<(&str, &str)> {
    let mut c = Cur::new(s);
    if !c.ws() {
        return None;
    }
    let rate = c.digits()?;
    if !c.ws() {
        return None;
    }
    c.wordchars()?;
    if !(c.lit("/sec,") && c.ws()) {
        return None;
    }
    let pps = c.digits()?;
    (c.ws() && c.lit("packets") && !c.at_end()).then_some((rate, pps))
}

/// Matches the whitespace-separated tokens of `line` against `pat`, token
/// for token: `#` is a captured `\d+`, `%` an uncaptured `\d+`, `a|b` one
/// of the literals, anything else a literal. The line must be indented
/// when `indented` (the templates' leading `^\s+`). Returns the captures,
/// in order.
pub(crate) fn tokens<'a, const N: usize>(line: &'a str, indented: bool, pat: &[&str]) -> Option<[&'a str; N]> {
    if indented && !line.starts_with(char::is_whitespace) {
        return None;
    }
    let mut caps = [""; N];
    let mut k = 0;
    let mut it = line.split_whitespace();
    for p in pat {
        let t = it.next()?;
        match *p {
            "#" | "%" => {
                if !crate::text::is_digits(t) {
                    return None;
                }
                if *p == "#" {
                    *caps.get_mut(k)? = t;
                    k += 1;
                }
            }
            _ => {
                if !p.split('|').any(|alt| alt == t) {
                    return None;
                }
            }
        }
    }
    it.next().is_none().then_some(caps)
}

/// Counter lines read by [`tokens`] (indented): the first rule whose
/// pattern the line matches assigns its captures (eight at most) to its
/// fields, in order. Whether one did.
pub(crate) fn counters<I: Copy + Into<usize>>(f: &mut Fsm, line: &str, rules: &[(&[&str], &[I])]) -> bool {
    for (pat, fields) in rules {
        if let Some(caps) = tokens::<8>(line, true, pat) {
            for (i, v) in fields.iter().zip(caps) {
                f.set(*i, v);
            }
            return true;
        }
    }
    false
}

/// `[a-zA-Z0-9]+.[a-zA-Z0-9]+.[a-zA-Z0-9]+` at the start of `s`, as a
/// backtracking regex engine matches it (greedy runs, `.` any character):
/// the matched text.
pub(crate) fn mac_like(s: &str) -> Option<&str> {
    fn run(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_alphanumeric).count()
    }
    fn any(s: &str) -> Option<usize> {
        s.chars().next().filter(|c| *c != '\n').map(char::len_utf8)
    }
    let n1 = run(s);
    for a in (1..=n1).rev() {
        let Some(d1) = any(&s[a..]) else { continue };
        let r2 = &s[a + d1..];
        for b in (1..=run(r2)).rev() {
            let Some(d2) = any(&r2[b..]) else { continue };
            let r3 = &r2[b + d2..];
            let c = run(r3);
            if c > 0 {
                let end = a + d1 + b + d2 + c;
                return Some(&s[..end]);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_patterns() {
        assert_eq!(tokens::<2>("    0 runts  3 giants", true, &["#", "runts", "#", "giants"]), Some(["0", "3"]));
        assert_eq!(tokens::<1>("    0 input error", true, &["#", "input", "error|errors"]), Some(["0"]));
        assert_eq!(tokens::<1>("0 input error", true, &["#", "input", "error|errors"]), None);
        assert_eq!(tokens::<1>("    0 input error x", true, &["#", "input", "error"]), None);
        assert_eq!(tokens::<0>("    5 input", true, &["%", "input"]), Some([]));
    }

    #[test]
    fn mac_like_backtracks() {
        assert_eq!(mac_like("5087.89a1.d8ce (bia x)"), Some("5087.89a1.d8ce"));
        assert_eq!(mac_like("abcdef"), Some("abcdef"));
        assert_eq!(mac_like("ab"), None);
        assert_eq!(mac_like("a.é.b"), None);
        assert_eq!(mac_like("aé1é2"), Some("aé1é2"));
    }
}
