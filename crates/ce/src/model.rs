//! The typed, vendor-neutral model the customer-edge cross-check reads:
//! BGP sessions, BGP routes, ARP entries, IP routes and interfaces, whatever
//! the router. Each value is derived from one ntc-templates record
//! ([`Rec`]) of a known platform and command: ASNs become asplain `u32`
//! (asdot `65000.1000` is 65000 × 65536 + 1000), states become
//! [`BgpState`], counters become numbers. What a router did not print is
//! `None`, never a default.

use crate::{Platform, Rec};
use serde::Serialize;

/// What kind of records a command yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    BgpSummary,
    BgpNeighbors,
    BgpRoutes,
    Arp,
    Routes,
    RouteSummary,
    Interfaces,
}

/// The typed records of one parsed output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "records", rename_all = "snake_case")]
pub enum Model {
    BgpSummary(Vec<BgpNeighborSummary>),
    BgpNeighbors(Vec<BgpNeighborDetail>),
    BgpRoutes(Vec<BgpRoute>),
    Arp(Vec<ArpEntry>),
    Routes(Vec<Route>),
    RouteSummary(Vec<RouteTableSummary>),
    Interfaces(Vec<Interface>),
}

/// A BGP session's state. `Established` is what a summary shows as a
/// prefix count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BgpState {
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
    /// Anything else the router printed.
    Other(String),
}

impl BgpState {
    /// Reads a state as routers print it: `Established`, `Estab`, `Establ`,
    /// `Idle (Admin)`, `Idle(NoIf)`, `Active!`, `OpenSent`, `Connect`, or a
    /// prefix count (which means established). Returns the state and what
    /// the parentheses said (`Admin`, `PfxCt`, `NoIf`).
    pub fn parse(s: &str) -> (BgpState, Option<String>) {
        let s = s.trim().trim_end_matches('!');
        let (word, detail) = match s.split_once('(') {
            Some((w, d)) => (w.trim(), Some(d.trim_end_matches(')').trim().to_string()).filter(|d| !d.is_empty())),
            None => (s, None),
        };
        let lower = word.to_ascii_lowercase();
        let state = match lower.as_str() {
            _ if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) => BgpState::Established,
            "idle" => BgpState::Idle,
            "connect" => BgpState::Connect,
            "active" => BgpState::Active,
            "opensent" => BgpState::OpenSent,
            "openconfirm" => BgpState::OpenConfirm,
            "established" | "estab" | "establ" | "establish" => BgpState::Established,
            _ => BgpState::Other(word.to_string()),
        };
        (state, detail)
    }
}

/// One row of a BGP summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BgpNeighborSummary {
    pub neighbor: String,
    pub vrf: Option<String>,
    pub address_family: Option<String>,
    pub remote_as: Option<u32>,
    /// The AS as the router printed it, when that was asdot (`65001.100`;
    /// `remote_as` holds it as a number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_as_asdot: Option<String>,
    pub local_as: Option<u32>,
    pub router_id: Option<String>,
    pub state: BgpState,
    /// What the router added in parentheses: `Admin` (shut down), `PfxCt`
    /// (prefix limit), `NoIf`.
    pub state_detail: Option<String>,
    pub prefixes_received: Option<u64>,
    pub prefixes_accepted: Option<u64>,
    /// Prefixes advertised to the neighbor, where the summary shows them
    /// (FRR's `PfxSnt`).
    pub prefixes_sent: Option<u64>,
    /// As printed (`3w0d`, `01:57:59`, `9w2d 5:23:37`).
    pub up_down: Option<String>,
    pub description: Option<String>,
}

/// One neighbor of `show … bgp neighbors`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BgpNeighborDetail {
    pub neighbor: String,
    pub vrf: Option<String>,
    pub description: Option<String>,
    pub peer_group: Option<String>,
    pub remote_as: Option<u32>,
    pub local_as: Option<u32>,
    pub remote_router_id: Option<String>,
    pub state: BgpState,
    pub state_detail: Option<String>,
    pub up_for: Option<String>,
    /// Whether an MD5 password is configured (`None`: the output does not say).
    pub password_configured: Option<bool>,
    pub bfd: Option<bool>,
    pub prefixes_received: Option<u64>,
    pub prefixes_sent: Option<u64>,
    pub route_map_in: Option<String>,
    pub route_map_out: Option<String>,
    pub local_address: Option<String>,
    pub local_port: Option<u16>,
    pub remote_address: Option<String>,
    pub remote_port: Option<u16>,
    pub last_reset_reason: Option<String>,
}

/// A path of the BGP table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BgpRoute {
    pub prefix: String,
    pub next_hop: String,
    pub valid: bool,
    pub best: bool,
    pub internal: bool,
    pub metric: Option<u64>,
    pub local_pref: Option<u64>,
    pub weight: Option<u64>,
    /// asplain; AS sets are flattened.
    pub as_path: Vec<u32>,
    /// `igp`, `egp` or `incomplete`.
    pub origin: Option<&'static str>,
}

/// An ARP (IPv4 neighbor) entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArpEntry {
    pub ip: String,
    /// Lower case as printed (`0000.0c07.ac00`, `00:00:5e:00:01:01`);
    /// `None` when incomplete.
    pub mac: Option<String>,
    pub incomplete: bool,
    pub interface: Option<String>,
    /// As printed (`-` for the router's own address, `00:01:02`, `9`).
    pub age: Option<String>,
    pub vrf: Option<String>,
}

/// An IP route with its next hops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    pub vrf: Option<String>,
    /// `10.0.0.0/8`.
    pub prefix: String,
    /// The protocol as printed (`B`, `C`, `O IA`, `bgp-65000`, `ospf-1`).
    pub protocol: String,
    pub distance: Option<u32>,
    pub metric: Option<u64>,
    pub next_hops: Vec<NextHop>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextHop {
    pub ip: Option<String>,
    pub interface: Option<String>,
}

/// One protocol's routes in one routing table (Junos `show route summary`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteTableSummary {
    pub table: String,
    pub protocol: String,
    pub routes: Option<u64>,
    pub active: Option<u64>,
}

/// An interface: state, counters, errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interface {
    pub name: String,
    pub description: Option<String>,
    pub admin_up: Option<bool>,
    pub oper_up: Option<bool>,
    /// As printed (`up`, `administratively down`, `down (err-disabled)`).
    pub link_status: Option<String>,
    pub protocol_status: Option<String>,
    pub ip_address: Option<String>,
    pub mtu: Option<u32>,
    pub input_packets: Option<u64>,
    pub output_packets: Option<u64>,
    pub input_errors: Option<u64>,
    pub output_errors: Option<u64>,
    pub crc: Option<u64>,
}

impl Model {
    pub fn empty(kind: Kind) -> Model {
        match kind {
            Kind::BgpSummary => Model::BgpSummary(Vec::new()),
            Kind::BgpNeighbors => Model::BgpNeighbors(Vec::new()),
            Kind::BgpRoutes => Model::BgpRoutes(Vec::new()),
            Kind::Arp => Model::Arp(Vec::new()),
            Kind::Routes => Model::Routes(Vec::new()),
            Kind::RouteSummary => Model::RouteSummary(Vec::new()),
            Kind::Interfaces => Model::Interfaces(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Model::BgpSummary(v) => v.len(),
            Model::BgpNeighbors(v) => v.len(),
            Model::BgpRoutes(v) => v.len(),
            Model::Arp(v) => v.len(),
            Model::Routes(v) => v.len(),
            Model::RouteSummary(v) => v.len(),
            Model::Interfaces(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds what one ntc record of `platform`/`command` says.
    pub fn push(&mut self, platform: Platform, command: &str, rec: &Rec<'_>) {
        convert::push(self, platform, command, rec)
    }
}

/// asplain from asplain or asdot text (`65000`, `65000.1000`).
pub fn parse_asn(s: &str) -> Option<u32> {
    let s = s.trim();
    match s.split_once('.') {
        Some((hi, lo)) => {
            let hi: u32 = hi.parse().ok()?;
            let lo: u32 = lo.parse().ok()?;
            (hi <= 0xffff && lo <= 0xffff).then_some((hi << 16) | lo)
        }
        None => s.parse().ok(),
    }
}

mod convert;
pub(crate) mod json;
