//! Readers and field sets shared by the show parsers of several platforms:
//! what the templates read alike is read once here, and assigned through a
//! [`Fields`] set named after the template's own fields.
//!
//! - [`Fields`]: fields of a schema by name, resolved when compiled, and
//!   assigned together from the columns of a row;
//! - [`Path`] and [`PATH`]: a BGP table path from the next hop on (IOS, IOS-XR,
//!   NX-OS, EOS and FRR tables);
//! - [`summary_columns`]: the neighbour row of a Cisco-style BGP summary
//!   (IOS, NX-OS, IOS-XR), whole or wrapped;
//! - [`ARP_ROW`]: the columns of an ARP entry (NX-OS, EOS);
//! - [`two_words`], [`span`]: a column of several words kept as printed;
//! - [`dotted_quad`], [`ipv4_prefix`]: an IPv4 address as the templates
//!   match it;
//! - [`captures`], [`set_first`]: template rules written as the lines they
//!   match;
//! - [`label`]: a cursor after a line's label.

use crate::fsm::{Fsm, Out, Schema};
use crate::text::{is_digits, Cur};

/// Fields of a schema, by name: `""` for a column the template does not
/// capture. Built in a `const`, so that a misspelt name fails the build.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields<const N: usize>([Option<usize>; N]);

impl<const N: usize> Fields<N> {
    pub const fn of(schema: Schema, names: [&str; N]) -> Fields<N> {
        let mut idx = [None; N];
        let mut k = 0;
        while k < N {
            if !names[k].is_empty() {
                idx[k] = Some(index(schema, names[k]));
            }
            k += 1;
        }
        Fields(idx)
    }

    /// Assigns every column (`AssignVar` of each capture).
    #[inline]
    pub fn set(&self, f: &mut Fsm, vals: [&str; N]) {
        self.set_cols(f, 0..N, &vals);
    }

    /// Assigns the columns `cols` only: a row wrapped after a column
    /// continues on the next line.
    #[inline]
    pub fn set_cols(&self, f: &mut Fsm, cols: std::ops::Range<usize>, vals: &[&str; N]) {
        for k in cols {
            if let Some(i) = self.0[k] {
                f.set(i, vals[k]);
            }
        }
    }
}

/// `names` with column `k` named `name` instead.
pub(crate) const fn renamed<const N: usize>(mut names: [&'static str; N], k: usize, name: &'static str) -> [&'static str; N] {
    names[k] = name;
    names
}

const fn index(schema: Schema, name: &str) -> usize {
    let mut i = 0;
    while i < schema.len() {
        if eq(schema[i].0.as_bytes(), name.as_bytes()) {
            return i;
        }
        i += 1;
    }
    panic!("a field the schema does not have")
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A path of a BGP table from the next hop on, as every platform's table
/// prints it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Path<'a> {
    pub next_hop: &'a str,
    pub metric: &'a str,
    pub local_pref: &'a str,
    pub weight: &'a str,
    pub as_path: &'a str,
    pub origin: &'a str,
}

/// The fields of a [`Path`], as ntc-templates names them in every BGP table.
pub(crate) const PATH: [&str; 6] = ["next_hop", "metric", "local_pref", "weight", "as_path", "origin"];

impl<'a> Path<'a> {
    /// In the order of [`PATH`].
    #[inline]
    pub fn values(&self) -> [&'a str; 6] {
        [self.next_hop, self.metric, self.local_pref, self.weight, self.as_path, self.origin]
    }
}

/// A Cisco BGP summary's neighbour row as NX-OS's and IOS-XR's templates
/// name its columns (neither captures the version or the table version).
pub(crate) const NEIGH_ROW: [&str; 10] = ["bgp_neigh", "", "neigh_as", "msg_rcvd", "msg_sent", "", "in_queue", "out_queue", "up_down", "state_pfxrcd"];

/// The same row as IOS's template (and IOS-XR's per-VRF one) names it.
pub(crate) const NEIGHBOR_ROW: [&str; 10] =
    ["bgp_neighbor", "bgp_version", "neighbor_as", "messages_received", "messages_sent", "table_version", "input_queue", "output_queue", "up_down", "state_or_prefixes_received"];

/// The columns of a Cisco BGP summary's neighbour row — neighbour, version,
/// AS, received, sent, table version, InQ, OutQ, Up/Down, State/PfxRcd —
/// from the words of a line that starts at column `from` (0 for a whole
/// row; 1 or 3 for a row wrapped after the neighbour or the AS). A state of
/// two words (`Idle (Admin)`) is kept as printed; columns before `from`
/// are empty.
pub(crate) fn summary_columns<'a>(line: &'a str, words: &[&'a str], from: usize) -> [&'a str; 10] {
    let mut cols = [""; 10];
    for (k, w) in words.iter().take(9 - from).enumerate() {
        cols[from + k] = w;
    }
    cols[9] = two_words(line, words.get(9 - from..).unwrap_or(&[]));
    cols
}

/// The rest of a Cisco summary row wrapped after the AS, indented on a line
/// of its own (`rcvd sent tblver inq outq up/down state`): its columns 3 to
/// 9 set through `row`, and the row recorded. Whether the line was one.
pub(crate) fn summary_continuation(f: &mut Fsm, row: &Fields<10>, line: &str, words: &[&str], out: &mut Out<'_>) -> bool {
    let fits = line.starts_with(char::is_whitespace) && (words.len() == 7 || words.len() == 8) && words[..5].iter().all(|x| is_digits(x));
    if fits {
        row.set_cols(f, 3..10, &summary_columns(line, words, 3));
        f.record(out.sink);
    }
    fits
}

/// One word, or two with what stands between them on the line, as a
/// template's `(\S+(?:\s+\S+)?)` captures them; `""` for more.
pub(crate) fn two_words<'a>(line: &'a str, words: &[&'a str]) -> &'a str {
    match words {
        [a] => a,
        [a, b] => span(line, a, b),
        _ => "",
    }
}

/// The text of `line` from its word `a` to its word `b`, both included
/// (words of `line` itself, as `split_whitespace` gives them).
pub(crate) fn span<'a>(line: &'a str, a: &str, b: &str) -> &'a str {
    let s = a.as_ptr() as usize - line.as_ptr() as usize;
    let e = b.as_ptr() as usize - line.as_ptr() as usize + b.len();
    &line[s..e]
}

/// An ARP entry's first columns as the Cisco and EOS templates name them.
pub(crate) const ARP_ROW: [&str; 5] = ["ip_address", "age", "mac_address", "interface", "physical_interface"];

/// `\d+\.\d+\.\d+\.\d+` at the cursor (greedy digits, any number of
/// them): the address, the cursor after it.
pub(crate) fn dotted_quad<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    let n = quad_len(r, usize::MAX)?;
    *c = Cur::new(&r[n..]);
    Some(&r[..n])
}

/// The longest prefix of `w` that is `\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}`.
pub(crate) fn ipv4_prefix(w: &str) -> Option<&str> {
    quad_len(w, 3).map(|n| &w[..n])
}

/// How long the dotted quad at the start of `s` is, each group of one to
/// `max` digits, taken greedily.
fn quad_len(s: &str, max: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    for g in 0..4 {
        if g > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < max {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    Some(i)
}

/// An AS number at the start of `s`, asplain or asdot (`65000`,
/// `65000.100`): `\d+(\.\d+)?`.
pub(crate) fn leading_asn(s: &str) -> Option<&str> {
    let d = leading_digits(s)?.len();
    let dot = s[d..].strip_prefix('.').and_then(leading_digits).map_or(0, |x| x.len() + 1);
    Some(&s[..d + dot])
}

/// A template rule written as the line it matches: words separated by one
/// space, each space `\s+`; in a word `{d}` captures `\d+`, `{w}` `\S+` (a
/// whole word), a last `{r}` `(.+?)\s*$` ([`lazy_rest`]), anything else is
/// literal; a last `$` is `\s*$`. The captures, in order, when `t` starts
/// with the pattern: `captures::<2>(t, "Hold time is {d}, keepalive
/// interval is {d}")`.
pub(crate) fn captures<'a, const N: usize>(t: &'a str, pattern: &str) -> Option<[&'a str; N]> {
    let mut caps = [""; N];
    (capture_into(t, pattern, &mut caps)? == N).then_some(caps)
}

/// Rules written as the lines they match ([`captures`]), each with the
/// fields its captures set, tried in order as the template tries its
/// lines: the first that matches sets its fields. Whether one did.
pub(crate) fn set_first<I: Copy + Into<usize>>(f: &mut Fsm, t: &str, rules: &[(&str, &[I])]) -> bool {
    let mut caps = [""; 8];
    for (rule, fields) in rules {
        if capture_into(t, rule, &mut caps) == Some(fields.len()) {
            for (field, v) in fields.iter().zip(caps) {
                f.set(*field, v);
            }
            return true;
        }
    }
    false
}

/// [`captures`] into `caps`: how many it captured (`None` when the line
/// does not match, or captures more than `caps` holds).
fn capture_into<'a>(t: &'a str, pattern: &str, caps: &mut [&'a str]) -> Option<usize> {
    let mut c = Cur::new(t);
    let mut k = 0;
    for (i, word) in pattern.split(' ').enumerate() {
        if i > 0 && !c.ws() {
            return None;
        }
        let mut rest = word;
        while !rest.is_empty() {
            let (cap, skip) = if rest.starts_with("{d}") {
                (Some(c.digits()?), 3)
            } else if rest.starts_with("{w}") {
                (Some(c.word()?), 3)
            } else if rest == "{r}" {
                let r = lazy_rest(c.rest())?;
                c = Cur::new("");
                (Some(r), 3)
            } else if rest == "$" {
                if !c.eol() {
                    return None;
                }
                (None, 1)
            } else {
                let n = rest.find(['{', '$']).filter(|&n| n > 0).unwrap_or(rest.len());
                if !c.lit(&rest[..n]) {
                    return None;
                }
                (None, n)
            };
            if let Some(v) = cap {
                *caps.get_mut(k)? = v;
                k += 1;
            }
            rest = &rest[skip..];
        }
    }
    Some(k)
}

/// `^LABEL\s+` (each space of the label `\s+`): a cursor after it.
pub(crate) fn label<'a>(t: &'a str, label: &str) -> Option<Cur<'a>> {
    let mut c = Cur::new(t);
    (c.words(label) && c.ws()).then_some(c)
}

/// `(.+?)\s*$`: the rest without trailing whitespace (one character at least).
pub(crate) fn lazy_rest(s: &str) -> Option<&str> {
    let t = s.trim_end();
    if t.is_empty() {
        return s.get(..1).filter(|x| !x.is_empty());
    }
    Some(t)
}

/// One whitespace character (`\s`).
pub(crate) fn ws1(c: &mut Cur<'_>) -> bool {
    let r = c.rest();
    match r.chars().next() {
        Some(ch) if ch.is_whitespace() => {
            *c = Cur::new(&r[ch.len_utf8()..]);
            true
        }
        _ => false,
    }
}

/// `(\d+)` at the start of `s`, as a template's unanchored `\d+` takes it.
pub(crate) fn leading_digits(s: &str) -> Option<&str> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    (n > 0).then(|| &s[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_rows_whole_and_wrapped() {
        let line = "10.0.0.1        4 65001      10      12        5    0    0 00:01:02 Idle (Admin)";
        let w: Vec<&str> = line.split_whitespace().collect();
        let c = summary_columns(line, &w, 0);
        assert_eq!(c, ["10.0.0.1", "4", "65001", "10", "12", "5", "0", "0", "00:01:02", "Idle (Admin)"]);
        let line = "                    10      12        5    0    0 00:01:02 3";
        let w: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(summary_columns(line, &w, 3), ["", "", "", "10", "12", "5", "0", "0", "00:01:02", "3"]);
    }

    #[test]
    fn rules_written_as_lines() {
        let t = "Hold time is 180, keepalive interval is 60 seconds";
        assert_eq!(captures::<2>(t, "Hold time is {d}, keepalive interval is {d}"), Some(["180", "60"]));
        assert_eq!(captures::<2>("Hold  time   is 180,  keepalive interval is 60", "Hold time is {d}, keepalive interval is {d}"), Some(["180", "60"]));
        assert_eq!(captures::<2>("Hold time is 180,keepalive interval is 60", "Hold time is {d}, keepalive interval is {d}"), None);
        assert_eq!(captures::<2>("Connections established 3; dropped 2  ", "Connections established {d}; dropped {d}$"), Some(["3", "2"]));
        assert_eq!(captures::<2>("Connections established 3; dropped 2 x", "Connections established {d}; dropped {d}$"), None);
        assert_eq!(captures::<1>("Neighbor vrf: default", "Neighbor vrf: {w}"), Some(["default"]));
        assert_eq!(captures::<1>("Router ID:  10.0.0.1 ", "Router ID: {r}"), Some(["10.0.0.1"]));
        assert_eq!(captures::<1>("Cluster ID 1.1.1.1 x", "Cluster ID {w}$"), None);
    }

    #[test]
    fn fields_by_name() {
        const S: Schema = &[("a", 0), ("b", 0), ("c", 0)];
        const F: Fields<3> = Fields::of(S, ["c", "", "a"]);
        assert_eq!(F.0, [Some(2), None, Some(0)]);
        assert_eq!(Fields::of(S, renamed(["c", "", "a"], 1, "b")).0, [Some(2), Some(1), Some(0)]);
    }
}
