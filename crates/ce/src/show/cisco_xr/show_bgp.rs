//! Cisco IOS-XR `show bgp` (the BGP table; also `show bgp all all`, `show
//! bgp vrf X`), with the field names of ntc-templates' `cisco_xr_show_bgp`:
//! the router id, AS, NSR, table state and dampening of each table, then one
//! record per path (status, best, source, network and mask, next hop,
//! metric, local preference, weight, AS path, origin).
//!
//! ntc-templates has no test data for this command, so the table is read
//! by the columns of its header ([`super::super::bgp_columns`]) rather than
//! after the template's expression; `Address Family:` and `Route
//! Distinguisher:` blocks of `show bgp all all` (where the template stops)
//! are read too, and kept for the typed model.

use crate::fsm::{schema, Out};
use crate::show::bgp_columns::{route_distinguisher, Columns, Event, Table};
use crate::show::rows::{Fields, label, PATH};
use crate::show::LineParser;
use crate::text::Cur;

use super::show_arp::is_timestamp;

schema! {
    router_id: FILLDOWN, local_as: FILLDOWN, nsr: FILLDOWN, bgp_state: FILLDOWN, dampening: FILLDOWN, status,
    path_selection, route_source, network: FILLDOWN, netmask: FILLDOWN, next_hop: REQUIRED, metric, local_pref,
    weight, as_path, origin, _status: HIDDEN, _vrf: HIDDEN | FILLDOWN,
}

const PATH_FIELDS: Fields<6> = Fields::of(SCHEMA, PATH);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    table: Table,
}

/// A line of the table: a path, or a network alone on its line.
fn table_line(f: &mut Fsm, e: Event<'_>, out: &mut Out<'_>) {
    let (codes_, network, path) = e.parts();
    if !network.is_empty() || !codes_.trim().is_empty() {
        let (st, best, src) = codes(codes_);
        f.set(F::status, st);
        f.set(F::path_selection, best);
        f.set(F::route_source, src);
        f.set(F::_status, codes_);
    }
    if !network.is_empty() {
        let (net, mask) = network.split_once('/').unwrap_or((network, ""));
        f.set(F::network, net);
        f.set(F::netmask, mask);
    }
    if let Some(p) = path {
        PATH_FIELDS.set(f, p.values());
        f.record(out.sink);
    }
}

/// The code columns as the template's three captures: `[NrSs*]?`,
/// `[>dh]?`, `[i]?`.
fn codes(c: &str) -> (&str, &str, &str) {
    let c = c.trim();
    let mut rest = c;
    let status = rest.get(..1).filter(|s| matches!(*s, "N" | "r" | "S" | "s" | "*")).unwrap_or("");
    rest = rest[status.len()..].trim_start();
    let best = rest.get(..1).filter(|s| matches!(*s, ">" | "d" | "h")).unwrap_or("");
    rest = rest[best.len()..].trim_start();
    let source = rest.get(..1).filter(|s| *s == "i").unwrap_or("");
    (status, best, source)
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if self.table.cols.is_some() {
            let fsm = &mut self.fsm;
            if self.table.line(n, line, out, &mut |e, out| table_line(fsm, e, out)) {
                return;
            }
            let t = line.trim();
            if t.is_empty() || t.starts_with("Processed") {
                return;
            }
            if let Some(rd) = route_distinguisher(t) {
                let _ = rd;
                let vrf = t.split("vrf ").nth(1).map(|v| v.trim_end_matches(')').trim());
                let f = &mut self.fsm;
                f.opt(F::_vrf, vrf);
                return;
            }
            if t.starts_with("Address Family:") || t.starts_with("VRF:") || t.starts_with('-') || t.starts_with("BGP") || t.starts_with("Status codes") || t.starts_with("Origin codes") || t.starts_with("Table ID") {
                // A new block: its header comes again.
                self.table.cols = None;
                self.line(n, line, out);
                return;
            }
            out.warn(n, "a BGP table line that fits none of the columns");
            return;
        }
        if let Some(c) = Columns::header(line) {
            self.table.cols = Some(c);
            return;
        }
        let t = line.trim_end();
        let f = &mut self.fsm;
        if let Some(c) = label(t, "BGP router identifier") {
            if let Some((id, rest)) = c.rest().split_once(',') {
                let mut c2 = Cur::new(rest);
                if c2.ws() && c2.words("local AS number") && c2.ws() {
                    if let Some(a) = c2.digits() {
                        f.set(F::router_id, id);
                        f.set(F::local_as, a);
                    }
                }
            }
            return;
        }
        let mut c = Cur::new(t);
        if c.words("Non-stop routing is") && c.ws() && !c.at_end() {
            f.set(F::nsr, c.rest());
            return;
        }
        let mut c = Cur::new(t);
        if c.words("BGP table state:") && c.ws() && !c.at_end() {
            f.set(F::bgp_state, c.rest());
            return;
        }
        let mut c = Cur::new(t);
        if c.lit("Dampening") && c.ws() && !c.at_end() {
            f.set(F::dampening, c.rest());
            return;
        }
        if let Some(af) = t.strip_prefix("Address Family: ") {
            let _ = af;
            return;
        }
        let known = t.is_empty()
            || is_timestamp(t)
            || t.starts_with("BGP")
            || t.starts_with("Table ID:")
            || t.starts_with("Status codes:")
            || t.starts_with("Origin codes")
            || t.starts_with("VRF:")
            || t.starts_with('-')
            || t.starts_with("Route Distinguisher:")
            || (line.starts_with(char::is_whitespace) && t.contains(" - "));
        if !known {
            out.warn(n, "not a line of a BGP table's header");
        }
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.table.finish(out);
    }
}
