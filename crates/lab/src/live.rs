//! The routers' state, read live: FRR's JSON (`show ip bgp summary json`,
//! `show ip bgp json` and their IPv6 unicast counterparts), the kernel's
//! neighbour tables and interface
//! counters. [`Live::snapshot`] turns it into the ARM resources an
//! ExpressRoute circuit has (ARP tables, route tables and summaries per
//! path, stats, the gateway's BGP peers and learned routes), shaped exactly
//! as ARM returns them.

use crate::lab::{BreakKind, Lab, State};
use crate::LabError;
use std::time::{Duration, Instant};
use erdiag_model::{DevicePath, SnapshotDoc};
use crate::spec::{usable, LabSpec};
use crate::sys::{ip, vtysh};
use serde_json::{json, Map, Value};
use std::net::{IpAddr, Ipv4Addr};

/// One FRR router's BGP view; `None` where its bgpd did not answer.
#[derive(Debug, Default, Clone)]
pub struct Router {
    /// `peers` of `show ip bgp summary json`.
    pub peers: Option<Map<String, Value>>,
    /// `routes` of `show ip bgp json`.
    pub routes: Option<Map<String, Value>>,
    /// `peers` of `show bgp ipv6 unicast summary json`: the IPv6 sessions,
    /// and IPv4 sessions that carry IPv6 prefixes (the gateway's).
    pub peers6: Option<Map<String, Value>>,
    /// `routes` of `show bgp ipv6 unicast json`.
    pub routes6: Option<Map<String, Value>>,
}

/// A kernel neighbour entry.
#[derive(Debug, Clone)]
pub struct Neigh {
    pub ip: String,
    pub mac: Option<String>,
    pub state: Vec<String>,
    /// Seconds since the entry was last confirmed.
    pub confirmed: Option<u64>,
}

impl Neigh {
    /// Resolved: a MAC address and not FAILED/INCOMPLETE.
    pub fn resolved(&self) -> bool {
        self.mac.is_some() && !self.state.iter().any(|s| s == "FAILED" || s == "INCOMPLETE")
    }
}

/// The MSEE's interface towards the customer.
#[derive(Debug, Clone, Default)]
pub struct Port {
    pub up: bool,
    pub mac: Option<String>,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
}

#[derive(Debug, Default, Clone)]
pub struct Msee {
    pub bgp: Router,
    pub neigh: Vec<Neigh>,
    pub port: Port,
}

impl Msee {
    /// The MSEE's neighbour entry for an address (ARP for IPv4, neighbour
    /// discovery for IPv6).
    pub fn entry(&self, addr: impl Into<IpAddr>) -> Option<&Neigh> {
        let addr = addr.into().to_string();
        self.neigh.iter().find(|n| n.ip == addr)
    }

    /// Whether the MSEE has resolved an address (the CE's) at layer 2.
    pub fn resolves(&self, addr: impl Into<IpAddr>) -> bool {
        self.entry(addr).is_some_and(Neigh::resolved)
    }
}

/// Everything the lab's routers show at one moment.
#[derive(Debug, Default, Clone)]
pub struct Live {
    pub ce: Router,
    pub msee: [Msee; 2],
    pub gw: Router,
}

fn json(ns: &str, command: &str) -> Option<Value> {
    vtysh(ns, &[command]).ok().and_then(|s| serde_json::from_str(&s).ok())
}

/// The peers of a summary: under the family's key (`show ip bgp summary
/// json` writes `ipv4Unicast`), at the top (`show bgp ipv6 unicast summary
/// json`), or none at all (`{}`, a bgpd without peers of that family).
fn summary_peers(v: Value, family: &str) -> Option<Map<String, Value>> {
    v[family]["peers"].as_object().or(v["peers"].as_object()).cloned().or_else(|| v.as_object().filter(|o| o.is_empty()).map(|_| Map::new()))
}

fn read_router(ns: &str) -> Router {
    let peers = json(ns, "show ip bgp summary json").and_then(|v| summary_peers(v, "ipv4Unicast"));
    let routes = json(ns, "show ip bgp json").and_then(|v| v["routes"].as_object().cloned());
    let peers6 = json(ns, "show bgp ipv6 unicast summary json").and_then(|v| summary_peers(v, "ipv6Unicast"));
    let routes6 = json(ns, "show bgp ipv6 unicast json").and_then(|v| v["routes"].as_object().cloned());
    Router { peers, routes, peers6, routes6 }
}

fn read_neigh(ns: &str) -> Vec<Neigh> {
    let Ok(s) = ip(ns, &["-s", "-j", "neigh", "show", "dev", "cust"]) else { return Vec::new() };
    let v: Value = serde_json::from_str(&s).unwrap_or(Value::Null);
    v.as_array()
        .into_iter()
        .flatten()
        .map(|e| Neigh {
            ip: e["dst"].as_str().unwrap_or_default().to_string(),
            mac: e["lladdr"].as_str().map(str::to_string),
            state: e["state"].as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default(),
            confirmed: e["confirmed"].as_u64(),
        })
        .collect()
}

fn read_port(ns: &str) -> Port {
    let Ok(s) = ip(ns, &["-s", "-j", "link", "show", "dev", "cust"]) else { return Port::default() };
    let v: Value = serde_json::from_str(&s).unwrap_or(Value::Null);
    let l = &v[0];
    let flags: Vec<&str> = l["flags"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let stats = if l["stats64"].is_object() { &l["stats64"] } else { &l["stats"] };
    Port {
        up: flags.contains(&"UP") && flags.contains(&"LOWER_UP"),
        mac: l["address"].as_str().map(str::to_string),
        rx_bytes: stats["rx"]["bytes"].as_u64().unwrap_or(0),
        tx_bytes: stats["tx"]["bytes"].as_u64().unwrap_or(0),
    }
}

fn pfx_received(peer: Option<&Value>) -> Option<u64> {
    peer.filter(|p| p["state"] == "Established").and_then(|p| p["pfxRcd"].as_u64())
}

impl Router {
    /// A session, in the summary of its address's family.
    pub fn peer(&self, addr: impl Into<IpAddr>) -> Option<&Value> {
        let addr = addr.into();
        let peers = if addr.is_ipv4() { &self.peers } else { &self.peers6 };
        peers.as_ref()?.get(&addr.to_string())
    }

    /// A session's IPv6 unicast view, whatever its address's family (the
    /// gateway's IPv4 sessions carry the IPv6 prefixes).
    pub fn peer_in_v6(&self, addr: impl Into<IpAddr>) -> Option<&Value> {
        self.peers6.as_ref()?.get(&addr.into().to_string())
    }

    /// The BGP state bgpd reports for a peer (`Established`, `Active`, …);
    /// `None` when bgpd did not answer or has no such peer.
    pub fn state(&self, addr: impl Into<IpAddr>) -> Option<&str> {
        self.peer(addr)?["state"].as_str()
    }

    pub fn established(&self, addr: impl Into<IpAddr>) -> bool {
        self.state(addr) == Some("Established")
    }

    pub fn received(&self, addr: impl Into<IpAddr>) -> Option<u64> {
        pfx_received(self.peer(addr))
    }

    /// The IPv6 prefixes received over a session of either family.
    pub fn received_v6(&self, addr: impl Into<IpAddr>) -> Option<u64> {
        pfx_received(self.peer_in_v6(addr))
    }

    /// Paths of a prefix (IPv4 or IPv6).
    pub fn paths(&self, prefix: &str) -> Vec<&Value> {
        [&self.routes, &self.routes6].into_iter().flatten().find_map(|r| r.get(prefix)).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
    }

    /// Every prefix with its paths, IPv4 first.
    fn all_routes(&self) -> impl Iterator<Item = (&String, &Value)> {
        [&self.routes, &self.routes6].into_iter().flatten().flatten()
    }
}

/// A path's next hop: its global address (FRR lists an IPv6 next hop's
/// link-local address beside it, which ARM does not show).
fn next_hop(path: &Value) -> String {
    let hops = path["nexthops"].as_array();
    let hop = hops.and_then(|a| a.iter().find(|h| h["scope"] != "link-local").or(a.first()));
    hop.and_then(|h| h["ip"].as_str()).unwrap_or_default().to_string()
}

impl Live {
    pub fn read(lab: &Lab) -> Live {
        let msee = |role: &str| {
            let ns = lab.ns(role);
            Msee { bgp: read_router(&ns), neigh: read_neigh(&ns), port: read_port(&ns) }
        };
        Live { ce: read_router(&lab.ns("ce")), msee: [msee("msee1"), msee("msee2")], gw: read_router(&lab.ns("gw")) }
    }

    /// Every session up, the CE's prefixes at both MSEEs and at the gateway,
    /// the VNet's at the CE.
    pub fn healthy(&self, spec: &LabSpec) -> bool {
        let paths_ok = DevicePath::BOTH.into_iter().all(|p| {
            let (ce, msee) = usable(spec.subnet(p));
            let m = &self.msee[p.index()];
            m.bgp.received(ce).is_some_and(|n| n >= spec.onprem.len() as u64)
                && self.ce.received(msee).is_some_and(|n| n >= spec.vnet.len() as u64)
                && m.resolves(ce)
        });
        let v6_ok = spec.v6.as_ref().is_none_or(|v6| {
            DevicePath::BOTH.into_iter().all(|p| {
                let (ce, msee) = v6.usable(p);
                self.msee[p.index()].bgp.received(ce).is_some_and(|n| n >= v6.onprem.len() as u64) && self.ce.received(msee).is_some_and(|n| n >= v6.vnet.len() as u64)
            }) && spec.msee_vnet_ips.iter().all(|ip| self.gw.received_v6(*ip).is_some_and(|n| n >= v6.onprem.len() as u64))
        });
        paths_ok && v6_ok && spec.msee_vnet_ips.iter().all(|ip| self.gw.received(*ip).is_some_and(|n| n >= spec.onprem.len() as u64))
    }

    /// Whether a break has taken effect on the path.
    pub fn shows(&self, spec: &LabSpec, kind: BreakKind, path: DevicePath) -> bool {
        let (ce, msee) = usable(spec.subnet(path));
        let m = &self.msee[path.index()];
        let arp_failed = !m.resolves(ce);
        match kind {
            BreakKind::Md5 | BreakKind::Asn => !m.bgp.established(ce),
            BreakKind::CeAddress | BreakKind::Vlan | BreakKind::LinkDown => !m.bgp.established(ce) && arp_failed,
            BreakKind::Withdraw => m.bgp.received(ce) == Some(0),
            BreakKind::PrefixLimit => m.bgp.peer(ce).is_some_and(|p| p["state"] != "Established"),
            BreakKind::VnetPrefix => spec.vnet.iter().all(|v| m.bgp.paths(&v.to_string()).iter().any(|p| next_hop(p) == ce.to_string())),
            BreakKind::MseeDown => m.bgp.peers.is_none() && !self.ce.established(msee),
            BreakKind::GatewayDown => !self.gw.established(spec.msee_vnet_ips[path.index()]),
            // IPv6 down on the path while IPv4 stays up.
            BreakKind::V6SessionDown => spec.v6.as_ref().is_some_and(|v6| !m.bgp.established(v6.usable(path).0)) && m.bgp.established(ce),
            BreakKind::V6PrefixMissing => spec.v6.as_ref().is_some_and(|v6| m.bgp.received(v6.usable(path).0) == Some(0)),
        }
    }

    /// The circuit as ARM shows it now: the scenario's resources with the
    /// live ones read off the routers.
    pub fn snapshot(&self, state: &State, collected_at: &str) -> Value {
        let spec = &state.spec;
        let mut resources = spec.template.clone();
        let peering = &spec.peering_id;
        let mut total = [0u64; 4];
        for p in DevicePath::BOTH {
            let (i, name) = (p.index(), p.as_str());
            let m = &self.msee[i];
            let (ce, msee) = usable(spec.subnet(p));
            resources.insert(format!("{peering}/arpTables/{name}"), json!({ "value": arp_table(m, ce, msee) }));
            resources.insert(format!("{peering}/routeTables/{name}"), json!({ "value": route_table(&m.bgp) }));
            let mut rows = summary(&m.bgp.peers, spec.subnet(p).into());
            if let Some(v6) = &spec.v6 {
                rows.extend(summary(&m.bgp.peers6, v6.subnet(p).into()));
            }
            resources.insert(format!("{peering}/routeTablesSummary/{name}"), json!({ "value": rows }));
            total[i * 2] = m.port.rx_bytes;
            total[i * 2 + 1] = m.port.tx_bytes;
        }
        let stats = json!({
            "primarybytesIn": total[0], "primarybytesOut": total[1],
            "secondarybytesIn": total[2], "secondarybytesOut": total[3],
        });
        resources.insert(format!("{peering}/stats"), stats.clone());
        resources.insert(format!("{}/stats", spec.circuit_id), stats);
        if let Some(gw) = &spec.gateway_id {
            resources.insert(format!("{gw}/getBgpPeerStatus"), json!({ "value": gateway_peers(&self.gw, spec) }));
            resources.insert(format!("{gw}/getLearnedRoutes"), json!({ "value": learned_routes(&self.gw, spec) }));
        }
        let mut snapshot = SnapshotDoc::new(spec.circuit_id.clone(), Some(collected_at.to_string()));
        snapshot.resources = resources.into_iter().collect();
        snapshot.to_value()
    }
}

impl Lab {
    /// Polls the routers until `done` holds, or times out naming what it waited for.
    pub fn wait(&self, timeout: Duration, what: &str, done: impl Fn(&Live) -> bool) -> Result<(), LabError> {
        let until = Instant::now() + timeout;
        loop {
            let live = Live::read(self);
            if done(&live) {
                return Ok(());
            }
            if Instant::now() >= until {
                return Err(LabError::Timeout(format!("{what} after {:.0} s; `erdiag lab status` shows the sessions", timeout.as_secs_f64())));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

/// `0022.bdf8.19ff`, as the MSEE prints MAC addresses.
fn cisco_mac(mac: &str) -> String {
    let hex: String = mac.chars().filter(|c| c.is_ascii_hexdigit()).collect::<String>().to_ascii_lowercase();
    if hex.len() != 12 {
        return mac.to_string();
    }
    format!("{}.{}.{}", &hex[0..4], &hex[4..8], &hex[8..12])
}

fn arp_table(m: &Msee, ce: Ipv4Addr, msee: Ipv4Addr) -> Vec<Value> {
    if !m.port.up {
        // The MSEE's interface is down: not even its own entry.
        return Vec::new();
    }
    let mut out = Vec::new();
    match m.entry(ce) {
        Some(n) if n.resolved() => out.push(json!({
            "age": n.confirmed.map(|s| s / 60).unwrap_or(0),
            "interface": "On-Prem",
            "ipAddress": ce.to_string(),
            "macAddress": cisco_mac(n.mac.as_deref().unwrap_or_default()),
        })),
        // The MSEE keeps trying to reach its BGP neighbor: a failed or
        // pending resolution is what ARM shows as Incomplete.
        _ => out.push(json!({ "age": 0, "interface": "On-Prem", "ipAddress": ce.to_string(), "macAddress": "Incomplete" })),
    }
    out.push(json!({ "age": 0, "interface": "Microsoft", "ipAddress": msee.to_string(), "macAddress": cisco_mac(m.port.mac.as_deref().unwrap_or_default()) }));
    out
}

fn route_table(r: &Router) -> Vec<Value> {
    let mut out = Vec::new();
    for (prefix, paths) in r.all_routes() {
        for p in paths.as_array().into_iter().flatten() {
            out.push(json!({
                "network": prefix,
                "nextHop": next_hop(p),
                "locPrf": p["locPrf"].as_u64().map(|n| n.to_string()).unwrap_or_default(),
                "weight": p["weight"].as_u64().unwrap_or(0),
                "path": p["path"].as_str().unwrap_or_default(),
            }));
        }
    }
    out
}

/// FRR's state word as a Cisco summary prints it in `State/PfxRcd`.
fn state_word(p: &Value) -> String {
    let state = p["state"].as_str().unwrap_or("Idle");
    let reason = p["lastResetDueTo"].as_str().or(p["idleReason"].as_str()).unwrap_or_default().to_ascii_lowercase();
    if state == "Idle" && (reason.contains("prefix count") || reason.contains("pfxct") || p["peerState"] == "PfxCt") {
        "Idle (PfxCt)".into()
    } else if state == "Idle" && p["peerState"] == "Admin" {
        "Idle (Admin)".into()
    } else {
        state.to_string()
    }
}

/// The summary rows of the sessions whose neighbor is in the peering's subnet.
fn summary(peers: &Option<Map<String, Value>>, net: ipnet::IpNet) -> Vec<Value> {
    let mut out = Vec::new();
    for (addr, p) in peers.iter().flatten() {
        if !addr.parse::<IpAddr>().is_ok_and(|a| net.contains(&a)) {
            continue;
        }
        let established = p["state"] == "Established";
        out.push(json!({
            "neighbor": addr,
            "v": 4,
            "as": p["remoteAs"].as_u64().unwrap_or(0),
            "upDown": p["peerUptime"].as_str().unwrap_or("never"),
            "statePfxRcd": if established { p["pfxRcd"].as_u64().unwrap_or(0).to_string() } else { state_word(p) },
        }));
    }
    out
}

fn duration(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}.{:02}:{:02}:{:02}.{:07}", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60, (ms % 1000) * 10_000)
}

fn gateway_peers(r: &Router, spec: &LabSpec) -> Vec<Value> {
    let mut out = Vec::new();
    for (addr, p) in r.peers.iter().flatten() {
        let state = match p["state"].as_str().unwrap_or("Idle") {
            "Established" => "Connected",
            "Idle" if p["peerState"] == "Admin" => "Stopped",
            "Idle" => "Idle",
            _ => "Connecting",
        };
        out.push(json!({
            "localAddress": spec.gateway_ip.to_string(),
            "neighbor": addr,
            "asn": p["remoteAs"].as_u64().unwrap_or(0),
            "state": state,
            "connectedDuration": if state == "Connected" { duration(p["peerUptimeMsec"].as_u64().unwrap_or(0)) } else { String::new() },
            "routesReceived": if state == "Connected" { p["pfxRcd"].as_u64().unwrap_or(0) } else { 0 },
            "messagesSent": p["msgSent"].as_u64().unwrap_or(0),
            "messagesReceived": p["msgRcvd"].as_u64().unwrap_or(0),
        }));
    }
    out
}

fn learned_routes(r: &Router, spec: &LabSpec) -> Vec<Value> {
    let gw = spec.gateway_ip.to_string();
    let mut out = Vec::new();
    for (prefix, paths) in r.all_routes() {
        for p in paths.as_array().into_iter().flatten() {
            // FRR marks its own `network` routes `pathFrom: external` too;
            // they have no peer (`(unspec)`) and an unspecified next hop.
            let hop = next_hop(p);
            let local = p["peerId"] == "(unspec)" || hop.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified());
            let external = p["pathFrom"] == "external" && !local;
            out.push(json!({
                "localAddress": gw,
                "network": prefix,
                "nextHop": if external { hop } else { String::new() },
                "sourcePeer": if external { p["peerId"].as_str().unwrap_or_default().to_string() } else { gw.clone() },
                "origin": if external { "EBgp" } else { "Network" },
                "asPath": p["path"].as_str().unwrap_or_default(),
                "weight": p["weight"].as_u64().unwrap_or(0),
            }));
        }
    }
    out
}

/// The CE's texts as an engineer would paste them: the running
/// configuration, `show bgp summary` (both families' sessions), `show ip
/// bgp`, `show bgp ipv6 unicast` on a dual-stack lab and the ARP table
/// (`ip neigh show`). The MD5 keys are in the running configuration: the
/// caller redacts it before it goes anywhere.
pub fn ce_texts(lab: &Lab) -> Vec<(String, String)> {
    let ns = lab.ns("ce");
    let mut out = Vec::new();
    let dual_stack = lab.load().is_ok_and(|s| s.spec.v6.is_some());
    let v6 = dual_stack.then_some(("show-bgp-ipv6-unicast", "show bgp ipv6 unicast"));
    for (name, cmd) in [("running-config", "show running-config"), ("show-bgp-summary", "show bgp summary"), ("show-ip-bgp", "show ip bgp")].into_iter().chain(v6) {
        if let Ok(t) = vtysh(&ns, &[cmd]) {
            out.push((format!("lab-ce1/{name}"), format!("ce1# {cmd}\n{t}")));
        }
    }
    if let Ok(t) = ip(&ns, &["neigh", "show"]) {
        out.push(("lab-ce1/ip-neigh".into(), format!("ce1# ip neigh show\n{t}")));
    }
    out
}
