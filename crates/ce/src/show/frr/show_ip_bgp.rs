//! FRR `show ip bgp` / `show bgp ipv4 unicast` (the BGP table), with the
//! field names of ntc-templates' Cisco IOS `show ip bgp`: status, best and
//! source codes (FRR adds `=` for multipath), network, next hop, metric,
//! local preference, weight, AS path, origin; the router id and local AS
//! of the table. Read by the columns of the header.

use crate::fsm::{schema, Fsm, Out};
use crate::show::bgp_columns::{route_distinguisher, Columns, Line, PendingNextHop, Row};
use crate::show::LineParser;
use crate::text::Cur;

schema! {
    RouterId = "router_id": FILLDOWN,
    LocalAs = "local_as": FILLDOWN,
    Status = "status": FILLDOWN,
    PathSelection = "path_selection": FILLDOWN,
    RouteSource = "route_source": FILLDOWN,
    Network = "network": FILLDOWN,
    NextHop = "next_hop": REQUIRED,
    Metric = "metric",
    LocalPref = "local_pref",
    Weight = "weight",
    AsPath = "as_path",
    Origin = "origin",
}

pub(crate) struct Parser {
    fsm: Fsm,
    cols: Option<Columns>,
    /// An IPv6 next hop alone on its line: (line number, address).
    next_hop: PendingNextHop,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA), cols: None, next_hop: PendingNextHop::default() }
    }
}

impl Parser {
    /// One path of the table.
    fn row(&mut self, r: Row<'_>, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        if !r.codes.trim().is_empty() {
            let (s, b, src) = codes(r.codes);
            f.set(F::Status, &s);
            f.set(F::PathSelection, &b);
            f.set(F::RouteSource, &src);
        }
        if !r.network.is_empty() {
            f.set(F::Network, r.network);
        }
        f.set(F::NextHop, r.next_hop);
        f.set(F::Metric, r.metric);
        f.set(F::LocalPref, r.local_pref);
        f.set(F::Weight, r.weight);
        f.set(F::AsPath, r.as_path);
        f.set(F::Origin, r.origin);
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
                self.fsm.set(F::RouterId, id);
            }
            return;
        }
        let mut c = Cur::new(t);
        if c.words("Default local pref") {
            if let Some(i) = t.find("local AS ") {
                self.fsm.set(F::LocalAs, t[i + 9..].split([',', ' ']).next().unwrap_or(""));
            }
            return;
        }
        let Some(cols) = self.cols else {
            if let Some(c) = Columns::header(line) {
                self.cols = Some(c);
            }
            return;
        };
        if let Some((nh, mut r)) = self.next_hop.take(&cols, line, out) {
            r.next_hop = &nh;
            return self.row(r, out);
        }
        match cols.classify(line) {
            Line::Header(c) => self.cols = Some(c),
            Line::NetworkOnly(cd, net) => {
                let (s, b, r) = codes(cd);
                let f = &mut self.fsm;
                f.set(F::Status, &s);
                f.set(F::PathSelection, &b);
                f.set(F::RouteSource, &r);
                f.set(F::Network, net);
            }
            Line::NextHopOnly(net, nh) => {
                if !net.is_empty() {
                    self.line(n, &line[..net.as_ptr() as usize - line.as_ptr() as usize + net.len()], out);
                }
                self.next_hop.set(n, nh);
            }
            Line::Row(r) => self.row(r, out),
            Line::Other => {
                if t.is_empty() || t.starts_with("Displayed") || t.starts_with("Total number of prefixes") || route_distinguisher(t).is_some() || t.starts_with("For address family:") {
                    return;
                }
                out.warn(n, "a BGP table line that fits none of the columns");
            }
        }
    }

    /// Records are made on each path line.
    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.next_hop.finish(out);
    }
}
