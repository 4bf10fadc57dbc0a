//! `inputs`: the evidence only the user can supply, as the snapshot carries
//! it. Every writer (the CLI's evidence flags, the lab, importers) builds this
//! type, and [`crate::Snapshot::decode`] reads it: the shape is written once.
//!
//! ```json
//! "inputs": {
//!   "aclTest": { "primary": "src … (received): 120 matches\n…", "secondary": "…" },
//!   "azureMd5": true,
//!   "ce": { "primary": [{ "name": "ce1.cfg", "text": "…" }], "secondary": [] },
//!   "probe": { "format": "erdiag-probe/1", … }
//! }
//! ```

use crate::device::PerPath;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The evidence only the user can supply (`inputs` of a snapshot). Keys
/// other than these four are ignored; under `aclTest` and `ce` only
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
