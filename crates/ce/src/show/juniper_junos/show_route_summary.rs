//! Juniper Junos `show route summary`, after ntc-templates'
//! `juniper_junos_show_route_summary`: the AS and router id, then per
//! routing table (`inet.0: …`, filled down) one record per protocol line
//! (`BGP: 8568064 routes, 985893 active`).

use crate::fsm::{schema, Out};
use crate::show::Rules;
use crate::show::rows::set_first;
use crate::text::Cur;

schema! {
    asn: FILLDOWN, router_id: FILLDOWN, table_name: FILLDOWN, route_src, routes, active_routes,
}

/// The AS and router id lines.
const HEAD: &[(&str, &[F])] = &[("Autonomous system number: {w}", &[F::asn]), ("Router ID: {w}", &[F::router_id])];

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    /// The template has an `EOF` state: no record at the end.
    const EOF: bool = false;

    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        if set_first(f, line, HEAD) {
            return;
        }
        if Cur::new(line).words("Highwater Mark") {
            return;
        }
        let indented = line.starts_with(char::is_whitespace);
        if indented {
            let mut c = Cur::new(line);
            c.ws();
            if c.words("RIB unique destination routes") || Cur::new(line.trim_start()).words("VRF type") || {
                let t = line.trim_start();
                (t.starts_with("RIB") || t.starts_with("FIB")) && Cur::new(&t[3..]).ws() && t[3..].trim_start().starts_with("routes")
            } {
                return;
            }
            // ^\s+(\S+):\s+(\S+)\s+routes,\s+(\S+)\s+active
            let mut c = Cur::new(line);
            c.ws();
            if let Some(w) = c.word() {
                // `\S+:` — the colon ends the word (backtracking to the last one).
                if let Some(src) = w.strip_suffix(':').filter(|s| !s.is_empty()) {
                    if c.ws() {
                        if let Some(routes) = c.word() {
                            if c.ws() && c.lit("routes,") && c.ws() {
                                if let Some(active) = c.word() {
                                    if c.ws() && c.lit("active") {
                                        f.set(F::route_src, src);
                                        f.set(F::routes, routes);
                                        f.set(F::active_routes, active);
                                        f.record(out.sink);
                                        return;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } else {
            // ^(\S+):\s+\S+\s+destinations,
            let mut c = Cur::new(line);
            if let Some(w) = c.word() {
                if let Some(t) = w.strip_suffix(':').filter(|s| !s.is_empty()) {
                    if c.ws() && c.word().is_some() && c.ws() && c.lit("destinations,") {
                        f.set(F::table_name, t);
                        return;
                    }
                }
            }
            // ^{(master|backup)}\s+$
            if (line.starts_with("{master}") || line.starts_with("{backup}")) && !line[8..].is_empty() && line[8..].trim().is_empty() {
                return;
            }
        }
        if line.trim().is_empty() {
            return;
        }
        out.warn(n, "not a line of a route summary");
    }
}
