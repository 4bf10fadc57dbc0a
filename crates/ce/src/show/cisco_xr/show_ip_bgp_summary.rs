//! Cisco IOS-XR `show bgp summary` (ntc-templates names it `show ip bgp
//! summary`; also `show bgp ipv4 unicast summary`, `show bgp all all
//! summary`), after `cisco_xr_show_ip_bgp_summary`: the router id and local
//! AS, the `Neighbor  Spk  AS …` header, then the rows (`St/PfxRcd` may be
//! `Idle`, `Active`, a count, with `!` for a neighbor without policy).
//!
//! Where the template stops with an error — a second address family or VRF
//! block (`Address Family: …`, `VRF: …`) after the rows — erdiag starts
//! over for that block, so that `show bgp all all summary` reads whole; the
//! block's name is kept for the typed model.

use crate::fsm::{schema, Out};
use crate::show::rows::{Fields, NEIGH_ROW};
use crate::show::LineParser;
use crate::text::{is_digits, is_summary_row, Cur};

schema! {
    router_id: FILLDOWN, local_as: FILLDOWN, bgp_neigh, neigh_as, msg_rcvd, msg_sent, in_queue, out_queue,
    up_down, state_pfxrcd, _address_family: HIDDEN | FILLDOWN,
}

const ROW: Fields<10> = Fields::of(SCHEMA, NEIGH_ROW);

#[derive(PartialEq, Default)]
enum State {
    #[default]    Start,
    Begin,
    Neighbors,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    state: State,
}

/// `^.*\s+(\d+\.\d+\.\d+\.\d+).*number\s+(\d+)`
fn router_line(line: &str) -> Option<(&str, &str)> {
    // The last `number\s+\d+`.
    let mut asn = None;
    let mut num_at = 0;
    for (i, _) in line.match_indices("number") {
        let mut c = Cur::new(&line[i + 6..]);
        if c.ws() {
            if let Some(d) = c.digits() {
                asn = Some(d);
                num_at = i;
            }
        }
    }
    let asn = asn?;
    // The last whitespace-preceded dotted quad before it.
    let head = &line[..num_at];
    let mut id = None;
    for (i, ch) in head.char_indices() {
        if ch.is_whitespace() {
            let r = &head[i + ch.len_utf8()..];
            let r = r.trim_start();
            let tok = r.split(|c: char| !(c.is_ascii_digit() || c == '.')).next().unwrap_or("");
            // `\d+\.\d+\.\d+\.\d+` as a prefix: the first four groups.
            let groups: Vec<&str> = tok.split('.').collect();
            if groups.len() >= 4 && groups[..4].iter().all(|g| is_digits(g)) {
                let len = groups[..4].iter().map(|g| g.len()).sum::<usize>() + 3;
                id = Some(&tok[..len]);
            }
        }
    }
    Some((id?, asn))
}

/// `^NEIGH\s+\d+\s+AS\s+rcvd\s+sent\s+\d+\s+inq\s+outq\s+(\S+)\s+(\S+)` (a prefix of the line).
pub(crate) fn row(line: &str) -> Option<[&str; 10]> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let mut t = [""; 10];
    let mut k = 0;
    for w in line.split_whitespace() {
        if k == 10 {
            break;
        }
        t[k] = w;
        k += 1;
    }
    (k == 10 && is_summary_row(&t)).then_some(t)
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim_start();
        if let Some(af) = t.strip_prefix("Address Family: ").or_else(|| t.strip_prefix("VRF: ")) {
            // A new block (the template would stop here with an error).
            self.fsm.set(F::_address_family, af.trim());
            self.state = State::Start;
            return;
        }
        match self.state {
            State::Start => {
                if let Some((id, asn)) = router_line(line) {
                    self.fsm.set(F::router_id, id);
                    self.fsm.set(F::local_as, asn);
                    self.state = State::Begin;
                }
            }
            State::Begin => {
                if line.starts_with("Neighbor") && line[8..].starts_with(char::is_whitespace) && line.contains("Spk") {
                    self.state = State::Neighbors;
                }
            }
            State::Neighbors => {
                if let Some(w) = row(line) {
                    ROW.set(&mut self.fsm, w);
                    self.fsm.record(out.sink);
                } else if !t.is_empty() {
                    out.warn(n, "not a neighbor row");
                }
            }
        }
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, _out: &mut Out<'_>) {}
}
