//! Cisco IOS-XR `show bgp vrf all ipv4 unicast summary` (and `show bgp vrf
//! all summary`), after ntc-templates'
//! `cisco_xr_show_bgp_vrf_all_ipv4_unicast_summary`: one record per VRF
//! with its RD, state and local AS, and the neighbors as lists (empty lists
//! for a VRF without neighbors).

use crate::fsm::{schema, Out};
use crate::show::rows::{captures, Fields, renamed, summary_columns, NEIGHBOR_ROW};
use crate::show::Rules;
use crate::text::{is_summary_row, Cur};

schema! {
    vrf: REQUIRED, rd, state, local_as_number, bgp_neighbor: LIST, neighbor_as: LIST, messages_received: LIST,
    messages_sent: LIST, table_version: LIST, input_queue: LIST, output_queue: LIST, up_down: LIST,
    state_or_prefixes_received: LIST, spk: LIST,
}

const ROW: Fields<10> = Fields::of(SCHEMA, renamed(NEIGHBOR_ROW, 1, "spk"));

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    fn line(f: &mut Fsm, _n: usize, line: &str, out: &mut Out<'_>) {
        let mut c = Cur::new(line);
        // ^BGP\s+VRF\s+(\S+),\s+state:\s+(\w+)
        if c.words("BGP VRF") && c.ws() {
            if let Some(w) = c.word() {
                if let Some(vrf) = w.strip_suffix(',') {
                    if c.ws() && c.lit("state:") && c.ws() {
                        if let Some(st) = c.wordchars() {
                            f.set(F::vrf, vrf);
                            f.set(F::state, st);
                            return;
                        }
                    }
                }
            }
        }
        if let Some([rd]) = captures(line, "BGP Route Distinguisher: {w}") {
            f.set(F::rd, rd);
            return;
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
                f.set(F::local_as_number, a);
                return;
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() == 10 && !line.starts_with(char::is_whitespace) && is_summary_row(&w) {
            ROW.set(f, summary_columns(line, &w, 0));
            return;
        }
        if line.starts_with("VRF:") {
            f.record(out.sink);
        }
    }
}
