//! Cisco NX-OS `show ip bgp summary vrf …` (`vrf all`), after ntc-templates'
//! `cisco_nxos_show_ip_bgp_summary_vrf`: the VRF and address family of each
//! block, its router id and AS, and the neighbor rows, whole or wrapped
//! after a long AS number.

use crate::fsm::{schema, Out};
use crate::show::rows::{renamed, summary_columns, summary_continuation, Fields, NEIGH_ROW};
use crate::show::Rules;
use crate::text::{is_digits, is_dotted4};

schema! {
    vrf: FILLDOWN, address_family: FILLDOWN, router_id: FILLDOWN, local_as: FILLDOWN, bgp_neigh: REQUIRED,
    bgp_ver, neigh_as: REQUIRED, msg_rcvd, msg_sent, tblver, in_queue, out_queue, up_down, state_pfxrcd,
}

const ROW: Fields<10> = Fields::of(SCHEMA, renamed(renamed(NEIGH_ROW, 1, "bgp_ver"), 5, "tblver"));

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        if let Some(r) = line.strip_prefix("BGP summary information for VRF ") {
            // `(\S+), address family (\S+\s\S+)`
            if let Some(i) = r.find(", address family ") {
                let vrf = &r[..i];
                let af = &r[i + 17..];
                let mut parts = af.splitn(2, char::is_whitespace);
                if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                    let b = b.split_whitespace().next().unwrap_or("");
                    if !vrf.is_empty() && !vrf.contains(char::is_whitespace) && !a.is_empty() && !b.is_empty() && !af[a.len()..].starts_with("  ") {
                        f.set(F::vrf, vrf);
                        f.set(F::address_family, &af[..a.len() + 1 + b.len()]);
                        return;
                    }
                }
            }
        }
        if let Some(r) = line.strip_prefix("BGP router identifier ") {
            if let Some((id, rest)) = r.split_once(", local AS number ") {
                let asn = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
                if is_dotted4(id, 0) && !asn.is_empty() {
                    f.set(F::router_id, id);
                    f.set(F::local_as, asn);
                    return;
                }
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        let starts_ws = line.starts_with(char::is_whitespace);
        if !starts_ws && w.len() >= 3 && is_dotted4(w[0], 0) && w[1].len() == 1 && is_digits(w[1]) {
            // `^NEIGH\s+(\d)\s+(\S+).*` -> Continue
            let whole = (w.len() == 10 || w.len() == 11) && w[3..8].iter().all(|x| is_digits(x));
            ROW.set_cols(f, 0..if whole { 10 } else { 3 }, &summary_columns(line, &w, 0));
            if whole {
                f.record(out.sink);
            }
            return;
        }
        if summary_continuation(f, &ROW, line, &w, out) {
            return;
        }
        if !w.is_empty() && is_dotted4(w[0], 0) {
            out.warn(n, "a neighbor row that does not parse (truncated?)");
        }
    }
}
