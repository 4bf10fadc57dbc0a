//! Cisco IOS-XR `show bgp vrf all ipv4 unicast summary` (and `show bgp vrf
//! all summary`), after ntc-templates'
//! `cisco_xr_show_bgp_vrf_all_ipv4_unicast_summary`: one record per VRF
//! with its RD, state and local AS, and the neighbors as lists (empty lists
//! for a VRF without neighbors).

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_summary_row, Cur};

schema! {
    Vrf = "vrf": REQUIRED,
    Rd = "rd",
    State = "state",
    LocalAsNumber = "local_as_number",
    BgpNeighbor = "bgp_neighbor": LIST,
    NeighborAs = "neighbor_as": LIST,
    MessagesReceived = "messages_received": LIST,
    MessagesSent = "messages_sent": LIST,
    TableVersion = "table_version": LIST,
    InputQueue = "input_queue": LIST,
    OutputQueue = "output_queue": LIST,
    UpDown = "up_down": LIST,
    StateOrPrefixesReceived = "state_or_prefixes_received": LIST,
    Spk = "spk": LIST,
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
        let f = &mut self.fsm;
        let mut c = Cur::new(line);
        // ^BGP\s+VRF\s+(\S+),\s+state:\s+(\w+)
        if c.words("BGP VRF") && c.ws() {
            if let Some(w) = c.word() {
                if let Some(vrf) = w.strip_suffix(',') {
                    if c.ws() && c.lit("state:") && c.ws() {
                        if let Some(st) = c.wordchars() {
                            f.set(F::Vrf, vrf);
                            f.set(F::State, st);
                            return;
                        }
                    }
                }
            }
        }
        let mut c = Cur::new(line);
        if c.words("BGP Route Distinguisher:") && c.ws() {
            if let Some(rd) = c.word() {
                f.set(F::Rd, rd);
                return;
            }
        }
        // ^.*,\s+local\s+AS\s+number\s+(\S+)
        if let Some(i) = line.rfind(',') {
            let _ = i;
            let mut best = None;
            for (i, _) in line.match_indices(',') {
                let mut c = Cur::new(&line[i + 1..]);
                if c.ws() && c.words("local AS number") && c.ws() {
                    if let Some(a) = c.word() {
                        best = Some(a);
                    }
                }
            }
            if let Some(a) = best {
                f.set(F::LocalAsNumber, a);
                return;
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() == 10 && !line.starts_with(char::is_whitespace) && is_summary_row(&w) {
            f.set(F::BgpNeighbor, w[0]);
            f.set(F::Spk, w[1]);
            f.set(F::NeighborAs, w[2]);
            f.set(F::MessagesReceived, w[3]);
            f.set(F::MessagesSent, w[4]);
            f.set(F::TableVersion, w[5]);
            f.set(F::InputQueue, w[6]);
            f.set(F::OutputQueue, w[7]);
            f.set(F::UpDown, w[8]);
            f.set(F::StateOrPrefixesReceived, w[9]);
            return;
        }
        if line.starts_with("VRF:") {
            f.record(out.sink);
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
