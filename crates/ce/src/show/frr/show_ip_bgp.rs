//! FRR `show ip bgp` / `show bgp ipv4 unicast` (the BGP table), with the
//! field names of ntc-templates' Cisco IOS `show ip bgp`: status, best and
//! source codes (FRR adds `=` for multipath), network, next hop, metric,
//! local preference, weight, AS path, origin; the router id and local AS
//! of the table. Read by the columns of the header.

use crate::fsm::{schema, Out};
use crate::show::bgp_columns::{route_distinguisher, Columns, Event, Table};
use crate::show::rows::{Fields, PATH};
use crate::show::LineParser;
use crate::text::Cur;

schema! {
    router_id: FILLDOWN, local_as: FILLDOWN, status: FILLDOWN, path_selection: FILLDOWN, route_source: FILLDOWN,
    network: FILLDOWN, next_hop: REQUIRED, metric, local_pref, weight, as_path, origin,
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
    if path.is_none() || !codes_.trim().is_empty() {
        let (s, b, src) = codes(codes_);
        f.set(F::status, &s);
        f.set(F::path_selection, &b);
        f.set(F::route_source, &src);
    }
    if !network.is_empty() {
        f.set(F::network, network);
    }
    if let Some(p) = path {
        PATH_FIELDS.set(f, p.values());
        f.record(out.sink);
    }
}

/// FRR's status columns: `*>`, `*=`, `* i`, `*>i`, `s>i`, `V*>` (RPKI).
fn codes(c: &str) -> (String, String, String) {
    let c: Vec<char> = c.chars().filter(|ch| !matches!(ch, 'V' | 'I' | 'N')).collect();
    let status: String = c.iter().filter(|ch| matches!(ch, '*' | 's' | 'd' | 'h' | 'r' | 'S' | 'R')).take(1).collect();
    let best: String = c.iter().filter(|ch| matches!(ch, '>' | '=')).take(1).collect();
    let source: String = c.iter().filter(|ch| **ch == 'i').take(1).collect();
    (status, if best.is_empty() { " ".into() } else { best }, if source.is_empty() { " ".into() } else { source })
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim();
        let mut c = Cur::new(t);
        if c.words("BGP table version is") {
            // `…, local router ID is 10.0.0.1, vrf id 0`
            if let Some(i) = t.find("local router ID is ") {
                let id = t[i + 19..].split([',', ' ']).next().unwrap_or("");
                self.fsm.set(F::router_id, id);
            }
            return;
        }
        let mut c = Cur::new(t);
        if c.words("Default local pref") {
            if let Some(i) = t.find("local AS ") {
                self.fsm.set(F::local_as, t[i + 9..].split([',', ' ']).next().unwrap_or(""));
            }
            return;
        }
        if self.table.cols.is_none() {
            self.table.cols = Columns::header(line);
            return;
        }
        let fsm = &mut self.fsm;
        if self.table.line(n, line, out, &mut |e, out| table_line(fsm, e, out)) {
            return;
        }
        if t.is_empty() || t.starts_with("Displayed") || t.starts_with("Total number of prefixes") || route_distinguisher(t).is_some() || t.starts_with("For address family:") {
            return;
        }
        out.warn(n, "a BGP table line that fits none of the columns");
    }

    /// Records are made on each path line.
    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.table.finish(out);
    }
}
