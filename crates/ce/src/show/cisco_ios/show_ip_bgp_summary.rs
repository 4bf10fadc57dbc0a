//! Cisco IOS / IOS-XE `show ip bgp summary` (also `show ip bgp all summary`,
//! `show bgp ipv4 unicast summary`): one record per neighbor row, after
//! ntc-templates' `cisco_ios_show_ip_bgp_summary`.
//!
//! Rows need a router id before them (the template's `Required` router id);
//! `For address family:` blocks (`show ip bgp all summary`) fill the address
//! family down. The state column is one or two words (`Idle (Admin)`).
//!
//! IPv6 neighbours are rows too (the template knows only IPv4 ones): an
//! address too long for its column is alone on its line, the rest of the
//! row on the next. Every other line of the neighbour table is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::{summary_columns, Fields, NEIGHBOR_ROW};
use crate::show::LineParser;
use crate::text::{is_asn, is_digits, is_neighbor_addr as is_neighbor, Cur};

schema! {
    router_id: FILLDOWN | REQUIRED, local_as: FILLDOWN, address_family: FILLDOWN, bgp_neighbor, bgp_version,
    neighbor_as, messages_received, messages_sent, table_version, input_queue, output_queue, up_down,
    state_or_prefixes_received,
}

const ROW: Fields<10> = Fields::of(SCHEMA, NEIGHBOR_ROW);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    /// Between the `Neighbor V AS …` header and the end of its table.
    in_table: bool,
    /// An IPv6 neighbour alone on its line: (line number, address).
    wrapped: Option<(usize, String)>,
}

/// `BGP router identifier X, local AS number N` (asdot allowed), nothing after.
pub(crate) fn router_id_line(line: &str) -> Option<(&str, &str)> {
    let mut c = Cur::new(line);
    if !c.words("BGP router identifier") || !c.ws() {
        return None;
    }
    let id = c.take_while(|ch| ch.is_ascii_digit() || ('a'..='f').contains(&ch) || ch == ':' || ch == '.');
    if id.is_empty() || !c.lit(",") || !c.ws() || !c.words("local AS number") || !c.ws() {
        return None;
    }
    let asn = c.word()?;
    (is_asn(asn) && c.eol()).then_some((id, asn))
}

/// A neighbor row: ten columns, the state one or two words.
pub(crate) fn row(line: &str) -> Option<[&str; 10]> {
    let mut t = [""; 11];
    let mut n = 0;
    for w in line.split_whitespace() {
        if n == 11 {
            return None;
        }
        t[n] = w;
        n += 1;
    }
    if n < 10 || line.starts_with(char::is_whitespace) {
        return None;
    }
    let ok = is_neighbor(t[0]) && is_digits(t[1]) && is_asn(t[2]) && t[3..8].iter().all(|w| is_digits(w));
    if !ok {
        return None;
    }
    // `Idle (Admin)`: the two words keep the spaces between them.
    Some(summary_columns(line, &t[..n], 0))
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        let mut c = Cur::new(line);
        if c.words("For address family:") && c.ws() && !c.at_end() {
            f.set(F::address_family, c.rest());
            self.in_table = false;
            return;
        }
        if let Some((id, asn)) = router_id_line(line) {
            f.set(F::router_id, id);
            f.set(F::local_as, asn);
            self.in_table = false;
            return;
        }
        if line.starts_with("Neighbor") && line.split_whitespace().nth(2) == Some("AS") {
            self.in_table = true;
            return;
        }
        let wrapped = self.wrapped.take();
        let joined;
        let line = match &wrapped {
            Some((_, addr)) if line.starts_with(char::is_whitespace) => {
                joined = format!("{addr} {}", line.trim_start());
                joined.as_str()
            }
            Some((at, _)) => {
                out.warn(*at, "a neighbor alone on its line, without the rest of its row after it");
                line
            }
            None => line,
        };
        if let Some(t) = row(line) {
            ROW.set(f, t);
            f.record(out.sink);
            return;
        }
        let first = line.split_whitespace().next();
        if self.in_table && !line.starts_with(char::is_whitespace) && first.is_some_and(is_neighbor) && line.split_whitespace().nth(1).is_none() {
            self.wrapped = Some((n, line.trim_end().to_string()));
            return;
        }
        if first.is_some_and(is_neighbor) || (self.in_table && first.is_some()) {
            out.warn(n, "a neighbor row that does not parse (truncated?)");
        } else if first.is_none() {
            self.in_table = false;
        }
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        if let Some((at, _)) = self.wrapped.take() {
            out.warn(at, "a neighbor alone on its line, without the rest of its row after it");
        }
    }
}
