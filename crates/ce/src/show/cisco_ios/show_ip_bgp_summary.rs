//! Cisco IOS / IOS-XE `show ip bgp summary` (also `show ip bgp all summary`,
//! `show bgp ipv4 unicast summary`): one record per neighbor row, after
//! ntc-templates' `cisco_ios_show_ip_bgp_summary`.
//!
//! Rows need a router id before them (the template's `Required` router id);
//! `For address family:` blocks (`show ip bgp all summary`) fill the address
//! family down. The state column is one or two words (`Idle (Admin)`).

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_asn, is_digits, is_dotted4, Cur};

schema! {
    RouterId = "router_id": FILLDOWN | REQUIRED,
    LocalAs = "local_as": FILLDOWN,
    AddressFamily = "address_family": FILLDOWN,
    Neighbor = "bgp_neighbor",
    Version = "bgp_version",
    NeighborAs = "neighbor_as",
    MsgRcvd = "messages_received",
    MsgSent = "messages_sent",
    TblVer = "table_version",
    InQ = "input_queue",
    OutQ = "output_queue",
    UpDown = "up_down",
    State = "state_or_prefixes_received",
}

pub(crate) struct Parser {
    fsm: Fsm,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA) }
    }
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
pub(crate) fn row(line: &str) -> Option<[&str; 11]> {
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
    let ok = is_dotted4(t[0], 0) && is_digits(t[1]) && is_asn(t[2]) && t[3..8].iter().all(|w| is_digits(w));
    if !ok {
        return None;
    }
    if n == 11 {
        // `Idle (Admin)`: the two words keep the spaces between them.
        let start = t[9].as_ptr() as usize - line.as_ptr() as usize;
        let end = t[10].as_ptr() as usize - line.as_ptr() as usize + t[10].len();
        t[9] = &line[start..end];
    }
    Some(t)
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        let mut c = Cur::new(line);
        if c.words("For address family:") && c.ws() && !c.at_end() {
            f.set(F::AddressFamily, c.rest());
            return;
        }
        if let Some((id, asn)) = router_id_line(line) {
            f.set(F::RouterId, id);
            f.set(F::LocalAs, asn);
            return;
        }
        if let Some(t) = row(line) {
            f.set(F::Neighbor, t[0]);
            f.set(F::Version, t[1]);
            f.set(F::NeighborAs, t[2]);
            f.set(F::MsgRcvd, t[3]);
            f.set(F::MsgSent, t[4]);
            f.set(F::TblVer, t[5]);
            f.set(F::InQ, t[6]);
            f.set(F::OutQ, t[7]);
            f.set(F::UpDown, t[8]);
            f.set(F::State, t[9]);
            f.record(out.sink);
            return;
        }
        if line.split_whitespace().next().is_some_and(|w| is_dotted4(w, 0)) {
            out.warn(n, "a neighbor row that does not parse (truncated?)");
        }
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, _out: &mut Out<'_>) {}
}
