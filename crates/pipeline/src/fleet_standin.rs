//! Stand-ins for the discovery, the throttle statistics and the fleet checks
//! until their crates provide them (same names and shapes).
#![allow(dead_code)]

pub mod graph {
    use erdiag_azure::{ArmClient, Outcome, Progress, ReadOnlyCall};
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    pub enum Scope {
        Tenant,
        Subscriptions(Vec<String>),
        ManagementGroups(Vec<String>),
    }

    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct CircuitRecord {
        pub id: String,
        pub name: String,
        pub subscription: String,
        pub resource_group: String,
        pub location: String,
        pub provider: Option<String>,
        pub peering_location: Option<String>,
        pub bandwidth_mbps: Option<u32>,
        pub sku_tier: Option<String>,
        pub sku_family: Option<String>,
        pub port_id: Option<String>,
        pub bandwidth_gbps: Option<f64>,
        pub tags: BTreeMap<String, String>,
        pub circuit_state: Option<String>,
        pub provider_state: Option<String>,
    }

    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct PortRecord {
        pub id: String,
        pub name: String,
        pub subscription: String,
        pub location: String,
        pub peering_location: Option<String>,
        pub bandwidth_gbps: Option<f64>,
    }

    #[derive(Debug, Clone, Default)]
    pub struct Filter {
        pub tags: Vec<(String, String)>,
        pub resource_groups: Vec<String>,
        pub names: Vec<String>,
        pub locations: Vec<String>,
        pub providers: Vec<String>,
    }

    impl Filter {
        pub fn matches(&self, c: &CircuitRecord) -> bool {
            let any = |want: &[String], have: &str| want.is_empty() || want.iter().any(|w| w.eq_ignore_ascii_case(have));
            any(&self.resource_groups, &c.resource_group)
                && any(&self.locations, &c.location)
                && any(&self.providers, c.provider.as_deref().unwrap_or(""))
                && (self.names.is_empty() || self.names.iter().any(|g| glob(&g.to_ascii_lowercase(), &c.name.to_ascii_lowercase())))
                && self.tags.iter().all(|(k, v)| c.tags.iter().any(|(ck, cv)| ck.eq_ignore_ascii_case(k) && cv.eq_ignore_ascii_case(v)))
        }
    }

    fn glob(p: &str, s: &str) -> bool {
        match p.split_once('*') {
            None => p == s,
            Some((head, rest)) => s.starts_with(head) && (0..=s.len() - head.len()).any(|i| s.is_char_boundary(head.len() + i) && glob(rest, &s[head.len() + i..])),
        }
    }

    #[derive(Debug, Clone, Default)]
    pub struct Inventory {
        pub circuits: Vec<CircuitRecord>,
        pub ports: Vec<PortRecord>,
        pub pages: usize,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    pub struct GraphError(pub String);

    /// Lists each subscription's circuits with ARM's GET list.
    pub async fn discover(client: &ArmClient, scope: &Scope, progress: &dyn Progress) -> Result<Inventory, GraphError> {
        let subs = match scope {
            Scope::Subscriptions(s) => s.clone(),
            _ => return Err(GraphError("only --subscription scopes are supported yet".into())),
        };
        let mut inv = Inventory::default();
        for (i, s) in subs.iter().enumerate() {
            let call = ReadOnlyCall::get(format!("/subscriptions/{s}/providers/Microsoft.Network/expressRouteCircuits"));
            match client.call(&call, i, progress).await {
                Outcome::Ok(v) => {
                    inv.pages += 1;
                    for c in v["value"].as_array().into_iter().flatten() {
                        let id = c["id"].as_str().unwrap_or_default().to_string();
                        let rid = erdiag_model::ResourceId::parse(&id).map_err(|e| GraphError(e.to_string()))?;
                        let sp = &c["properties"]["serviceProviderProperties"];
                        inv.circuits.push(CircuitRecord {
                            name: rid.last().to_string(),
                            subscription: rid.subscription().to_string(),
                            resource_group: rid.resource_group().unwrap_or_default().to_string(),
                            location: c["location"].as_str().unwrap_or_default().to_string(),
                            provider: sp["serviceProviderName"].as_str().map(str::to_string),
                            peering_location: sp["peeringLocation"].as_str().map(str::to_string),
                            bandwidth_mbps: sp["bandwidthInMbps"].as_u64().map(|b| b as u32),
                            id,
                            ..Default::default()
                        });
                    }
                }
                failed => return Err(GraphError(format!("subscription {s}: {}", failed.summary()))),
            }
        }
        Ok(inv)
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ClientStats {
    pub requests: u64,
    pub throttled: u64,
    pub retries: u64,
    pub paced: u64,
    pub paced_ms: u64,
}

pub fn stats(_: &erdiag_azure::ArmClient) -> ClientStats {
    ClientStats::default()
}

pub async fn collect_in(
    client: std::sync::Arc<erdiag_azure::ArmClient>,
    target: &erdiag_azure::Target,
    _region: Option<&str>,
    progress: std::sync::Arc<dyn erdiag_azure::Progress>,
) -> Result<erdiag_azure::Collected, erdiag_azure::CollectError> {
    erdiag_azure::collect(client, target, progress).await
}

pub mod checks {
    use erdiag_checks::Finding;
    use erdiag_model::CircuitState;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct CircuitFacts {
        pub id: String,
    }
    impl CircuitFacts {
        pub fn from_state(s: &CircuitState) -> CircuitFacts {
            CircuitFacts { id: s.circuit_id.clone() }
        }
    }
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct PortFacts {
        pub id: String,
        pub bandwidth_gbps: Option<f64>,
    }
    pub fn diagnose(_: &[CircuitFacts], _: &[PortFacts]) -> Vec<Finding> {
        Vec::new()
    }
}
