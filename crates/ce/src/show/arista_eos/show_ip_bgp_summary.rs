//! Arista EOS `show ip bgp summary` (also `vrf all`, `show bgp evpn
//! summary`), after ntc-templates' `arista_eos_show_ip_bgp_summary`: per-VRF
//! blocks, the router id and AS, rows with a separate state (`Estab`,
//! `Active`, `Idle(NoIf)`) and prefix counts (empty when not established),
//! with or without a leading description column.
//!
//! Beyond the template: IPv6 neighbours (rows, not warnings) and asdot AS
//! numbers (`local AS number 65000.100`) kept whole, not cut at the dot.

use crate::fsm::{schema, Out};
use crate::show::rows::{leading_asn, leading_digits, span, Fields, NEIGH_ROW};
use crate::show::LineParser;
use crate::text::{is_asn, is_digits, is_dotted4, is_neighbor_addr, Cur};

schema! {
    router_id: FILLDOWN, local_as: FILLDOWN, vrf: FILLDOWN, description, bgp_neigh: REQUIRED, neigh_as, msg_rcvd,
    msg_sent, in_queue, out_queue, up_down, state, state_pfxrcd, state_pfxacc,
}

const ROW: Fields<10> = Fields::of(SCHEMA, NEIGH_ROW);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
}

/// The eight columns from the neighbor to Up/Down: neighbor (IPv4 or
/// IPv6), V, AS (asplain or asdot), rcvd, sent, InQ, OutQ, Up/Down.
fn columns(w: &[&str]) -> bool {
    w.len() >= 8 && is_neighbor_addr(w[0]) && is_digits(w[1]) && is_asn(w[2]) && w[3..7].iter().all(|x| is_digits(x))
}

impl Parser {
    fn set_row(&mut self, w: &[&str], desc: Option<&str>) {
        let f = &mut self.fsm;
        if let Some(d) = desc {
            f.set(F::description, d);
        }
        // No table version column.
        ROW.set_cols(f, 0..9, &[w[0], w[1], w[2], w[3], w[4], "", w[5], w[6], w[7], ""]);
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        // ^BGP.+?VRF\s+(\S+)\s*$
        if line.starts_with("BGP") {
            for (i, _) in line.match_indices("VRF") {
                if i < 4 {
                    continue;
                }
                let mut c = Cur::new(&line[i + 3..]);
                if c.ws() {
                    if let Some(v) = c.word() {
                        if c.eol() {
                            self.fsm.set(F::vrf, v);
                            return;
                        }
                    }
                }
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        let headers: [&[&str]; 4] = [
            &["Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "InQ", "OutQ", "Up/Down", "State/PfxRcd"],
            &["Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "InQ", "OutQ", "Up/Down", "State", "PfxRcd"],
            &["Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "InQ", "OutQ", "Up/Down", "State", "PfxRcd", "PfxAcc"],
            &["Description", "Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "InQ", "OutQ", "Up/Down", "State", "PfxRcd", "PfxAcc"],
        ];
        if headers.iter().any(|h| w == *h) {
            return;
        }
        // ^.+\s+(ip),\s+[Ll]ocal\s+[Aa][Ss]\s+[Nn]umber\s+(\d+)
        for (i, _) in line.match_indices(',') {
            let head = &line[..i];
            let Some(sp) = head.rfind(char::is_whitespace) else { continue };
            let id = &head[sp + head[sp..].chars().next().map_or(1, char::len_utf8)..];
            if sp == 0 || !is_dotted4(id, 0) || head[..sp].trim_end().is_empty() {
                continue;
            }
            let mut c = Cur::new(&line[i + 1..]);
            let ci = |c: &mut Cur<'_>, w: &str| {
                let r = c.rest();
                if r.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w) && p[1..] == w[1..]) {
                    *c = Cur::new(&r[w.len()..]);
                    true
                } else {
                    false
                }
            };
            if c.ws() && ci(&mut c, "local") && c.ws() && {
                let r = c.rest();
                let ok = r.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("as"));
                if ok {
                    c = Cur::new(&r[2..]);
                }
                ok
            } && c.ws()
                && ci(&mut c, "number")
                && c.ws()
            {
                // asdot (`65000.100`) whole, not cut at the dot.
                if let Some(asn) = leading_asn(c.rest()) {
                    self.fsm.set(F::router_id, id);
                    self.fsm.set(F::local_as, asn);
                    return;
                }
            }
        }
        let indented = line.starts_with(char::is_whitespace);
        if indented {
            // 1. state, received and accepted.
            if w.len() >= 11 && columns(&w) && is_digits(w[9]) {
                if let Some(acc) = leading_digits(w[10]) {
                    self.set_row(&w, None);
                    let f = &mut self.fsm;
                    f.set(F::state, w[8]);
                    f.set(F::state_pfxrcd, w[9]);
                    f.set(F::state_pfxacc, acc);
                    f.record(out.sink);
                    return;
                }
            }
            // 2. a description first (one word, or several).
            for k in 1..w.len() {
                let rest = &w[k..];
                if rest.len() >= 9 && columns(rest) {
                    self.set_row(rest, Some(span(line, w[0], w[k - 1])));
                    let f = &mut self.fsm;
                    f.set(F::state, rest[8]);
                    let pfx = rest.get(9).and_then(|s| leading_digits(s));
                    // `\s*(\d+)?\s*(\d+)?`: the accepted count follows only a received count.
                    let acc = pfx.and_then(|p| if p.len() == rest[9].len() { rest.get(10).and_then(|s| leading_digits(s)) } else { leading_digits(&rest[9][p.len()..]) });
                    f.opt(F::state_pfxrcd, pfx);
                    f.opt(F::state_pfxacc, acc);
                    f.record(out.sink);
                    return;
                }
            }
            // 3. state only.
            if w.len() >= 9 && columns(&w) {
                self.set_row(&w, None);
                self.fsm.set(F::state, w[8]);
                self.fsm.record(out.sink);
                return;
            }
        } else if w.len() >= 9 && columns(&w) {
            self.set_row(&w, None);
            let f = &mut self.fsm;
            if let Some(p) = w.get(9).and_then(|s| leading_digits(s)) {
                f.set(F::state, w[8]);
                f.set(F::state_pfxrcd, p);
            } else if let Some(p) = leading_digits(w[8]) {
                f.set(F::state_pfxrcd, p);
            } else {
                f.set(F::state, w[8]);
            }
            f.record(out.sink);
            return;
        }
        if line.trim().is_empty() || Cur::new(line).words("Neighbor Status Codes:") {
            return;
        }
        out.warn(n, "not a line of a BGP summary");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
