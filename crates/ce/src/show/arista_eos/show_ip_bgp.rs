//! Arista EOS `show ip bgp` (also `vrf X` / `vrf all`), after
//! ntc-templates' `arista_eos_show_ip_bgp`: one record per path (` * >
//! 10.1.0.0/16  172.16.0.2  0  100  0  12076 65515 i`), with the three
//! status columns, network, next hop, metric, local preference, weight, AS
//! path and origin, and the VRF, router ID and local AS of the header
//! (filled down).
//!
//! The template reads three status columns: the wider codes of newer EOS
//! (` * >Ec   10.100.0.0/16 …`, ECMP paths) fit none of its rules, and
//! TextFSM drops those paths; they are kept for the typed model only (the
//! codes in a hidden field). The template has an `EOF` state (no record at
//! the end) and no `Error` rule: the lines it ignores are the header's; any
//! other line is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::{captures, Fields, leading_asn, PATH};
use crate::show::Rules;
use crate::text::Cur;

schema! {
    status, path_selection, route_source, network, next_hop, metric, local_pref, weight, as_path, origin,
    vrf: FILLDOWN, local_as: FILLDOWN, router_id: FILLDOWN,
    // erdiag's: every code column, for the paths the template misses.
    _status: HIDDEN,
}

const PATH_FIELDS: Fields<6> = Fields::of(SCHEMA, PATH);

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

fn code(c: char) -> bool {
    matches!(c, 'b' | 'c' | 'e' | 'E' | 'i' | 's' | 'S' | '*' | '>' | '#' | '?')
}

/// One path of the table.
struct Row<'a> {
    codes: [&'a str; 3],
    cols: [&'a str; 5],
    as_path: &'a str,
    origin: &'a str,
}

/// `^\s${STATUS}${PATH_SELECTION}${ROUTE_SOURCE}\s+${NETWORK}\s+${NEXT_HOP}\s+${METRIC}\s+${LOCAL_PREF}\s+${WEIGHT}\s+${AS_PATH}\s+${ORIGIN}$$`
fn row(line: &str) -> Option<Row<'_>> {
    let mut it = line.char_indices();
    let (_, c0) = it.next()?;
    if !c0.is_whitespace() {
        return None;
    }
    let mut codes = [""; 3];
    for (k, slot) in codes.iter_mut().enumerate() {
        let (i, c) = it.next()?;
        if !(code(c) || (k > 0 && c == ' ')) {
            return None;
        }
        *slot = &line[i..i + c.len_utf8()];
    }
    let start = it.next().map_or(line.len(), |(i, _)| i);
    let (cols, as_path, origin) = columns(&line[start..])?;
    Some(Row { codes, cols, as_path, origin })
}

/// `\s+${NETWORK}\s+${NEXT_HOP}\s+${METRIC}\s+${LOCAL_PREF}\s+${WEIGHT}\s+${AS_PATH}\s+${ORIGIN}$$`
fn columns(s: &str) -> Option<([&str; 5], &str, &str)> {
    let mut c = Cur::new(s);
    let mut cols = [""; 5];
    for col in &mut cols {
        if !c.ws() {
            return None;
        }
        *col = c.word()?;
    }
    // `\s+${AS_PATH}\s+${ORIGIN}$$`: the origin is the last character,
    // blanks before it; the AS path (lazy) runs from the first non-blank
    // after the weight to those blanks.
    let r = c.rest();
    let (oi, o) = r.char_indices().last()?;
    if !matches!(o, 'i' | 'e' | '?') {
        return None;
    }
    let body = &r[..oi];
    let trimmed = body.trim_end();
    if trimmed.len() == body.len() {
        return None;
    }
    let lead = r.len() - r.trim_start().len();
    let as_path = if trimmed.is_empty() {
        // Only blanks between the weight and the origin: two at least
        // (one for each `\s+`).
        if body.chars().count() < 2 {
            return None;
        }
        ""
    } else {
        &r[lead..trimmed.len()]
    };
    Some((cols, as_path, &r[oi..]))
}

/// A path with wider status codes than the template's three columns
/// (` * >Ec   10.100.0.0/16  …`): the codes as printed, and the columns.
fn wide_row(line: &str) -> Option<(&str, [&str; 5], &str, &str)> {
    if !line.starts_with(char::is_whitespace) {
        return None;
    }
    let t = line.trim_start();
    let mut end = line.len() - t.len();
    for w in t.split_whitespace() {
        if !w.chars().all(code) {
            break;
        }
        end = line[end..].find(w).map_or(end, |i| end + i + w.len());
    }
    let codes = line[..end].trim();
    if codes.is_empty() {
        return None;
    }
    let (cols, as_path, origin) = columns(&line[end..])?;
    Some((codes, cols, as_path, origin))
}

/// `^Router\s+identifier\s+${ROUTER_ID},\s+local\s+AS\s+number\s+${LOCAL_AS}`
fn router_id(line: &str) -> Option<(&str, &str)> {
    let mut c = Cur::new(line);
    if !(c.lit("Router") && c.ws() && c.lit("identifier") && c.ws()) {
        return None;
    }
    let id = c.word()?.strip_suffix(',').filter(|s| !s.is_empty())?;
    if !(c.ws() && c.lit("local") && c.ws() && c.lit("AS") && c.ws() && c.lit("number") && c.ws()) {
        return None;
    }
    Some((id, leading_asn(c.rest())?))
}

/// The header lines the template matches without values, or that carry
/// nothing (the codes, the column names).
fn header(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || line.starts_with("AS Path Attributes") && line.len() > "AS Path Attributes".len()
        || t.starts_with("Route status codes:")
        || t.starts_with("Origin codes:")
        || t.starts_with("Network ") && t.contains("Next Hop")
        || (line.starts_with(char::is_whitespace) && t.contains(" - ") && !t.contains('/'))
}

impl Rules for F {
    /// The template has an `EOF` state: no record at the end.
    const EOF: bool = false;

    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        if let Some([v]) = captures(line, "BGP routing table information for VRF {w}") {
            f.set(F::vrf, v);
            return;
        }
        if let Some((id, asn)) = router_id(line) {
            f.set(F::router_id, id);
            f.set(F::local_as, asn);
            return;
        }
        if line.starts_with("AS Path Attributes") && line.len() > "AS Path Attributes".len() {
            return;
        }
        if let Some(r) = row(line) {
            f.set(F::status, r.codes[0]);
            f.set(F::path_selection, r.codes[1]);
            f.set(F::route_source, r.codes[2]);
            f.set(F::network, r.cols[0]);
            PATH_FIELDS.set(f, [r.cols[1], r.cols[2], r.cols[3], r.cols[4], r.as_path, r.origin]);
            f.record(out.sink);
            return;
        }
        if let Some((codes, cols, as_path, origin)) = wide_row(line) {
            // The ntc record is untouched: a copy of the header's values
            // carries the path to the typed model.
            let mut t = Fsm::default();
            for k in [F::vrf, F::local_as, F::router_id] {
                t.set(k, f.value(k));
            }
            t.set(F::_status, codes);
            t.set(F::network, cols[0]);
            PATH_FIELDS.set(&mut t, [cols[1], cols[2], cols[3], cols[4], as_path, origin]);
            t.record_typed_only(out.sink);
            return;
        }
        if !header(line) {
            out.warn(n, "not a line of `show ip bgp`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows() {
        let r = row(" * >   10.103.1.0/24       -                1       0       -       i").unwrap();
        assert_eq!((r.codes, r.cols, r.as_path, r.origin), (["*", " ", ">"], ["10.103.1.0/24", "-", "1", "0", "-"], "", "i"));
        let r = row(" *     0.0.0.0/0           200.200.58.242   0       450     0       64908 64907 ?").unwrap();
        assert_eq!((r.codes[1], r.as_path, r.origin), (" ", "64908 64907", "?"));
        assert!(row(" * >   10.1.0.0/16 1.1.1.1 0 0 0 i").is_none());
        assert!(row(" * >   10.1.0.0/16 1.1.1.1 0 0 0  i").is_some());
        assert!(row("* >   10.1.0.0/16 1.1.1.1 0 0 0  i").is_none());
        let w = wide_row(" * >Ec   10.100.0.0/16          172.16.0.2          0       100     0       12076 65515 i").unwrap();
        assert_eq!((w.0, w.1[0], w.2), ("* >Ec", "10.100.0.0/16", "12076 65515"));
        assert!(wide_row("                    S - Stale, c - Contributing to ECMP").is_none());
    }

    #[test]
    fn router_ids() {
        assert_eq!(router_id("Router identifier 10.103.1.1, local AS number 103"), Some(("10.103.1.1", "103")));
        assert_eq!(router_id("Router identifier 10.1.1.1, local AS number 1.5x"), Some(("10.1.1.1", "1.5")));
        assert_eq!(router_id("Router identifier 10.1.1.1, local AS number 1.x"), Some(("10.1.1.1", "1")));
        assert_eq!(router_id("Router identifier , local AS number 1"), None);
    }
}
