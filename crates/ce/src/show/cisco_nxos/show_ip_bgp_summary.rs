//! Cisco NX-OS `show ip bgp summary`, after ntc-templates'
//! `cisco_nxos_show_ip_bgp_summary`: per-VRF blocks (`BGP summary
//! information for VRF X, address family …`, filled down), neighbor rows on
//! one line or wrapped after a long AS number. The known header lines are
//! skipped; anything else is a warning (the template's `Error`).
//!
//! Beyond the template: IPv6 neighbours, alone on their line with the row
//! on the next (or the next two, after a long AS number), and AS numbers in
//! asdot (`65000.100`), kept whole.

use crate::fsm::{schema, Out};
use crate::show::rows::{Fields, label, summary_columns, summary_continuation, NEIGH_ROW};
use crate::show::Rules;
use crate::text::{is_asn, is_digits, is_neighbor_addr, Cur};

schema! {
    router_id: FILLDOWN, local_as: FILLDOWN, vrf: FILLDOWN, bgp_neigh: REQUIRED, neigh_as, msg_rcvd, msg_sent,
    in_queue, out_queue, up_down, state_pfxrcd, address_family: HIDDEN | FILLDOWN,
}

const ROW: Fields<10> = Fields::of(SCHEMA, NEIGH_ROW);

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// `^BGP.+VRF\s+([A-Za-z0-9\-_]+)`: the last such VRF on the line.
pub(crate) fn vrf_of(line: &str) -> Option<&str> {
    if !line.starts_with("BGP") {
        return None;
    }
    let mut found = None;
    for (i, _) in line.match_indices("VRF") {
        if i < 4 {
            continue;
        }
        let mut c = Cur::new(&line[i + 3..]);
        if c.ws() {
            let v = c.take_while(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
            if !v.is_empty() {
                found = Some(v);
            }
        }
    }
    found
}

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        if let Some(v) = vrf_of(line) {
            f.set(F::vrf, v);
            // `…, address family IPv4 Unicast`
            f.opt(F::address_family, line.split_once("address family").map(|(_, a)| a.trim()).filter(|a| !a.is_empty()));
            return;
        }
        if let Some(mut c) = label(line, "BGP router identifier") {
            if let Some(id) = c.until(",") {
                if !id.contains(char::is_whitespace) && !id.is_empty() {
                    c.lit(",");
                    if c.ws() && (c.lit("Local") || c.lit("local")) && c.ws() && (c.lit("AS") || c.lit("As") || c.lit("aS") || c.lit("as")) && c.ws() && c.lit("number") && c.ws() {
                        if let Some(asn) = c.digits() {
                            f.set(F::router_id, id);
                            f.set(F::local_as, asn);
                            return;
                        }
                    }
                }
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Neighbor") && w == ["Neighbor", "V", "AS", "MsgRcvd", "MsgSent", "TblVer", "InQ", "OutQ", "Up/Down", "State/PfxRcd"] {
            return;
        }
        let starts_ws = line.starts_with(char::is_whitespace);
        // A whole row: neighbor V AS rcvd sent tblver inq outq up/down state.
        if !starts_ws && (w.len() == 10 || w.len() == 11) && is_neighbor_addr(w[0]) && is_digits(w[1]) && is_asn(w[2]) && w[3..8].iter().all(|x| is_digits(x)) {
            ROW.set(f, summary_columns(line, &w, 0));
            f.record(out.sink);
            return;
        }
        // A row wrapped after the AS: `^NEIGH\s+\d+\s+(\d+)`.
        if !starts_ws && w.len() >= 3 && is_neighbor_addr(w[0]) && is_digits(w[1]) && w[2].starts_with(|c: char| c.is_ascii_digit()) {
            f.set(F::bgp_neigh, w[0]);
            let asn = if is_asn(w[2]) { w[2] } else { &w[2][..w[2].bytes().take_while(u8::is_ascii_digit).count()] };
            f.set(F::neigh_as, asn);
            return;
        }
        // A neighbour alone on its line (an IPv6 address too long for the
        // column); the version and the AS next, then the rest of the row.
        if !starts_ws && w.len() == 1 && is_neighbor_addr(w[0]) {
            f.set(F::bgp_neigh, w[0]);
            return;
        }
        if starts_ws && (w.len() == 2 || w.len() == 9 || w.len() == 10) && is_digits(w[0]) && is_asn(w[1]) && w[2..w.len().min(7)].iter().all(|x| is_digits(x)) && !f.value(F::bgp_neigh).is_empty() {
            f.set(F::neigh_as, w[1]);
            if w.len() > 2 {
                ROW.set_cols(f, 3..10, &summary_columns(line, &w, 1));
                f.record(out.sink);
            }
            return;
        }
        // Its continuation.
        if summary_continuation(f, &ROW, line, &w, out) {
            return;
        }
        if is_known_header(line) {
            return;
        }
        out.warn(n, "not a line of a BGP summary");
    }
}

fn is_known_header(line: &str) -> bool {
    if line.trim().is_empty() {
        return true;
    }
    // ^.*\s+bytes\s+of\s+memory
    if line.match_indices("bytes").any(|(i, _)| i > 0 && line[..i].ends_with(char::is_whitespace) && {
        let mut c = Cur::new(&line[i + 5..]);
        c.ws() && c.lit("of") && c.ws() && c.lit("memory")
    }) {
        return true;
    }
    if Cur::new(line).words("BGP table version") || Cur::new(line).words("BGP attribute entries") || Cur::new(line).words("BGP community entries") || Cur::new(line).words("BGP activity") {
        return true;
    }
    let mut c = Cur::new(line);
    if c.digits().is_some() && c.ws() {
        let r = c.rest();
        if Cur::new(r).words("network entries") || r.starts_with("received") || r.starts_with("identical") || Cur::new(r).words("networks peaked at") {
            return true;
        }
    }
    false
}
