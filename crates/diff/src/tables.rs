//! The tables ARM reads from the routers, compared row by row: per peering
//! and device path the MSEE route tables (by prefix), summaries (by
//! neighbor) and ARP tables (by IP address); per gateway its learned routes
//! and BGP peers. A table read on one side only is a coverage change.

use crate::{Sides, Where, ArpChange, BgpChange, BgpSide, Change, CoverageChange, Edit, LearnedRouteChange, RouteAttrs, RouteChange, RouteEdit};
use erdiag_model::{MacAddress, ArpEntry, BgpPeerStatus, CircuitState, Collected, DevicePath, GatewayRoute, PeeringState, RouteEntry, RouteSummaryEntry};
use std::collections::BTreeMap;

/// Every peering of A or B, both paths.
pub(crate) fn peerings(a: &CircuitState, b: &CircuitState, out: &mut Vec<Change>) {
    let mut names: Vec<&str> = a.peerings.iter().map(PeeringState::name).collect();
    for p in &b.peerings {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(p.name())) {
            names.push(p.name());
        }
    }
    for name in names {
        let (pa, pb) = (a.peering(name), b.peering(name));
        for path in DevicePath::BOTH {
            let place = Where { peering: Some(name.to_string()), path: Some(path), gateway: None };
            if let Some((x, y)) = both(pa.map(|p| p.summary(path)), pb.map(|p| p.summary(path)), "routeTableSummary", &place, out) {
                summaries(name, path, x, y, out);
            }
            if let Some((x, y)) = both(pa.map(|p| p.arp(path)), pb.map(|p| p.arp(path)), "arpTable", &place, out) {
                arp(name, path, x, y, out);
            }
            if let Some((x, y)) = both(pa.map(|p| p.routes(path)), pb.map(|p| p.routes(path)), "routeTable", &place, out) {
                for (prefix, change, before, after) in keyed(route_map(x), route_map(y)) {
                    out.push(Change::Route(RouteChange { peering: name.to_string(), path, prefix, change, sides: Sides { before, after } }));
                }
            }
        }
    }
}

/// Every gateway of A or B: its BGP peers and learned routes.
pub(crate) fn gateways(a: &CircuitState, b: &CircuitState, out: &mut Vec<Change>) {
    let mut ids: Vec<&str> = a.gateways.iter().map(|g| g.id.as_str()).collect();
    for g in &b.gateways {
        if !ids.iter().any(|i| i.eq_ignore_ascii_case(&g.id)) {
            ids.push(&g.id);
        }
    }
    for id in ids {
        let ga = a.gateways.iter().find(|g| g.id.eq_ignore_ascii_case(id));
        let gb = b.gateways.iter().find(|g| g.id.eq_ignore_ascii_case(id));
        let name = erdiag_model::last_segment(id);
        let place = Where { peering: None, path: None, gateway: Some(name.to_string()) };
        if let Some((x, y)) = both(ga.map(|g| &g.bgp_peers), gb.map(|g| &g.bgp_peers), "bgpPeers", &place, out) {
            gateway_peers(name, x, y, out);
        }
        if let Some((x, y)) = both(ga.map(|g| &g.learned_routes), gb.map(|g| &g.learned_routes), "learnedRoutes", &place, out) {
            for (prefix, change, before, after) in keyed(learned_map(x), learned_map(y)) {
                out.push(Change::LearnedRoute(LearnedRouteChange {
                    gateway: name.to_string(),
                    gateway_id: id.to_string(),
                    prefix,
                    change,
                    sides: Sides { before, after },
                }));
            }
        }
    }
}

/// Both sides of a table when both were read; when only one was, a
/// coverage change is pushed and there is nothing to compare. A table of a
/// peering or gateway that one snapshot does not have counts as not collected.
pub(crate) fn both<'a, T>(a: Option<&'a Collected<T>>, b: Option<&'a Collected<T>>, table: &str, place: &Where, out: &mut Vec<Change>) -> Option<(&'a T, &'a T)> {
    match (a.and_then(Collected::ok), b.and_then(Collected::ok)) {
        (Some(x), Some(y)) => Some((x, y)),
        (None, None) => None,
        _ => {
            out.push(Change::Coverage(CoverageChange {
                table: table.to_string(),
                at: place.clone(),
                resource: None,
                before: status(a),
                after: status(b),
            }));
            None
        }
    }
}

/// How a snapshot holds a table: `read`, `failed: …`, `unreadable: …`, `not collected`.
fn status<T>(c: Option<&Collected<T>>) -> String {
    match c {
        Some(Collected::Ok(_)) => "read".to_string(),
        Some(Collected::Failed(f)) => format!("failed: {f}"),
        Some(Collected::Unreadable(u)) => format!("unreadable: {u}"),
        Some(Collected::NotCollected) | None => "not collected".to_string(),
    }
}

/// Keys of A and B compared: (key, edit, before, after) for each that differs, in key order.
fn keyed<V: PartialEq>(mut a: BTreeMap<String, V>, mut b: BTreeMap<String, V>) -> Vec<(String, RouteEdit, Option<V>, Option<V>)> {
    let mut keys: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    keys.sort_by(|x, y| prefix_order(x).cmp(&prefix_order(y)));
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        match (a.remove(&k), b.remove(&k)) {
            (None, Some(y)) => out.push((k, RouteEdit::Added, None, Some(y))),
            (Some(x), None) => out.push((k, RouteEdit::Withdrawn, Some(x), None)),
            (Some(x), Some(y)) if x != y => out.push((k, RouteEdit::Changed, Some(x), Some(y))),
            _ => {}
        }
    }
    out
}

/// Prefixes in address order (10.2.0.0/16 before 10.10.0.0/16), the rest after by text.
fn prefix_order(k: &str) -> (Option<ipnet::IpNet>, &str) {
    (erdiag_model::arm::parse_prefix(k), k)
}

/// A prefix as a key: its network address and length when it parses, the text otherwise.
fn prefix_key(n: &erdiag_model::arm::Network) -> String {
    n.net.map(|p| p.to_string()).unwrap_or_else(|| n.raw.trim().to_string())
}

fn next_hop(n: &erdiag_model::NextHop) -> String {
    n.ip().map(|i| i.to_string()).unwrap_or_else(|| n.raw.trim().to_string())
}

fn as_path(p: &erdiag_model::AsPath) -> String {
    if p.asns.is_empty() {
        p.raw.trim().to_string()
    } else {
        p.asns.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
    }
}

fn insert<T: Ord>(v: &mut Vec<T>, x: T) {
    if let Err(i) = v.binary_search(&x) {
        v.insert(i, x);
    }
}

/// An MSEE route table by prefix. A row without a network continues the
/// prefix above it (ECMP printed as continuation lines).
fn route_map(rows: &[RouteEntry]) -> BTreeMap<String, RouteAttrs> {
    let mut map: BTreeMap<String, RouteAttrs> = BTreeMap::new();
    let mut last = String::new();
    for r in rows {
        let key = prefix_key(&r.network);
        if !key.is_empty() {
            last = key;
        }
        let e = map.entry(last.clone()).or_default();
        insert(&mut e.next_hops, next_hop(&r.next_hop));
        insert(&mut e.as_paths, as_path(&r.path));
        if let Some(l) = r.loc_prf.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            insert(&mut e.loc_prfs, l.to_string());
        }
        if let Some(w) = r.weight {
            insert(&mut e.weights, w);
        }
    }
    map
}

/// A gateway's learned routes by prefix (both instances of an active-active gateway merged).
fn learned_map(rows: &[GatewayRoute]) -> BTreeMap<String, RouteAttrs> {
    let mut map: BTreeMap<String, RouteAttrs> = BTreeMap::new();
    for r in rows {
        let e = map.entry(prefix_key(&r.network)).or_default();
        insert(&mut e.next_hops, next_hop(&r.next_hop));
        insert(&mut e.as_paths, as_path(&r.as_path));
        if let Some(w) = r.weight {
            insert(&mut e.weights, w);
        }
        if let Some(s) = r.source_peer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            insert(&mut e.source_peers, s.to_string());
        }
        if let Some(o) = r.origin.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            insert(&mut e.origins, o.to_string());
        }
    }
    map
}

/// An MSEE's BGP neighbors: state, prefix count, and resets the uptime shows.
fn summaries(peering: &str, path: DevicePath, a: &[RouteSummaryEntry], b: &[RouteSummaryEntry], out: &mut Vec<Change>) {
    let side = |r: &RouteSummaryEntry| BgpSide {
        state: if r.state_pfx_rcd.is_established() { "Established".to_string() } else { r.state_pfx_rcd.to_string() },
        prefixes: r.state_pfx_rcd.prefixes(),
        uptime: r.up_down.clone(),
        asn: r.asn,
    };
    let key = |r: &RouteSummaryEntry| r.neighbor.as_deref().unwrap_or_default().trim().to_string();
    let ma: BTreeMap<String, BgpSide> = a.iter().map(|r| (key(r), side(r))).collect();
    let mb: BTreeMap<String, BgpSide> = b.iter().map(|r| (key(r), side(r))).collect();
    for (neighbor, change, before, after, reset) in sessions(ma, mb, "Established") {
        out.push(Change::Bgp(BgpChange {
            at: Where { peering: Some(peering.to_string()), path: Some(path), gateway: None },
            local_address: None,
            neighbor,
            change,
            sides: Sides { before, after },
            reset,
        }));
    }
}

/// A gateway's BGP peers, by (local address, neighbor): an active-active
/// gateway's two instances each peer with both MSEEs.
fn gateway_peers(gateway: &str, a: &[BgpPeerStatus], b: &[BgpPeerStatus], out: &mut Vec<Change>) {
    let side = |r: &BgpPeerStatus| BgpSide {
        state: r.state.clone().unwrap_or_else(|| "Unknown".to_string()),
        prefixes: r.routes_received,
        uptime: r.connected_duration.clone(),
        asn: r.asn,
    };
    let key = |r: &BgpPeerStatus| format!("{}|{}", r.local_address.as_deref().unwrap_or_default().trim(), r.neighbor.as_deref().unwrap_or_default().trim());
    let ma: BTreeMap<String, BgpSide> = a.iter().map(|r| (key(r), side(r))).collect();
    let mb: BTreeMap<String, BgpSide> = b.iter().map(|r| (key(r), side(r))).collect();
    for (k, change, before, after, reset) in sessions(ma, mb, "Connected") {
        let (local, neighbor) = k.split_once('|').unwrap_or(("", &k));
        out.push(Change::Bgp(BgpChange {
            at: Where { peering: None, path: None, gateway: Some(gateway.to_string()) },
            local_address: (!local.is_empty()).then(|| local.to_string()),
            neighbor: neighbor.to_string(),
            change,
            sides: Sides { before, after },
            reset,
        }));
    }
}

type Session = (String, Edit, Option<BgpSide>, Option<BgpSide>, bool);

/// Sessions compared: a state, count or AS change, or a reset (the uptime of a
/// session `up` on both sides went backwards).
fn sessions(a: BTreeMap<String, BgpSide>, b: BTreeMap<String, BgpSide>, up: &str) -> Vec<Session> {
    let mut out = Vec::new();
    for (k, change, before, after) in keyed(a, b) {
        let edit = match change {
            RouteEdit::Added => Edit::Added,
            RouteEdit::Withdrawn => Edit::Removed,
            RouteEdit::Changed => Edit::Changed,
        };
        let reset = match (&before, &after) {
            (Some(x), Some(y)) if x.state == up && y.state == up => {
                matches!((uptime_secs(x.uptime.as_deref()), uptime_secs(y.uptime.as_deref())), (Some(p), Some(q)) if q < p)
            }
            _ => false,
        };
        let (x, y) = (before.as_ref(), after.as_ref());
        let only_uptime = x.zip(y).is_some_and(|(x, y)| x.state == y.state && x.prefixes == y.prefixes && x.asn == y.asn);
        if only_uptime && !reset {
            continue;
        }
        out.push((k, edit, before, after, reset));
    }
    out
}

/// An uptime as routers and ARM print it, in seconds: `00:12:34`,
/// `3d04h`, `1w2d`, `2y3w`, and the gateway's `5.02:11:43.1234567`.
pub(crate) fn uptime_secs(s: Option<&str>) -> Option<u64> {
    let s = s?.trim();
    if s.contains(':') {
        let (days, clock) = match s.split_once(':') {
            Some((head, _)) if head.contains('.') => {
                let (d, _) = head.split_once('.')?;
                (d.parse::<u64>().ok()?, &s[d.len() + 1..])
            }
            _ => (0, s),
        };
        let clock = clock.split('.').next()?;
        let mut secs = 0u64;
        for part in clock.split(':') {
            secs = secs * 60 + part.parse::<u64>().ok()?;
        }
        return Some(days * 86_400 + secs);
    }
    let mut total = 0u64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            'y' => 365 * 86_400,
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total += num.parse::<u64>().ok()? * unit;
        num.clear();
    }
    num.is_empty().then_some(total)
}

/// ARP entries by IP address: appeared, disappeared, MAC changed. MACs
/// compare by their hex digits (`5c5e.ab0d.4f01` is `5c:5e:ab:0d:4f:01`);
/// a MAC a source did not carry (a trimmed table) is not a change.
fn arp(peering: &str, path: DevicePath, a: &[ArpEntry], b: &[ArpEntry], out: &mut Vec<Change>) {
    let map = |rows: &[ArpEntry]| -> BTreeMap<String, (MacAddress, Option<String>)> {
        rows.iter()
            .map(|r| (r.ip().map(|i| i.to_string()).unwrap_or_else(|| r.ip_address.as_deref().unwrap_or_default().trim().to_string()), (r.mac_address.clone(), r.interface.clone())))
            .collect()
    };
    let digits = |m: &MacAddress| match m {
        MacAddress::Resolved(s) => Some(s.chars().filter(char::is_ascii_hexdigit).collect::<String>().to_ascii_lowercase()),
        MacAddress::Incomplete => Some("incomplete".to_string()),
        MacAddress::Missing => None,
    };
    let shown = |m: &MacAddress| (*m != MacAddress::Missing).then(|| m.to_string());
    let (ma, mb) = (map(a), map(b));
    let mut ips: Vec<&String> = ma.keys().chain(mb.keys()).collect();
    ips.sort_by(|x, y| prefix_order(x).cmp(&prefix_order(y)));
    ips.dedup();
    for ip in ips {
        let (x, y) = (ma.get(ip), mb.get(ip));
        let change = match (x, y) {
            (None, Some(_)) => Edit::Added,
            (Some(_), None) => Edit::Removed,
            (Some(x), Some(y)) => match (digits(&x.0), digits(&y.0)) {
                (Some(p), Some(q)) if p != q => Edit::Changed,
                _ => continue,
            },
            (None, None) => continue,
        };
        out.push(Change::Arp(ArpChange {
            peering: peering.to_string(),
            path,
            ip: ip.clone(),
            change,
            interface: y.or(x).and_then(|v| v.1.clone()),
            mac_before: x.and_then(|v| shown(&v.0)),
            mac_after: y.and_then(|v| shown(&v.0)),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::uptime_secs;

    #[test]
    fn uptimes_as_printed() {
        assert_eq!(uptime_secs(Some("00:12:34")), Some(754));
        assert_eq!(uptime_secs(Some("3d04h")), Some(3 * 86_400 + 4 * 3_600));
        assert_eq!(uptime_secs(Some("1w2d")), Some(9 * 86_400));
        assert_eq!(uptime_secs(Some("5.02:11:43.1234567")), Some(5 * 86_400 + 2 * 3_600 + 11 * 60 + 43));
        assert_eq!(uptime_secs(Some("never")), None);
        assert_eq!(uptime_secs(None), None);
    }
}
