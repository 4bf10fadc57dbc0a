//! Renders an `erdiag-diff/1` diff: a terminal table grouped by peering and
//! path (counts first, traffic last), the JSON contract, and markdown for a
//! ticket. Every change is described by one sentence-like line
//! ([`describe`]) that the table and the markdown share.

use crate::escape::{json_text, markdown as md, terminal_line as t};
use crate::table::Paint;
use erdiag_diff::{BgpSide, Change, Diff, Edit, RouteAttrs, RouteEdit};
use std::fmt::Write;

/// The `erdiag-diff/1` JSON, pretty-printed, with a final newline.
pub fn json(d: &Diff) -> String {
    let mut s = json_text(serde_json::to_string_pretty(d).expect("a diff always serializes"));
    s.push('\n');
    s
}

/// For a terminal: the header, the counts, the changes by place, the traffic.
pub fn table(d: &Diff, color: bool) -> String {
    let p = Paint { color };
    let mut o = String::new();
    let _ = writeln!(o, "{}  {}", p.bold("erdiag diff"), t(erdiag_model::last_segment(&d.circuit_id)));
    let _ = writeln!(o, "{}", t(&span(d)));
    let _ = writeln!(o, "{}", counts(d));
    for (place, lines) in groups(d) {
        let _ = writeln!(o, "\n{}", p.bold(&t(&place)));
        for (mark, text) in lines {
            let _ = writeln!(o, "  {mark} {}", t(&text));
        }
    }
    let rates = traffic(d);
    if !rates.is_empty() {
        let _ = writeln!(o, "\n{}", p.bold(&t(&traffic_head(d))));
        for line in rates {
            let _ = writeln!(o, "  {}", t(&line));
        }
    }
    for n in &d.notes {
        let _ = writeln!(o, "{}", p.dim(&format!("note: {}", t(n))));
    }
    o
}

/// For a ticket: the same as the table, in markdown; data is text, never structure.
pub fn markdown(d: &Diff) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## erdiag diff: {}\n", md(erdiag_model::last_segment(&d.circuit_id)));
    let _ = writeln!(o, "{}\n\n**{}**", md(&span(d)), md(&counts(d)));
    for (place, lines) in groups(d) {
        let _ = writeln!(o, "\n### {}\n", md(&place));
        for (mark, text) in lines {
            let _ = writeln!(o, "- `{mark}` {}", md(&text));
        }
    }
    let rates = traffic(d);
    if !rates.is_empty() {
        let _ = writeln!(o, "\n### {}\n", md(&traffic_head(d)));
        for line in rates {
            let _ = writeln!(o, "- {}", md(&line));
        }
    }
    for n in &d.notes {
        let _ = writeln!(o, "\n> note: {}", md(n));
    }
    o
}

/// `A → B (5m 0s)`.
fn span(d: &Diff) -> String {
    let at = |s: &Option<String>| s.clone().unwrap_or_else(|| "(no time)".to_string());
    match d.interval_secs {
        Some(s) => format!("{} → {} ({})", at(&d.from), at(&d.to), duration(s)),
        None => format!("{} → {}", at(&d.from), at(&d.to)),
    }
}

/// `no change`, or `7 changes: 3 route, 2 bgp, …` by kind.
fn counts(d: &Diff) -> String {
    if d.is_empty() {
        return "no change".to_string();
    }
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for c in d.changes.iter().filter(|c| c.is_change()) {
        match kinds.iter_mut().find(|(k, _)| *k == c.kind()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((c.kind(), 1)),
        }
    }
    let n = d.count();
    let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("{n} change{}: {}", if n == 1 { "" } else { "s" }, list.join(", "))
}

/// The changes (not rates) by place, in the order places first appear.
fn groups(d: &Diff) -> Vec<(String, Vec<(&'static str, String)>)> {
    let mut out: Vec<(String, Vec<(&'static str, String)>)> = Vec::new();
    for c in d.changes.iter().filter(|c| c.is_change()) {
        let place = c.place();
        let line = describe(c);
        match out.iter_mut().find(|(p, _)| *p == place) {
            Some((_, v)) => v.push(line),
            None => out.push((place, vec![line])),
        }
    }
    out
}

/// One change as a mark (`+` added, `-` removed or withdrawn, `~` changed,
/// `!` coverage, `=` rate) and a line of text.
pub fn describe(c: &Change) -> (&'static str, String) {
    match c {
        Change::Route(r) => route("route", &r.prefix, r.change, r.sides.before.as_ref(), r.sides.after.as_ref()),
        Change::LearnedRoute(r) => route("learned route", &r.prefix, r.change, r.sides.before.as_ref(), r.sides.after.as_ref()),
        Change::Bgp(b) => {
            let who = match &b.local_address {
                Some(l) => format!("BGP {l} → {}", b.neighbor),
                None => format!("BGP neighbor {}", b.neighbor),
            };
            let reset = if b.reset { " — the session was reset in between (its uptime went backwards)" } else { "" };
            let (mark, what) = match (&b.sides.before, &b.sides.after) {
                (Some(x), Some(y)) => ("~", format!("{} → {}", session(x), session(y))),
                (None, Some(y)) => ("+", format!("appeared: {}", session(y))),
                (Some(x), None) => ("-", format!("gone (was {})", session(x))),
                (None, None) => ("~", String::new()),
            };
            (mark, format!("{who}: {what}{reset}"))
        }
        Change::Arp(a) => {
            let who = match &a.interface {
                Some(i) => format!("ARP {} ({i})", a.ip),
                None => format!("ARP {}", a.ip),
            };
            let mac = |m: &Option<String>| m.clone().unwrap_or_default();
            match a.change {
                Edit::Added => ("+", format!("{who}: appeared, MAC {}", mac(&a.mac_after))),
                Edit::Removed => ("-", format!("{who}: disappeared (MAC was {})", mac(&a.mac_before))),
                Edit::Changed => ("~", format!("{who}: MAC {} → {}", mac(&a.mac_before), mac(&a.mac_after))),
            }
        }
        Change::Property(p) => {
            let path = if p.path.is_empty() { "(the resource)".to_string() } else { p.path.clone() };
            let v = |x: &Option<serde_json::Value>| x.as_ref().map(|x| fit_value(x)).unwrap_or_default();
            let (mark, what) = match p.change {
                Edit::Added => ("+", format!("{path}: added {}", v(&p.after))),
                Edit::Removed => ("-", format!("{path}: removed (was {})", v(&p.before))),
                Edit::Changed if p.before.is_none() => ("~", format!("{path}: {}", v(&p.after))),
                Edit::Changed => ("~", format!("{path}: {} → {}", v(&p.before), v(&p.after))),
            };
            let who: Vec<&str> = [&p.changed_by, &p.client_type, &p.change_type, &p.timestamp].into_iter().filter_map(|x| x.as_deref()).collect();
            let by = if who.is_empty() { String::new() } else { format!(" (by {})", who.join(", ")) };
            (mark, format!("{what}{by}"))
        }
        Change::Coverage(c) => ("!", format!("{}: {} in A, {} in B — not compared", c.table, c.before, c.after)),
        Change::Rate(r) => ("=", rate_line(r)),
    }
}

fn route(what: &str, prefix: &str, change: RouteEdit, before: Option<&RouteAttrs>, after: Option<&RouteAttrs>) -> (&'static str, String) {
    match (change, before, after) {
        (RouteEdit::Added, _, Some(y)) => ("+", format!("{what} {prefix} added ({})", attrs(y))),
        (RouteEdit::Withdrawn, Some(x), _) => ("-", format!("{what} {prefix} withdrawn (was {})", attrs(x))),
        (_, Some(x), Some(y)) => ("~", format!("{what} {prefix} changed: {}", attrs_change(x, y))),
        _ => ("~", format!("{what} {prefix}")),
    }
}

fn hops(v: &[String]) -> String {
    v.iter().map(|h| if h.is_empty() { "local".to_string() } else { h.clone() }).collect::<Vec<_>>().join(", ")
}

fn paths(v: &[String]) -> String {
    v.iter().map(|p| if p.is_empty() { "(empty)".to_string() } else { p.clone() }).collect::<Vec<_>>().join(" | ")
}

fn attrs(a: &RouteAttrs) -> String {
    format!("next hop {}, AS path {}", hops(&a.next_hops), paths(&a.as_paths))
}

/// Only what differs: next hops, AS paths, local preference, weight, source peers.
fn attrs_change(x: &RouteAttrs, y: &RouteAttrs) -> String {
    let mut parts = Vec::new();
    if x.next_hops != y.next_hops {
        parts.push(format!("next hop {} → {}", hops(&x.next_hops), hops(&y.next_hops)));
    }
    if x.as_paths != y.as_paths {
        parts.push(format!("AS path {} → {}", paths(&x.as_paths), paths(&y.as_paths)));
    }
    if x.loc_prfs != y.loc_prfs {
        parts.push(format!("local preference {} → {}", x.loc_prfs.join(", "), y.loc_prfs.join(", ")));
    }
    let w = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    if x.weights != y.weights {
        parts.push(format!("weight {} → {}", w(&x.weights), w(&y.weights)));
    }
    if x.source_peers != y.source_peers {
        parts.push(format!("from {} → {}", x.source_peers.join(", "), y.source_peers.join(", ")));
    }
    if x.origins != y.origins {
        parts.push(format!("origin {} → {}", x.origins.join(", "), y.origins.join(", ")));
    }
    parts.join("; ")
}

fn session(s: &BgpSide) -> String {
    let mut o = s.state.clone();
    if let Some(n) = s.prefixes {
        let _ = write!(o, " ({n} prefixes)");
    }
    if let Some(u) = &s.uptime {
        let _ = write!(o, ", for {u}");
    }
    o
}

fn fit_value(v: &serde_json::Value) -> String {
    crate::fit(&serde_json::to_string(v).unwrap_or_default(), 120)
}

fn traffic_head(d: &Diff) -> String {
    match (d.interval_secs, d.bandwidth_mbps) {
        (Some(s), Some(m)) => format!("Traffic over {} (share of {})", duration(s), crate::fleet::bandwidth(Some(m))),
        (Some(s), None) => format!("Traffic over {}", duration(s)),
        _ => "Traffic".to_string(),
    }
}

/// The rates, and the counters that were reset; without an interval there
/// is no rate at all, which the notes say once.
fn traffic(d: &Diff) -> Vec<String> {
    d.changes
        .iter()
        .filter_map(|c| match c {
            Change::Rate(r) if d.interval_secs.is_some() || r.bytes.is_none() => Some(rate_line(r)),
            _ => None,
        })
        .collect()
}

fn rate_line(r: &erdiag_diff::Rate) -> String {
    let whose = r.peering.clone().unwrap_or_else(|| "circuit".to_string());
    let head = format!("{whose} {} {}", r.path, r.direction.as_str());
    match (r.bits_per_second, &r.note) {
        (Some(bps), _) => match r.share_of_bandwidth {
            Some(s) => format!("{head}: {} ({:.1}%)", bits(bps), s * 100.0),
            None => format!("{head}: {}", bits(bps)),
        },
        (None, Some(n)) => format!("{head}: {n}"),
        (None, None) => format!("{head}: no rate"),
    }
}

/// `950 Mbps`, `12.3 kbps`.
fn bits(bps: f64) -> String {
    let units = [(1e9, "Gbps"), (1e6, "Mbps"), (1e3, "kbps")];
    for (scale, unit) in units {
        if bps >= scale {
            return format!("{:.1} {unit}", bps / scale);
        }
    }
    format!("{bps:.0} bps")
}

/// `1d 2h`, `5m 0s`, `42s`.
fn duration(secs: i64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}
