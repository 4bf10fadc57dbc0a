//! Cisco IOS / IOS-XE `show ip bgp` (the BGP table; also `show ip bgp all`,
//! `show bgp ipv4 unicast`) and `show ip bgp neighbors X advertised-routes`,
//! after ntc-templates' `cisco_ios_show_ip_bgp` and
//! `cisco_ios_show_ip_bgp_neighbors_advertised-routes`.
//!
//! The table is read by column position, as the templates do: status codes
//! in the first three columns, the network in 16 (or alone on its line when
//! longer, the path on the next line), the next hop in 15, metric in 10,
//! local preference and weight in 6, then the AS path and the origin code.
//! Positions shift together when a line has one leading space more or less,
//! exactly as the templates' backtracking allows. Lines in the table that fit
//! none of the layouts are warnings.
//!
//! This is the parser the benchmark measures (1,000,000 routes): it works on
//! bytes, allocates nothing per line once warm, and every rule is a handful
//! of comparisons.

use crate::fsm::{schema, Out};
use crate::show::rows::{Fields, Path as Tail, PATH};
use crate::show::{Switched, Variant};
use crate::text::Cur;

schema! {
    status: FILLDOWN, path_selection: FILLDOWN, route_source: FILLDOWN, network: FILLDOWN, next_hop: REQUIRED,
    metric: FILLDOWN, local_pref, weight, as_path, origin, _status: HIDDEN | FILLDOWN,
    _network: HIDDEN | FILLDOWN,
}

/// What the right part of a table line holds, from the next hop on.
const TAIL: Fields<6> = Fields::of(SCHEMA, PATH);

/// `show ip bgp`.
pub(crate) type Parser = Variant<Table, false>;

/// `show ip bgp neighbors X advertised-routes`.
pub(crate) type AdvertisedRoutes = Variant<Table, true>;

impl Switched for Table {
    fn switched(advertised: bool) -> Table {
        Table { fsm: Fsm::default(), shadow: Fsm::default(), in_table: false, advertised, wide_seen: false, header: [0; 4] }
    }

    fn read(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        self.line(n, line, out)
    }

    /// `show ip bgp`'s template has an `EOF` state: no record at the end;
    /// the advertised routes' template records the last path.
    fn end(&mut self, out: &mut Out<'_>) {
        if self.advertised {
            self.fsm.record(out.sink);
        }
    }
}

pub(crate) struct Table {
    fsm: Fsm,
    /// Records of the paths the templates' status class misses (`a`
    /// additional-path, `c` RIB-compressed, `f` RT-Filter): typed model only.
    shadow: Fsm,
    in_table: bool,
    advertised: bool,
    /// Whether a wider-class line was seen: only then do the hidden
    /// `_status`/`_network` (which the typed model prefers) need keeping.
    wide_seen: bool,
    /// Where `Next Hop` starts and `Metric`, `LocPrf` and `Weight` end in
    /// the header: a row's numbers are placed by them, all moved by as much
    /// as the row's next hop is from its header.
    header: [usize; 4],
}

/// A line as characters: `.` in the templates is one character. ASCII
/// lines (all of them in practice) are read by bytes; others through a
/// table of character boundaries. The parser is generic over both, so that
/// the ASCII path compiles to plain byte comparisons.
trait Text<'a>: Copy {
    fn len(&self) -> usize;
    fn ch(&self, i: usize) -> char;
    fn ws(&self, i: usize) -> bool;
    fn slice(&self, i: usize, j: usize) -> &'a str;
    /// `\S{0,max}` from `i`: the end of the run.
    #[inline]
    fn nonspace(&self, i: usize, max: usize) -> usize {
        let end = self.len().min(i + max);
        let mut j = i;
        while j < end && !self.ws(j) {
            j += 1;
        }
        j
    }
    /// `\s{0,max}` from `i`: the end of the run.
    #[inline]
    fn spaces(&self, i: usize, max: usize) -> usize {
        let end = self.len().min(i + max);
        let mut j = i;
        while j < end && self.ws(j) {
            j += 1;
        }
        j
    }
}

#[derive(Clone, Copy)]
struct Ascii<'a>(&'a str);

impl<'a> Text<'a> for Ascii<'a> {
    #[inline(always)]
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline(always)]
    fn ch(&self, i: usize) -> char {
        self.0.as_bytes()[i] as char
    }
    #[inline(always)]
    fn ws(&self, i: usize) -> bool {
        matches!(self.0.as_bytes()[i], b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r')
    }
    #[inline(always)]
    fn slice(&self, i: usize, j: usize) -> &'a str {
        &self.0[i..j]
    }
}

#[derive(Clone, Copy)]
struct Chars<'a, 'b> {
    s: &'a str,
    bounds: &'b [usize],
}

impl<'a> Text<'a> for Chars<'a, '_> {
    fn len(&self) -> usize {
        self.bounds.len() - 1
    }
    fn ch(&self, i: usize) -> char {
        self.s[self.bounds[i]..].chars().next().unwrap_or(' ')
    }
    fn ws(&self, i: usize) -> bool {
        self.ch(i).is_whitespace()
    }
    fn slice(&self, i: usize, j: usize) -> &'a str {
        &self.s[self.bounds[i]..self.bounds[j]]
    }
}

fn is_status(c: char) -> bool {
    matches!(c, 'b' | 'd' | 'h' | 'i' | 'm' | 'r' | 's' | 'S' | 'x' | '*' | '>')
}

/// The status codes IOS prints that the templates' class leaves out: `a`
/// additional-path, `c` RIB-compressed, `f` RT-Filter.
fn is_wide(c: char) -> bool {
    is_status(c) || matches!(c, 'a' | 'c' | 'f')
}

fn is_status_or_space(c: char) -> bool {
    c == ' ' || is_status(c)
}

/// `(?=NEXT_HOP).{15}\s(?=\s{0,10}METRIC).{10}\s(?=\s{0,6}LOCAL_PREF).{6}\s(?=\s{0,6}WEIGHT).{6}\s*AS_PATH\s*ORIGIN$`
/// from character `p`.
#[inline]
fn tail<'a, T: Text<'a>>(l: &T, p: usize) -> Option<Tail<'a>> {
    let n = l.len();
    // Fixed columns: 15 + 1 + 10 + 1 + 6 + 1 + 6, then at least the origin.
    if p + 40 > n {
        return None;
    }
    let nh_end = l.nonspace(p, 15);
    if nh_end == p || !l.ws(p + 15) {
        return None;
    }
    let m = p + 16;
    let ms = l.spaces(m, 10);
    let me = l.nonspace(ms, 10);
    if !l.ws(m + 10) {
        return None;
    }
    let lp = m + 11;
    let lps = l.spaces(lp, 6);
    let lpe = l.nonspace(lps, 6);
    if !l.ws(lp + 6) {
        return None;
    }
    let w = lp + 7;
    let ws = l.spaces(w, 6);
    let we = l.nonspace(ws, 6);
    let rest = w + 6;
    // `\s*(.*?)\s*([ie?])$`: the origin is the last character.
    if rest >= n {
        return None;
    }
    let o = l.ch(n - 1);
    if !matches!(o, 'i' | 'e' | '?') {
        return None;
    }
    let mut a = rest;
    while a < n - 1 && l.ws(a) {
        a += 1;
    }
    let mut b = n - 1;
    while b > a && l.ws(b - 1) {
        b -= 1;
    }
    Some(Tail {
        next_hop: l.slice(p, nh_end),
        metric: l.slice(ms, me),
        local_pref: l.slice(lps, lpe),
        weight: l.slice(ws, we),
        as_path: l.slice(a, b),
        origin: l.slice(n - 1, n),
    })
}

impl Table {
    /// A path: recorded, unless no network came before it (the network's
    /// line was not understood) — a path of no network is not invented.
    fn set_tail(&mut self, n: usize, t: &Tail<'_>, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        if f.value(F::network).is_empty() && (!self.wide_seen || f.value(F::_network).is_empty()) {
            out.warn(n, "a path whose network is not known (its line was not understood)");
            f.clear();
            return;
        }
        TAIL.set(f, t.values());
        f.record(out.sink);
    }

    fn set_status<'a, T: Text<'a>>(&mut self, l: &T, s: usize) {
        let f = &mut self.fsm;
        f.set(F::status, l.slice(s, s + 1));
        f.set(F::path_selection, l.slice(s + 1, s + 2));
        f.set(F::route_source, l.slice(s + 2, s + 3));
        if self.wide_seen {
            f.set(F::_status, l.slice(s, s + 3));
        }
    }

    fn set_network(&mut self, net: &str) {
        self.fsm.set(F::network, net);
        if self.wide_seen {
            self.fsm.set(F::_network, net);
        }
    }

    /// A path whose status codes only the wider class accepts: the typed
    /// model gets it; the ntc view does not (TextFSM skips the line).
    fn typed_only(&mut self, status: &str, network: Option<&str>, t: Option<&Tail<'_>>, out: &mut Out<'_>) {
        if !self.wide_seen {
            // From now on the hidden fields follow every line; until now
            // they equal the visible ones.
            self.wide_seen = true;
            let net = self.fsm.value(F::network).to_string();
            let st = format!("{}{}{}", self.fsm.value(F::status), self.fsm.value(F::path_selection), self.fsm.value(F::route_source));
            self.fsm.set(F::_network, &net);
            self.fsm.set(F::_status, &st);
        }
        self.fsm.set(F::_status, status);
        if let Some(n) = network {
            self.fsm.set(F::_network, n);
        }
        let Some(t) = t else { return };
        let net = self.fsm.value(F::_network).to_string();
        let s = &mut self.shadow;
        s.set(F::_status, status);
        s.set(F::_network, &net);
        TAIL.set(s, t.values());
        s.record_typed_only(out.sink);
        s.clear_all();
    }

    pub(crate) fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if !self.in_table {
            let mut c = Cur::new(line);
            if c.ws() && c.lit("Network") && c.ws() && c.lit("Next Hop") && c.ws() && c.lit("Metric") && c.ws() && c.lit("LocPrf") && c.ws() && c.lit("Weight") && c.ws() && c.lit("Path") {
                self.in_table = true;
                let end = |w: &str| line.find(w).map_or(0, |i| i + w.len());
                self.header = [line.find("Next Hop").unwrap_or(0), end("Metric"), end("LocPrf"), end("Weight")];
            }
            return;
        }
        if !self.advertised && line.starts_with("Route") && Cur::new(&line[5..]).ws() && line[5..].trim_start().starts_with("Distinguisher") {
            return;
        }
        if line.is_ascii() {
            self.rows(n, line, Ascii(line), out);
        } else {
            let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain(std::iter::once(line.len())).collect();
            self.rows(n, line, Chars { s: line, bounds: &bounds }, out);
        }
    }

    /// The table's lines, after the header.
    fn rows<'a, T: Text<'a>>(&mut self, n: usize, line: &str, l: T, out: &mut Out<'_>) {
        let len = l.len();
        // Where the three status columns can start: `^\s{0,1}`.
        let leads: &[usize] = if len > 0 && l.ws(0) { &[1, 0] } else { &[0] };
        let status_at = |s: usize| s + 3 <= len && is_status(l.ch(s)) && is_status_or_space(l.ch(s + 1)) && is_status_or_space(l.ch(s + 2));

        // 1. A network alone on its line (17 or 18 characters): the path
        //    follows on the next line.
        for &s in leads {
            if let Some(p) = status_at(s).then(|| network_alone(&l, s + 3)).flatten() {
                self.set_status(&l, s);
                self.set_network(l.slice(p, l.nonspace(p, 18)));
                return;
            }
        }
        // 2. The second line of such a path: 20 to 25 spaces, then the rest.
        let lead_ws = l.spaces(0, 25);
        if lead_ws >= 20 {
            for p in (20..=lead_ws).rev() {
                if let Some(t) = tail(&l, p).filter(|t| self.aligned(line, t)) {
                    self.set_tail(n, &t, out);
                    return;
                }
            }
        }
        // 3. Another path of the same network: status, no network.
        for &s in leads {
            if let Some(t) = status_at(s).then(|| self.no_network(line, &l, s + 3)).flatten() {
                self.set_status(&l, s);
                self.set_tail(n, &t, out);
                return;
            }
        }
        // 4. A full line.
        for &s in leads {
            if let Some((p, t)) = status_at(s).then(|| self.full(line, &l, s + 3)).flatten() {
                self.set_status(&l, s);
                self.set_network(l.slice(p, l.nonspace(p, 18)));
                self.set_tail(n, &t, out);
                return;
            }
        }
        // The same layouts with the wider status class, for the typed model.
        let wide_at = |s: usize| s + 3 <= len && is_wide(l.ch(s)) && (is_wide(l.ch(s + 1)) || l.ch(s + 1) == ' ') && (is_wide(l.ch(s + 2)) || l.ch(s + 2) == ' ');
        for &s in leads {
            if !wide_at(s) {
                continue;
            }
            // A fourth code column (`* ia`) takes the first of the two spaces.
            let after = if s + 3 < len && is_wide(l.ch(s + 3)) { s + 4 } else { s + 3 };
            let status = l.slice(s, after).to_string();
            if let Some(p) = network_alone(&l, after) {
                let net = l.slice(p, l.nonspace(p, 18)).to_string();
                self.typed_only(&status, Some(&net), None, out);
                return;
            }
            if let Some(t) = self.no_network(line, &l, after) {
                self.typed_only(&status, None, Some(&t), out);
                return;
            }
            if let Some((p, t)) = self.full(line, &l, after) {
                let net = l.slice(p, l.nonspace(p, 18)).to_string();
                self.typed_only(&status, Some(&net), Some(&t), out);
                return;
            }
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with("Total number of prefixes") {
            return;
        }
        if self.by_tokens(n, line, out) {
            return;
        }
        if self.advertised || leads.iter().any(|&s| status_at(s)) || lead_ws >= 20 || starts_like_row(t) {
            out.warn(n, "a BGP table line that fits none of the column layouts (truncated?)");
        }
    }

    /// Another path of the same network after the status columns (ending at
    /// `after`): 17 to 19 blanks where the network would be, then the path.
    #[inline]
    fn no_network<'a, T: Text<'a>>(&self, line: &str, l: &T, after: usize) -> Option<Tail<'a>> {
        let run = l.spaces(after, 19) - after;
        if run < 17 {
            return None;
        }
        (17..=run).rev().find_map(|w| tail(l, after + w).filter(|t| self.aligned(line, t)))
    }

    /// A full line after the status columns (ending at `after`): where the
    /// network starts, and the path.
    #[inline]
    fn full<'a, T: Text<'a>>(&self, line: &str, l: &T, after: usize) -> Option<(usize, Tail<'a>)> {
        let sp_max = l.spaces(after, 2) - after;
        (0..=sp_max).rev().map(|sp| after + sp).find_map(|p| {
            let fits = p + 16 < l.len() && l.ws(p + 16) && !l.ws(p);
            fits.then(|| tail(l, p + 17).filter(|t| self.aligned(line, t))).flatten().map(|t| (p, t))
        })
    }

    /// Whether the numbers the fixed columns found each end nearer to their
    /// own header than to another's: a row shifted by a character reads
    /// the metric as the local preference.
    #[inline]
    fn aligned(&self, line: &str, t: &Tail<'_>) -> bool {
        let e = number_ends(self.header, line, t.next_hop);
        [t.metric, t.local_pref, t.weight].iter().enumerate().all(|(k, w)| {
            if w.is_empty() {
                return true;
            }
            let end = offset(line, w) + w.len();
            (0..3).all(|c| e[k].abs_diff(end) <= e[c].abs_diff(end))
        })
    }

    /// A row the fixed columns do not fit (shifted by a character or two, a
    /// blank status, four status codes, a deeper indent), read by its
    /// tokens: status codes, the network if any, the next hop, the numbers
    /// placed under the header's `Metric`, `LocPrf` and `Weight` by where
    /// they end, the AS path and the origin code last. Whether it was read.
    fn by_tokens(&mut self, n: usize, line: &str, out: &mut Out<'_>) -> bool {
        let Some(row) = token_row(line, self.header) else { return false };
        let narrow = row.codes.len() <= 3 && row.codes.chars().all(is_status_or_space);
        if !narrow || row.codes.starts_with(' ') {
            let status = row.codes.trim_end().to_string();
            self.typed_only(&status, row.network, row.tail.as_ref(), out);
            return true;
        }
        let codes = row.codes.as_bytes();
        let code = |i: usize| codes.get(i).map_or(" ", |_| &row.codes[i..i + 1]);
        self.fsm.set(F::status, code(0));
        self.fsm.set(F::path_selection, code(1));
        self.fsm.set(F::route_source, code(2));
        if self.wide_seen {
            self.fsm.set(F::_status, row.codes);
        }
        if let Some(net) = row.network {
            self.set_network(net);
        }
        if let Some(t) = row.tail {
            self.set_tail(n, &t, out);
        }
        true
    }
}

/// A network alone on its line after the status columns (ending at
/// `after`), 17 or 18 characters with the path on the next line: where it
/// starts.
#[inline]
fn network_alone<'a, T: Text<'a>>(l: &T, after: usize) -> Option<usize> {
    let sp_max = l.spaces(after, 2) - after;
    (0..=sp_max).rev().map(|sp| after + sp).find(|&p| l.len() - p == 17 || l.len() - p == 18)
}

/// What [`token_row`] read.
struct TokenRow<'a> {
    codes: &'a str,
    network: Option<&'a str>,
    /// `None`: a network alone on its line.
    tail: Option<Tail<'a>>,
}

/// A line that begins as a table row would, status aside: a network or an
/// address.
fn starts_like_row(t: &str) -> bool {
    let first = t.split_whitespace().find(|w| !w.chars().all(is_wide)).unwrap_or("");
    is_network(first)
}

fn is_addr(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// `10.0.0.0/8`, `10.0.0.0`, `2001:db8::/32`, or an EVPN/VPLS route in
/// brackets (`[5][65535:1][0][24][10.1.1.0]/17`).
fn is_network(s: &str) -> bool {
    crate::show::bgp_columns::looks_like_prefix(s) || (s.starts_with('[') && s.contains(']'))
}

/// A network of another address family, alone on its line: anything
/// ending in `/length` (`100:1051:VEID-2:Blk-1/136`).
fn is_nlri(s: &str) -> bool {
    s.rsplit_once('/').is_some_and(|(a, l)| !a.is_empty() && !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
}

/// The byte offset of `w` (a slice of `line`) in `line`.
fn offset(line: &str, w: &str) -> usize {
    w.as_ptr() as usize - line.as_ptr() as usize
}

/// Where the header's `Metric`, `LocPrf` and `Weight` end in a row whose
/// next hop is `next_hop` (a slice of `line`).
#[inline]
fn number_ends(header: [usize; 4], line: &str, next_hop: &str) -> [usize; 3] {
    let at = offset(line, next_hop);
    [1, 2, 3].map(|k| (header[k] + at).saturating_sub(header[0]))
}

fn token_row(line: &str, header: [usize; 4]) -> Option<TokenRow<'_>> {
    let mut toks = line.split_whitespace().peekable();
    // Status codes: up to four columns of code letters before the network.
    let mut codes_end = 0;
    while let Some(w) = toks.peek() {
        let end = offset(line, w) + w.len();
        if w.chars().all(is_wide) && end <= 6 {
            codes_end = end;
            toks.next();
        } else {
            break;
        }
    }
    let codes = line[..codes_end].trim_start();
    let rest: Vec<&str> = toks.collect();
    let (network, body) = match rest.as_slice() {
        [net] if is_network(net) || is_nlri(net) => return Some(TokenRow { codes, network: Some(net), tail: None }),
        [net, nh, ..] if is_network(net) && is_addr(nh) => (Some(*net), &rest[1..]),
        [nh, ..] if is_addr(nh) => (None, &rest[..]),
        _ => return None,
    };
    // The next hop, numbers, the AS path, the origin code.
    let (origin, middle) = body[1..].split_last()?;
    let number_ends = number_ends(header, line, body[0]);
    if !matches!(*origin, "i" | "e" | "?") {
        return None;
    }
    let mut nums = ["", "", ""];
    let mut k = 0;
    while k < middle.len() && middle[k].bytes().all(|b| b.is_ascii_digit()) {
        let end = offset(line, middle[k]) + middle[k].len();
        if end > number_ends[2] + 3 {
            break;
        }
        let col = (0..3).min_by_key(|&c| number_ends[c].abs_diff(end)).unwrap_or(2);
        nums[col] = middle[k];
        k += 1;
    }
    let as_path = match (middle.get(k), middle.last()) {
        (Some(a), Some(b)) => &line[offset(line, a)..offset(line, b) + b.len()],
        _ => "",
    };
    Some(TokenRow { codes, network, tail: Some(Tail { next_hop: body[0], metric: nums[0], local_pref: nums[1], weight: nums[2], as_path, origin }) })
}
