//! What changed on a circuit between two snapshots (`erdiag diff A B`).
//!
//! A snapshot shows only now; the faults that hurt come and go. Two
//! snapshots of the same circuit, taken minutes or days apart, say what moved
//! in between: per peering and device path, the MSEE routes added, withdrawn
//! or changed, BGP sessions that changed state, count or were reset, ARP
//! entries that appeared, disappeared or changed MAC, the gateway's learned
//! routes and BGP peers, the traffic counters turned into rates, and the ARM
//! properties that changed (with who changed them, when Resource Graph's
//! `resourcechanges` rows are in the snapshot).
//!
//! [`diff`] compares two typed states (pure, no I/O): everything but the ARM
//! properties, which erdiag types only in part. [`diff_snapshots`] compares
//! two snapshot files: [`diff`] plus the properties, from the raw bodies.
//! The result serializes as `erdiag-diff/1` (docs/erdiag-diff-1.schema.json).
//!
//! A table read in one snapshot and not in the other (a failed call, a call
//! not made) is a [`Change::Coverage`], never "every route withdrawn".

mod props;
pub use props::resource_changes_path;
mod rates;
mod tables;

use erdiag_model::{CircuitState, DevicePath, Snapshot, SnapshotError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The value of the `format` field of a [`Diff`].
pub const DIFF_FORMAT: &str = "erdiag-diff/1";

/// Everything that changed between snapshot A (before) and B (after).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub format: String,
    pub circuit_id: String,
    /// A's `collectedAt`.
    pub from: Option<String>,
    /// B's `collectedAt`.
    pub to: Option<String>,
    /// Seconds from A to B, when both times are known and B is later.
    pub interval_secs: Option<i64>,
    /// The circuit's bandwidth in B (Mbps), the rates' reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_mbps: Option<u64>,
    /// In a stable order: by kind, then peering, path and key.
    pub changes: Vec<Change>,
    /// What could not be compared, and why (no interval for rates…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Diff {
    /// No change: rates alone are information, not a change.
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| !c.is_change())
    }
    /// The changes that count (every kind but rates).
    pub fn count(&self) -> usize {
        self.changes.iter().filter(|c| c.is_change()).count()
    }
}

/// One change, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Change {
    /// A prefix in an MSEE route table (`routeTables/{path}`).
    Route(RouteChange),
    /// A BGP session: an MSEE neighbor (`routeTablesSummary/{path}`) or a
    /// gateway's peer (`getBgpPeerStatus`).
    Bgp(BgpChange),
    /// An entry of an MSEE ARP table (`arpTables/{path}`), by IP address.
    Arp(ArpChange),
    /// Traffic over the interval, from the byte counters (information only).
    Rate(Rate),
    /// An ARM property of the circuit, a peering, a connection or a gateway.
    Property(PropertyChange),
    /// A prefix the gateway learned (`getLearnedRoutes`).
    LearnedRoute(LearnedRouteChange),
    /// A table read in one snapshot and not in the other.
    Coverage(CoverageChange),
}

impl Change {
    /// Whether it counts as a change (for the exit code): all but rates.
    pub fn is_change(&self) -> bool {
        !matches!(self, Change::Rate(_))
    }
    /// The kind, as the `kind` field spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Route(_) => "route",
            Change::Bgp(_) => "bgp",
            Change::Arp(_) => "arp",
            Change::Rate(_) => "rate",
            Change::Property(_) => "property",
            Change::LearnedRoute(_) => "learnedRoute",
            Change::Coverage(_) => "coverage",
        }
    }
    /// Where it happened: `AzurePrivatePeering primary`, `gateway ergw-hub`,
    /// `circuit`, or a resource's name for a property.
    pub fn place(&self) -> String {
        match self {
            Change::Route(r) => format!("{} {}", r.peering, r.path),
            Change::Arp(a) => format!("{} {}", a.peering, a.path),
            Change::Bgp(b) => b.at.to_string(),
            Change::Rate(r) => Where { peering: r.peering.clone(), path: Some(r.path), gateway: None }.to_string(),
            Change::Coverage(c) => match &c.resource {
                Some(id) => format!("{} {}", c.table, erdiag_model::last_segment(id)),
                None => c.at.to_string(),
            },
            Change::LearnedRoute(l) => format!("gateway {}", l.gateway),
            Change::Property(p) => format!("{} {}", p.resource_type, erdiag_model::last_segment(&p.resource)),
        }
    }
}

/// Where a change is: a peering and path of the MSEEs, or a gateway; all
/// absent for the circuit itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Where {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peering: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<DevicePath>,
    /// The gateway's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.peering, self.path, &self.gateway) {
            (_, _, Some(g)) => write!(f, "gateway {g}"),
            (Some(p), Some(d), _) => write!(f, "{p} {d}"),
            (Some(p), None, _) => f.write_str(p),
            (None, Some(d), _) => write!(f, "circuit {d}"),
            (None, None, None) => f.write_str("circuit"),
        }
    }
}

/// What A had (absent when added) and what B has (absent when removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sides<T> {
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub before: Option<T>,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub after: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// Added, withdrawn or changed: a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RouteEdit {
    Added,
    Withdrawn,
    Changed,
}

/// Added, removed or changed: an ARP entry, a BGP neighbor, a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Edit {
    Added,
    Removed,
    Changed,
}

/// What a route table says about one prefix: several rows (ECMP) are one
/// set of next hops. Every list is sorted and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteAttrs {
    pub next_hops: Vec<String>,
    pub as_paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loc_prfs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<u64>,
    /// The gateway's BGP peers the route came from (`sourcePeer`): learned routes only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_peers: Vec<String>,
    /// `EBgp`, `IBgp`, `Network`: learned routes only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteChange {
    pub peering: String,
    pub path: DevicePath,
    pub prefix: String,
    pub change: RouteEdit,
    #[serde(flatten)]
    pub sides: Sides<RouteAttrs>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LearnedRouteChange {
    /// The gateway's name.
    pub gateway: String,
    pub gateway_id: String,
    pub prefix: String,
    pub change: RouteEdit,
    #[serde(flatten)]
    pub sides: Sides<RouteAttrs>,
}

/// A BGP session as one snapshot saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BgpSide {
    /// `Established`, `Idle`, `Active`… (MSEE); `Connected`, `Connecting`… (gateway).
    pub state: String,
    /// Prefixes received (MSEE: when Established; gateway: `routesReceived`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefixes: Option<u64>,
    /// How long the session has been up (or down), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BgpChange {
    /// The MSEE's peering and path, or the gateway (for a gateway's peer).
    #[serde(flatten)]
    pub at: Where,
    /// The gateway instance's own address, for a gateway's peer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_address: Option<String>,
    pub neighbor: String,
    pub change: Edit,
    #[serde(flatten)]
    pub sides: Sides<BgpSide>,
    /// The uptime went backwards: the session was reset in between, even
    /// when its state reads the same now.
    #[serde(default)]
    pub reset: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArpChange {
    pub peering: String,
    pub path: DevicePath,
    pub ip: String,
    pub change: Edit,
    /// `On-Prem` or `Microsoft`, from whichever snapshot has the entry (B first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_after: Option<String>,
}

/// In (from the customer's network to Microsoft) or out, as ARM's counters say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rate {
    /// The peering whose counters these are; absent for the circuit's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peering: Option<String>,
    pub path: DevicePath,
    pub direction: Direction,
    /// Bytes counted in between (B − A), when the counter did not go down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Bits per second over the interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bits_per_second: Option<f64>,
    /// `bitsPerSecond` as a share (0–1) of the circuit's bandwidth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_of_bandwidth: Option<f64>,
    /// Why there is no rate (a counter reset, no interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyChange {
    /// The ARM id of the resource (the circuit for its peerings' properties).
    pub resource: String,
    /// `circuit`, `connection`, `gateway`, or `health` (the Resource Health
    /// status of the resource, `availabilityStatuses/current`).
    pub resource_type: String,
    /// The JSON path in the resource body, arrays of named objects keyed by
    /// name: `properties.peerings[AzurePrivatePeering].properties.state`.
    pub path: String,
    pub change: Edit,
    /// The value in A (absent when added). A secret's value is never shown: `"(changed)"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Who changed it, from Resource Graph's `resourcechanges`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
    /// `Create`, `Update` or `Delete` (`resourcechanges`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_type: Option<String>,
    /// When, as `resourcechanges` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// How it was changed (`Azure Portal`, `Azure CLI`…), as `resourcechanges` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageChange {
    /// `routeTable`, `routeTableSummary`, `arpTable`, `stats`, `learnedRoutes`,
    /// `bgpPeers`; `connection` or `gateway` for a resource body.
    pub table: String,
    #[serde(flatten)]
    pub at: Where,
    /// The ARM id, for a resource (`circuit`, `connection`, `gateway` tables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `read`, `failed: …`, `unreadable: …` or `not collected`.
    pub before: String,
    pub after: String,
}

/// Compares two typed states of one circuit: A before, B after. Pure.
///
/// Everything but ARM properties (see [`diff_snapshots`]).
pub fn diff(a: &CircuitState, b: &CircuitState) -> Diff {
    let interval = interval(a.collected_at.as_deref(), b.collected_at.as_deref());
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    tables::peerings(a, b, &mut changes);
    tables::gateways(a, b, &mut changes);
    rates::rates(a, b, interval, &mut changes, &mut notes);
    Diff {
        format: DIFF_FORMAT.to_string(),
        circuit_id: b.circuit_id.clone(),
        from: a.collected_at.clone(),
        to: b.collected_at.clone(),
        interval_secs: interval,
        bandwidth_mbps: b.circuit.bandwidth_mbps(),
        changes,
        notes,
    }
}

/// Compares two snapshots of one circuit: [`diff`] of their decoded states,
/// plus the ARM properties of the circuit, its peerings, connections and
/// gateways from the raw bodies, with who changed them when a snapshot
/// holds `resourcechanges` rows for the interval.
pub fn diff_snapshots(a: &Snapshot, b: &Snapshot) -> Result<Diff, SnapshotError> {
    let (sa, sb) = (a.decode()?, b.decode()?);
    let mut d = diff(&sa, &sb);
    let mut props = props::properties(a, b, &sa, &sb);
    props::attribute(&mut props, a, b, &d);
    d.changes.extend(props);
    Ok(d)
}

/// Seconds from A to B, when both are RFC 3339 instants and B is later.
fn interval(a: Option<&str>, b: Option<&str>) -> Option<i64> {
    let a = erdiag_model::time::parse_rfc3339(a?).ok()?;
    let b = erdiag_model::time::parse_rfc3339(b?).ok()?;
    (b > a).then_some(b - a)
}
