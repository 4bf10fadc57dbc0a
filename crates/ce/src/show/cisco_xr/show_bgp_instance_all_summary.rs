//! Cisco IOS-XR `show bgp instance all summary`, after ntc-templates'
//! `cisco_xr_show_bgp_instance_all_summary`: per instance (`BGP instance 0:
//! 'default'`), its router id and AS, then the neighbor rows.

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_digits, is_dotted4, is_summary_row};

schema! {
    InstanceId = "instance_id": FILLDOWN,
    InstanceName = "instance_name": FILLDOWN,
    RouterId = "router_id": FILLDOWN,
    LocalAs = "local_as": FILLDOWN,
    BgpNeigh = "bgp_neigh": REQUIRED,
    NeighAs = "neigh_as",
    MsgRcvd = "msg_rcvd",
    MsgSent = "msg_sent",
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
    fn line(&mut self, _n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim();
        let f = &mut self.fsm;
        // ^\s*BGP instance (\d+): '(\S+)'\s*$
        if let Some(r) = t.strip_prefix("BGP instance ") {
            if let Some((id, name)) = r.split_once(": '") {
                if is_digits(id) && name.len() >= 2 && name.ends_with('\'') && !name.contains(char::is_whitespace) {
                    f.set(F::InstanceId, id);
                    f.set(F::InstanceName, &name[..name.len() - 1]);
                }
            }
            return;
        }
        // ^\s*BGP router identifier (ip), local AS number (\d+)\s*$
        if let Some(r) = t.strip_prefix("BGP router identifier ") {
            if let Some((id, asn)) = r.split_once(", local AS number ") {
                if is_dotted4(id, 0) && is_digits(asn) {
                    f.set(F::RouterId, id);
                    f.set(F::LocalAs, asn);
                }
            }
            return;
        }
        let w: Vec<&str> = t.split_whitespace().collect();
        if w.len() == 10 && is_summary_row(&w) {
            f.set(F::BgpNeigh, w[0]);
            f.set(F::NeighAs, w[2]);
            f.set(F::MsgRcvd, w[3]);
            f.set(F::MsgSent, w[4]);
            f.set(F::InQueue, w[6]);
            f.set(F::OutQueue, w[7]);
            f.set(F::UpDown, w[8]);
            f.set(F::StatePfxrcd, w[9]);
            f.record(out.sink);
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
