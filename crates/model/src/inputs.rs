//! `inputs`: the evidence only the user can supply, as the snapshot carries
//! it. Every writer (the CLI's evidence flags, the lab, importers) builds this
//! type, and [`crate::Snapshot::decode`] reads it: the shape is written once.
//!
//! ```json
//! "inputs": {
//!   "aclTest": { "primary": "src … (received): 120 matches\n…", "secondary": "…" },
//!   "azureMd5": true,
//!   "ce": { "primary": [{ "name": "ce1.cfg", "text": "…" }], "secondary": [] },
//!   "probe": { "format": "erdiag-probe/1", … },
//!   "observed": { "store": "history.db", "from": "…", "to": "…", "polls": [ … ] }
//! }
//! ```
//!
//! `observed` is not typed by the user but written by erdiag from its own
//! history store: what its earlier polls saw of each session around the
//! metrics window, so that a dip in a metric can be confirmed.

use crate::device::{DevicePath, PerPath};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The evidence only the user can supply (`inputs` of a snapshot). Keys
/// other than these five are ignored; under `aclTest` and `ce` only
/// `primary` and `secondary` are device paths.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inputs {
    /// The text of the portal's "Test private-peering connectivity", per MSEE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl_test: Option<AclTestInput>,
    /// Whether Azure's side of the peering has an MD5 key, as the user states
    /// it (`--azure-md5`): ARM never shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_md5: Option<bool>,
    /// Customer-edge router texts per device path, each with a label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ce: Option<CeTexts>,
    /// An `erdiag-probe/1` document as `erdiag probe tcp -o json` wrote it,
    /// carried whole; [`crate::Snapshot::decode`] reads a [`ProbeInput`] of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<Value>,
    /// What erdiag's own earlier polls saw, from its history store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observed>,
}

/// The portal's "Test private-peering connectivity" results, per MSEE.
pub type AclTestInput = PerPath<String>;

/// The CE texts of both device paths (`inputs.ce`).
pub type CeTexts = PerPath<Vec<CeInput>>;

impl Inputs {
    pub fn is_empty(&self) -> bool {
        *self == Inputs::default()
    }
}

/// A text the user supplied from a customer-edge router: a running
/// configuration or show outputs (`inputs.ce.primary` / `.secondary`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct CeInput {
    /// A file name, for diagnostics (`ce1-running-config.txt`).
    pub name: String,
    pub text: String,
}

/// What the checks read of an `erdiag-probe/1` document (`inputs.probe`):
/// the TCP ping run during the portal's connectivity test.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProbeInput {
    pub target: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    pub summary: ProbeSummary,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProbeSummary {
    pub sent: u64,
    pub received: u64,
    pub lost: u64,
    pub loss_percent: f64,
    #[serde(default)]
    pub median_ms: Option<f64>,
    #[serde(default)]
    pub p99_ms: Option<f64>,
    #[serde(default)]
    pub by_result: std::collections::BTreeMap<String, u64>,
}

/// What erdiag itself saw of the circuit around the metrics window
/// (`inputs.observed`), read from its history store: one entry per stored
/// poll, each with the state of every BGP session and ARP table it read.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Observed {
    /// The store it came from, without credentials.
    pub store: String,
    /// The window looked at (RFC 3339).
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub polls: Vec<ObservedPoll>,
}

/// One stored poll: when, and what it saw on each path.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ObservedPoll {
    /// RFC 3339.
    pub at: String,
    #[serde(default)]
    pub bgp: Vec<ObservedPath<BgpObserved>>,
    #[serde(default)]
    pub arp: Vec<ObservedPath<ArpObserved>>,
}

/// The state of one peering and path in a poll.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ObservedPath<S> {
    pub peering: String,
    pub path: DevicePath,
    pub state: S,
    /// BGP, a session up: when it was re-established, as that poll's route
    /// summary dated it (`upDown` under a day), RFC 3339. A later poll reads
    /// only the latest reset, so this is what keeps an earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_since: Option<String>,
}

/// A BGP session as the route-table summary showed it (Established → `up`).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BgpObserved {
    Up,
    Down,
    Unknown,
}

/// An ARP table as read: the on-premises entry present → `resolved`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ArpObserved {
    Resolved,
    Empty,
    Unknown,
}
