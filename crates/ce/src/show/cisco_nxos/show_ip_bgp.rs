//! Cisco NX-OS `show ip bgp` (also `vrf X` / `vrf all`), after
//! ntc-templates' `cisco_nxos_show_ip_bgp`: one record per path, with the
//! status, best / multipath mark and path type, the network (filled down
//! to the next paths of the same network), next hop, metric, local
//! preference, weight, AS path, origin and VRF.
//!
//! The template reads the table two ways: by column widths (the older
//! layout, `*>e10.10.0.2/32       10.10.2.1            …`) and by single
//! blanks (the newer, `* e0.0.0.0/0 1.2.3.4 4294967295 0 12345 i`). Its
//! rules are bounded repetitions of blanks with alternatives, which this
//! parser walks with a small backtracking matcher, in the order Python's
//! `re` tries them, so that every capture lands where TextFSM puts it.
//! A blank line clears everything (`Clearall`), the VRF included; a line
//! neither rule reads is a warning (the template's `Error`).

use crate::fsm::{schema, Out};
use crate::show::LineParser;
use crate::text::Cur;

schema! {
    status, path_selection, route_source, network: FILLDOWN, next_hop, metric, local_pref, weight, as_path,
    origin, vrf: FILLDOWN,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    in_table: bool,
}

/// One element of a rule.
#[derive(Clone, Copy)]
enum P {
    /// `\s{min,max}`, greedy.
    Ws(usize, usize),
    /// One character of a class, captured in a slot.
    One(fn(char) -> bool, usize),
    /// `[class]+`, greedy, captured.
    Run(fn(char) -> bool, usize),
    /// `[A-Fa-f0-9:\.]+\/\d+`, captured.
    Net(usize),
    /// `(a|b)`.
    Alt(&'static [P], &'static [P]),
    /// `(\s${AS_PATH})?\s${ORIGIN}$$`.
    Tail,
}

const ST: usize = 0;
const PS: usize = 1;
const RS: usize = 2;
const NET: usize = 3;
const NH: usize = 4;
const MET: usize = 5;
const LP: usize = 6;
const W: usize = 7;
const ASP: usize = 8;
const ORG: usize = 9;
const SLOTS: usize = 10;

type Caps = [Option<(usize, usize)>; SLOTS];

fn status(c: char) -> bool {
    matches!(c, 's' | 'x' | 'S' | 'd' | 'h' | '*')
}
fn path_selection(c: char) -> bool {
    matches!(c, '>' | ' ' | '|')
}
fn route_source(c: char) -> bool {
    matches!(c, 'i' | 'e' | 'c' | 'l' | 'a' | 'r' | 'I')
}
fn addr(c: char) -> bool {
    c.is_ascii_hexdigit() || c == ':' || c == '.'
}
fn digit(c: char) -> bool {
    c.is_ascii_digit()
}
fn origin(c: char) -> bool {
    matches!(c, 'i' | 'e' | '?' | '|' | '&')
}

/// `(\s{0,12}${NEXT_HOP}\s{4}|\s{20})(\s{2,14}${METRIC}|\s{8})(\s{1,18}${LOCAL_PREF}|\s{8})(\s{1,22}${WEIGHT})(\s${AS_PATH})?\s${ORIGIN}$$`
const COLUMNS: &[P] = &[
    P::Alt(&[P::Ws(0, 12), P::Run(addr, NH), P::Ws(4, 4)], &[P::Ws(20, 20)]),
    P::Alt(&[P::Ws(2, 14), P::Run(digit, MET)], &[P::Ws(8, 8)]),
    P::Alt(&[P::Ws(1, 18), P::Run(digit, LP)], &[P::Ws(8, 8)]),
    P::Ws(1, 22),
    P::Run(digit, W),
    P::Tail,
];

/// `\s${NEXT_HOP}\s${METRIC}\s${LOCAL_PREF}\s${WEIGHT}(\s${AS_PATH})?\s${ORIGIN}$$`
const SINGLE: &[P] = &[P::Ws(1, 1), P::Run(addr, NH), P::Ws(1, 1), P::Run(digit, MET), P::Ws(1, 1), P::Run(digit, LP), P::Ws(1, 1), P::Run(digit, W), P::Tail];

const LEAD: P = P::Ws(1, usize::MAX);
const NO_NET: P = P::Ws(18, 18);

/// The table rules, in the template's order: the leading part, then the
/// columns. (Leading `\s+` or the status; the path selection and source;
/// the network or the 18 blanks of an empty network column.)
const RULES: &[(&[P], &[P])] = &[
    (&[LEAD, P::One(path_selection, PS), P::One(route_source, RS), NO_NET], COLUMNS),
    (&[P::One(status, ST), P::One(path_selection, PS), P::One(route_source, RS), P::Net(NET)], COLUMNS),
    (&[LEAD, P::One(path_selection, PS), P::One(route_source, RS), P::Net(NET)], COLUMNS),
    (&[P::One(status, ST), P::One(path_selection, PS), P::One(route_source, RS), NO_NET], COLUMNS),
    (&[LEAD, P::One(path_selection, PS), P::One(route_source, RS), P::Net(NET)], SINGLE),
    (&[P::One(status, ST), P::One(path_selection, PS), P::One(route_source, RS), P::Net(NET)], SINGLE),
    (&[LEAD, P::One(path_selection, PS), P::One(route_source, RS)], SINGLE),
    (&[P::One(status, ST), P::One(path_selection, PS), P::One(route_source, RS)], SINGLE),
];

/// A line as characters with their byte offsets (the end included).
struct Chars {
    c: Vec<char>,
    at: Vec<usize>,
}

impl Chars {
    fn new(s: &str) -> Chars {
        let mut c = Vec::with_capacity(s.len());
        let mut at = Vec::with_capacity(s.len() + 1);
        for (i, ch) in s.char_indices() {
            c.push(ch);
            at.push(i);
        }
        at.push(s.len());
        Chars { c, at }
    }

    fn run(&self, i: usize, f: impl Fn(char) -> bool, max: usize) -> usize {
        self.c[i..].iter().take(max).take_while(|c| f(**c)).count()
    }
}

/// Sets a slot for the continuation, restoring it when the attempt fails.
fn with(caps: &mut Caps, slot: usize, v: (usize, usize), k: impl FnOnce(&mut Caps) -> bool) -> bool {
    let old = caps[slot];
    caps[slot] = Some(v);
    if k(caps) {
        return true;
    }
    caps[slot] = old;
    false
}

/// Matches `p` then `rest` (a stack of sequences still to match) at `i`.
fn go(s: &Chars, p: &'static [P], rest: &mut Vec<&'static [P]>, i: usize, caps: &mut Caps) -> bool {
    let Some((first, tail)) = p.split_first() else {
        let Some(next) = rest.pop() else { return false };
        let ok = go(s, next, rest, i, caps);
        rest.push(next);
        return ok;
    };
    let n = s.c.len();
    match *first {
        P::Ws(min, max) => {
            let r = s.run(i, char::is_whitespace, max);
            (min..=r).rev().any(|k| go(s, tail, rest, i + k, caps))
        }
        P::One(f, slot) => i < n && f(s.c[i]) && with(caps, slot, (i, i + 1), |caps| go(s, tail, rest, i + 1, caps)),
        P::Run(f, slot) => {
            let r = s.run(i, f, usize::MAX);
            (1..=r).rev().any(|k| with(caps, slot, (i, i + k), |caps| go(s, tail, rest, i + k, caps)))
        }
        P::Net(slot) => {
            let a = s.run(i, addr, usize::MAX);
            if a == 0 || s.c.get(i + a) != Some(&'/') {
                return false;
            }
            let d = s.run(i + a + 1, digit, usize::MAX);
            (1..=d).rev().any(|k| with(caps, slot, (i, i + a + 1 + k), |caps| go(s, tail, rest, i + a + 1 + k, caps)))
        }
        P::Alt(a, b) => {
            // The alternative, then what follows the group.
            let mut branch = |alt: &'static [P], caps: &mut Caps| {
                rest.push(tail);
                let ok = go(s, alt, rest, i, caps);
                rest.pop();
                ok
            };
            branch(a, caps) || branch(b, caps)
        }
        P::Tail => {
            // `$` ends the line: the origin is the last character, a blank
            // before it; the AS path (when there is one) runs from after
            // the blank at `i` to that blank.
            if n < i + 2 || !origin(s.c[n - 1]) || !s.c[n - 2].is_whitespace() {
                return false;
            }
            let as_path_ok = |from: usize, to: usize| {
                let d = s.run(from, digit, to - from);
                d > 0 && (from + d == to || s.c[from + d].is_whitespace())
            };
            let set_tail = |caps: &mut Caps, asp: Option<(usize, usize)>| {
                caps[ASP] = asp;
                caps[ORG] = Some((n - 1, n));
                true
            };
            if i + 2 < n - 1 && s.c[i].is_whitespace() && as_path_ok(i + 1, n - 2) {
                return set_tail(caps, Some((i + 1, n - 2)));
            }
            i == n - 2 && set_tail(caps, None)
        }
    }
}

/// A table line against the rules: the captures of the first that matches.
fn table_line(line: &str) -> Option<(Caps, Chars)> {
    let s = Chars::new(line);
    for (lead, cols) in RULES {
        let mut caps: Caps = [None; SLOTS];
        let mut rest = vec![*cols];
        if go(&s, lead, &mut rest, 0, &mut caps) {
            return Some((caps, s));
        }
    }
    None
}

/// `^BGP\s+routing\s.+VRF\s+${VRF},.+`: the VRF.
fn vrf_line(line: &str) -> Option<&str> {
    let mut c = Cur::new(line);
    if !(c.lit("BGP") && c.ws() && c.lit("routing")) {
        return None;
    }
    let r = c.rest();
    // `\s.+`: a blank and at least one character before `VRF`.
    let mut ch = r.char_indices();
    if !ch.next().is_some_and(|(_, c)| c.is_whitespace()) {
        return None;
    }
    let min = ch.next().map(|(i, c)| i + c.len_utf8())?;
    let hits: Vec<usize> = r.match_indices("VRF").map(|(i, _)| i).filter(|i| *i >= min).collect();
    for &i in hits.iter().rev() {
        let mut k = Cur::new(&r[i + 3..]);
        if !k.ws() {
            continue;
        }
        let Some(tok) = k.word() else { continue };
        let after = k.rest();
        // `\S+,.+`: the last comma of the word with something after it.
        let found = tok.rmatch_indices(',').map(|(j, _)| j).find(|&j| j > 0 && (j + 1 < tok.len() || !after.is_empty()));
        if let Some(j) = found {
            return Some(&tok[..j]);
        }
    }
    None
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        if !self.in_table {
            if let Some(v) = vrf_line(line) {
                f.set(F::vrf, v);
                return;
            }
            let mut c = Cur::new(line);
            if (c.lit("BGP") && c.ws() && c.lit("table") && c.ws()) || line.starts_with("Status:") || line.starts_with("Path type:") || line.starts_with("Origin codes:") {
                return;
            }
            let mut c = Cur::new(line);
            c.ws0();
            if c.lit("Network") && c.ws() && c.lit("Next Hop") && c.ws() && c.lit("Metric") && c.ws() && c.lit("LocPrf") && c.ws() && c.lit("Weight") && c.ws() && c.lit("Path") {
                self.in_table = true;
                return;
            }
            // `^.` matches any line with a character.
            if !line.is_empty() {
                out.warn(n, "not a line of `show ip bgp`");
            }
            return;
        }
        if let Some((caps, s)) = table_line(line) {
            let text = |k: usize| caps[k].map(|(a, b)| &line[s.at[a]..s.at[b]]);
            // Every value of the rule is assigned: those whose groups did
            // not take part become empty. STATUS and NETWORK are not in
            // every rule.
            let has_status = caps[ST].is_some();
            if has_status {
                f.set(F::status, text(ST).unwrap_or(""));
            }
            f.opt(F::path_selection, text(PS));
            f.opt(F::route_source, text(RS));
            if let Some(net) = text(NET) {
                f.set(F::network, net);
            }
            f.opt(F::next_hop, text(NH));
            f.opt(F::metric, text(MET));
            f.opt(F::local_pref, text(LP));
            f.opt(F::weight, text(W));
            f.opt(F::as_path, text(ASP));
            f.opt(F::origin, text(ORG));
            f.record(out.sink);
            return;
        }
        if line.trim().is_empty() {
            f.clear_all();
            return;
        }
        if let Some(v) = vrf_line(line) {
            f.set(F::vrf, v);
            self.in_table = false;
            return;
        }
        out.warn(n, "not a line of the `show ip bgp` table");
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, _out: &mut Out<'_>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(line: &str) -> Option<Vec<String>> {
        table_line(line).map(|(c, s)| c.iter().map(|v| v.map_or(String::from("-"), |(a, b)| line[s.at[a]..s.at[b]].to_string())).collect())
    }

    #[test]
    fn layouts() {
        let v = caps("*>e10.10.0.101/32     10.10.1.1                                      0 64101 i").unwrap();
        assert_eq!(v, ["*", ">", "e", "10.10.0.101/32", "10.10.1.1", "-", "-", "0", "64101", "i"]);
        let v = caps("*>l10.10.0.1/32       0.0.0.0                           100      32768 i").unwrap();
        assert_eq!(v, ["*", ">", "l", "10.10.0.1/32", "0.0.0.0", "-", "100", "32768", "-", "i"]);
        let v = caps("  l                   0.0.0.0                           100      32768 i").unwrap();
        assert_eq!(v, ["-", " ", "l", "-", "0.0.0.0", "-", "100", "32768", "-", "i"]);
        let v = caps("* i 2.3.4.5 4294967295 100 0 i").unwrap();
        assert_eq!(v, ["*", " ", "i", "-", "2.3.4.5", "4294967295", "100", "0", "-", "i"]);
        assert!(caps("garbage").is_none());
    }

    #[test]
    fn vrf_lines() {
        assert_eq!(vrf_line("BGP routing table information for VRF default, address family IPv4 Unicast"), Some("default"));
        assert_eq!(vrf_line("BGP routing table information for VRF a,b, x"), Some("a,b"));
        assert_eq!(vrf_line("BGP routing VRF x, y"), None);
        assert_eq!(vrf_line("BGP routing table VRF x,"), None);
    }

    #[test]
    fn long_blank_runs_stay_cheap() {
        let t = std::time::Instant::now();
        for line in [
            format!("{}*>e10.0.0.0/8{}0 1 i", " ".repeat(5000), " ".repeat(5000)),
            format!("*>e10.0.0.0/8{}", " 1".repeat(5000)),
            format!("*>e{}1.1.1.1{}1{}2{}3{}4 i x", " ".repeat(30), " ".repeat(30), " ".repeat(30), " ".repeat(30), " ".repeat(30)),
            " ".repeat(100_000),
        ] {
            assert!(table_line(&line).is_none());
        }
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    }
}
