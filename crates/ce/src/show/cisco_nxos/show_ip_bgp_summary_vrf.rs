//! Cisco NX-OS `show ip bgp summary vrf …` (`vrf all`), after ntc-templates'
//! `cisco_nxos_show_ip_bgp_summary_vrf`: the VRF and address family of each
//! block, its router id and AS, and the neighbor rows, whole or wrapped
//! after a long AS number.

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_digits, is_dotted4, Cur};

use super::show_ip_bgp_summary::join_state;

schema! {
    Vrf = "vrf": FILLDOWN,
    AddressFamily = "address_family": FILLDOWN,
    RouterId = "router_id": FILLDOWN,
    LocalAs = "local_as": FILLDOWN,
    BgpNeigh = "bgp_neigh": REQUIRED,
    BgpVer = "bgp_ver",
    NeighAs = "neigh_as": REQUIRED,
    MsgRcvd = "msg_rcvd",
    MsgSent = "msg_sent",
    Tblver = "tblver",
    InQueue = "in_queue",
    OutQueue = "out_queue",
    UpDown = "up_down",
    StatePfxrcd = "state_pfxrcd",
}

pub(crate) struct Parser {
    fsm: Fsm,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA) }
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        if let Some(r) = line.strip_prefix("BGP summary information for VRF ") {
            // `(\S+), address family (\S+\s\S+)`
            if let Some(i) = r.find(", address family ") {
                let vrf = &r[..i];
                let af = &r[i + 17..];
                let mut parts = af.splitn(2, char::is_whitespace);
                if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                    let b = b.split_whitespace().next().unwrap_or("");
                    if !vrf.is_empty() && !vrf.contains(char::is_whitespace) && !a.is_empty() && !b.is_empty() && !af[a.len()..].starts_with("  ") {
                        f.set(F::Vrf, vrf);
                        f.set(F::AddressFamily, &af[..a.len() + 1 + b.len()]);
                        return;
                    }
                }
            }
        }
        if let Some(r) = line.strip_prefix("BGP router identifier ") {
            if let Some((id, rest)) = r.split_once(", local AS number ") {
                let asn = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
                if is_dotted4(id, 0) && !asn.is_empty() {
                    f.set(F::RouterId, id);
                    f.set(F::LocalAs, asn);
                    return;
                }
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        let starts_ws = line.starts_with(char::is_whitespace);
        if !starts_ws && w.len() >= 3 && is_dotted4(w[0], 0) && w[1].len() == 1 && is_digits(w[1]) {
            // `^NEIGH\s+(\d)\s+(\S+).*` -> Continue
            f.set(F::BgpNeigh, w[0]);
            f.set(F::BgpVer, w[1]);
            f.set(F::NeighAs, w[2]);
            if (w.len() == 10 || w.len() == 11) && w[3..8].iter().all(|x| is_digits(x)) {
                f.set(F::MsgRcvd, w[3]);
                f.set(F::MsgSent, w[4]);
                f.set(F::Tblver, w[5]);
                f.set(F::InQueue, w[6]);
                f.set(F::OutQueue, w[7]);
                f.set(F::UpDown, w[8]);
                f.set(F::StatePfxrcd, &join_state(line, &w[9..]));
                f.record(out.sink);
            }
            return;
        }
        if starts_ws && (w.len() == 7 || w.len() == 8) && w[..5].iter().all(|x| is_digits(x)) {
            f.set(F::MsgRcvd, w[0]);
            f.set(F::MsgSent, w[1]);
            f.set(F::Tblver, w[2]);
            f.set(F::InQueue, w[3]);
            f.set(F::OutQueue, w[4]);
            f.set(F::UpDown, w[5]);
            f.set(F::StatePfxrcd, &join_state(line, &w[6..]));
            f.record(out.sink);
            return;
        }
        let _ = Cur::new(line);
        if !w.is_empty() && is_dotted4(w[0], 0) {
            out.warn(n, "a neighbor row that does not parse (truncated?)");
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
