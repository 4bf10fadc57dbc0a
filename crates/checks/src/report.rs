//! The `erdiag-report/1` contract: what `-o json` prints and every renderer reads.

use crate::coverage::Coverage;
use crate::finding::Finding;
pub use crate::finding::RootCause;
use crate::topology::Topology;
use erdiag_model::CircuitState;
use serde::Serialize;

pub const REPORT_FORMAT: &str = "erdiag-report/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Healthy,
    Degraded,
    Down,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::Degraded => "degraded",
            Verdict::Down => "down",
            Verdict::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub format: &'static str,
    pub circuit: CircuitSummary,
    pub collected_at: Option<String>,
    pub verdict: Verdict,
    pub root_cause: Option<RootCause>,
    pub findings: Vec<Finding>,
    pub next_steps: Vec<String>,
    /// How many of the checks that apply were verified, and what would
    /// complete the others.
    pub coverage: Coverage,
    /// The guide's diagram for this circuit, coloured by the findings.
    pub topology: Topology,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitSummary {
    pub id: String,
    pub name: String,
    pub service_key: Option<String>,
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub location: Option<String>,
    pub sku: Option<String>,
    pub bandwidth_mbps: Option<u64>,
    pub provider: Option<String>,
    pub peering_location: Option<String>,
    pub express_route_direct: bool,
    pub circuit_status: Option<String>,
    pub provider_status: Option<String>,
    pub peerings: Vec<String>,
}

impl CircuitSummary {
    pub fn of(s: &CircuitState) -> CircuitSummary {
        let c = &s.circuit;
        let p = &c.properties;
        let id = erdiag_model::ResourceId::parse(&s.circuit_id).ok();
        CircuitSummary {
            id: s.circuit_id.clone(),
            name: s.circuit_name().to_string(),
            service_key: p.service_key.clone(),
            subscription: id.as_ref().map(|i| i.subscription().to_string()),
            resource_group: id.as_ref().and_then(|i| i.resource_group()).map(str::to_string),
            location: c.location.clone(),
            sku: c.sku.as_ref().and_then(|k| k.name.clone()),
            bandwidth_mbps: c.bandwidth_mbps(),
            provider: p.service_provider_properties.as_ref().and_then(|x| x.service_provider_name.clone()),
            peering_location: p.service_provider_properties.as_ref().and_then(|x| x.peering_location.clone()),
            express_route_direct: c.is_direct(),
            circuit_status: p.circuit_provisioning_state.clone(),
            provider_status: p.service_provider_provisioning_state.clone(),
            peerings: s.peerings.iter().map(|x| x.name().to_string()).collect(),
        }
    }
}

/// The name of a network point of the guide's diagram.
pub fn point_name(p: u8) -> &'static str {
    match p {
        1 => "customer compute",
        2 => "CE",
        3 => "PE (facing CE)",
        4 => "PE-MSEE",
        5 => "MSEE",
        6 => "VNet gateway",
        7 => "Azure compute",
        _ => "?",
    }
}
