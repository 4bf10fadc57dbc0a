//! Cisco IOS-XR `show bgp instance all summary`, after ntc-templates'
//! `cisco_xr_show_bgp_instance_all_summary`: per instance (`BGP instance 0:
//! 'default'`), its router id and AS, then the neighbor rows.

use crate::fsm::{schema, Out};
use crate::show::rows::{summary_columns, Fields, NEIGH_ROW};
use crate::show::Rules;
use crate::text::{is_digits, is_dotted4, is_summary_row};

schema! {
    instance_id: FILLDOWN, instance_name: FILLDOWN, router_id: FILLDOWN, local_as: FILLDOWN, bgp_neigh: REQUIRED,
    neigh_as, msg_rcvd, msg_sent, in_queue, out_queue, up_down, state_pfxrcd,
}

const ROW: Fields<10> = Fields::of(SCHEMA, NEIGH_ROW);

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    fn line(f: &mut Fsm, _n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim();
        // ^\s*BGP instance (\d+): '(\S+)'\s*$
        if let Some(r) = t.strip_prefix("BGP instance ") {
            if let Some((id, name)) = r.split_once(": '") {
                if is_digits(id) && name.len() >= 2 && name.ends_with('\'') && !name.contains(char::is_whitespace) {
                    f.set(F::instance_id, id);
                    f.set(F::instance_name, &name[..name.len() - 1]);
                }
            }
            return;
        }
        // ^\s*BGP router identifier (ip), local AS number (\d+)\s*$
        if let Some(r) = t.strip_prefix("BGP router identifier ") {
            if let Some((id, asn)) = r.split_once(", local AS number ") {
                if is_dotted4(id, 0) && is_digits(asn) {
                    f.set(F::router_id, id);
                    f.set(F::local_as, asn);
                }
            }
            return;
        }
        let w: Vec<&str> = t.split_whitespace().collect();
        if w.len() == 10 && is_summary_row(&w) {
            ROW.set(f, summary_columns(t, &w, 0));
            f.record(out.sink);
        }
    }
}
