//! A finding: what one check concluded for one scope (the circuit, a
//! peering, or one device path of a peering).

use crate::layer::Layer;
use crate::owner::Owner;
use erdiag_model::DevicePath;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Warn,
    /// The data the check needs is missing or failed to collect.
    Unknown,
    /// Optional evidence only the user can supply is absent.
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Unknown => "unknown",
            Status::Skip => "skip",
        }
    }
}

/// One line of the `findings` array of `erdiag-report/1`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub check: &'static str,
    pub name: &'static str,
    pub status: Status,
    pub layer: Layer,
    pub owner: Owner,
    pub network_points: Vec<u8>,
    pub peering: Option<String>,
    pub path: Option<DevicePath>,
    pub message: String,
    pub evidence: Vec<String>,
    pub remediation: Option<String>,
    pub consequence_of: Option<String>,
    /// The circuits (ARM ids) a fleet finding is about; empty in a single
    /// circuit's report, where it is left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub circuits: Vec<String>,
    /// The virtual network gateway (ARM id) a fleet finding is about; left
    /// out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    #[serde(skip)]
    pub breaks_path: bool,
    #[serde(skip)]
    pub explainable: bool,
    #[serde(skip)]
    pub explains: &'static [Layer],
    /// About the metrics window, not the snapshot's moment (`Check::past`).
    #[serde(skip)]
    pub past: bool,
    /// About the IPv6 sessions of a dual-stack peering only: as a cause it
    /// explains only other IPv6 findings, never the IPv4 ones.
    #[serde(skip)]
    pub ipv6_only: bool,
    /// A `skip` because the circuit does not use the feature the check is
    /// about (no ExpressRoute Direct port): the check does not apply, and
    /// coverage lists it neither as verified nor as awaiting an input.
    #[serde(skip)]
    pub not_used: bool,
}

impl Finding {
    pub fn peering(mut self, name: &str) -> Finding {
        self.peering = Some(name.to_string());
        self
    }
    pub fn path(mut self, p: DevicePath) -> Finding {
        self.path = Some(p);
        self
    }
    pub fn maybe_path(mut self, p: Option<DevicePath>) -> Finding {
        self.path = p;
        self
    }
    pub fn evidence(mut self, e: impl Into<String>) -> Finding {
        self.evidence.push(e.into());
        self
    }
    pub fn evidence_all<I: IntoIterator<Item = String>>(mut self, e: I) -> Finding {
        self.evidence.extend(e);
        self
    }
    pub fn fix(mut self, r: impl Into<String>) -> Finding {
        self.remediation = Some(r.into());
        self
    }
    pub fn owner(mut self, o: Owner) -> Finding {
        self.owner = o;
        self
    }
    pub fn points(mut self, p: &[u8]) -> Finding {
        self.network_points = p.to_vec();
        self
    }
    /// Whether this failure takes its path out of service (defaults to the check's).
    pub fn breaks(mut self, b: bool) -> Finding {
        self.breaks_path = b && self.status == Status::Fail;
        self
    }
    /// About IPv6 only: explains no IPv4 finding (see `ipv6_only`).
    pub fn ipv6(mut self) -> Finding {
        self.ipv6_only = true;
        self
    }
    /// The circuits (ARM ids) a fleet finding is about.
    pub fn circuits<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Finding {
        self.circuits = ids.into_iter().map(Into::into).collect();
        self
    }
    /// The virtual network gateway (ARM id) a fleet finding is about.
    pub fn gateway(mut self, id: impl Into<String>) -> Finding {
        self.gateway = Some(id.into());
        self
    }
    /// A short label of the scope: `AzurePrivatePeering/primary`; a fleet
    /// finding's starts with its gateway's name, else its one circuit's.
    pub fn scope(&self) -> String {
        let fleet = match (&self.gateway, self.circuits.as_slice()) {
            (Some(g), _) => Some(erdiag_model::last_segment(g)),
            (None, [one]) => Some(erdiag_model::last_segment(one)),
            _ => None,
        };
        let local = self.local_scope();
        match fleet {
            Some(f) if local == "circuit" => f.to_string(),
            Some(f) => format!("{f}/{local}"),
            None => local,
        }
    }
    fn local_scope(&self) -> String {
        match (&self.peering, self.path) {
            (Some(p), Some(d)) => format!("{p}/{d}"),
            (Some(p), None) => p.clone(),
            (None, Some(d)) => d.to_string(),
            (None, None) => String::from("circuit"),
        }
    }
}

/// The finding correlation names as the root cause (the report's
/// `rootCause`), and what the diagram marks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RootCause {
    pub check: String,
    pub layer: Layer,
    pub owner: Owner,
    pub network_points: Vec<u8>,
    pub peering: Option<String>,
    pub path: Option<DevicePath>,
    pub summary: String,
}
