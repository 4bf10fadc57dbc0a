//! ARM request paths: decoding, case-insensitive matching, and the shapes of
//! the URLs the emulator answers (collections, actions, operation URLs).
//!
//! ARM matches paths case-insensitively; names in answers keep the case the
//! client or the snapshot wrote. So a path is kept twice: as written
//! (percent-decoded) and in lower case for matching.

use crate::util::percent_decode;

/// One request path, percent-decoded, without a trailing `/`.
#[derive(Debug, Clone)]
pub(crate) struct ArmPath {
    /// Decoded, as the client wrote it, with a leading `/` and no trailing `/`.
    pub original: String,
    /// `erdiag_model::normalize_path` of `original`: the key of backend lookups.
    pub norm: String,
    /// Segments of `original`.
    pub segs: Vec<String>,
    /// The same segments in lower case.
    pub lower: Vec<String>,
}

impl ArmPath {
    pub(crate) fn parse(raw_path: &str) -> ArmPath {
        let decoded = percent_decode(raw_path);
        let trimmed = decoded.trim().trim_matches('/');
        let segs: Vec<String> = trimmed.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
        let original = format!("/{}", segs.join("/"));
        let lower = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
        let norm = erdiag_model::normalize_path(&original);
        ArmPath { original, norm, segs, lower }
    }

    /// The first `n` segments as a path, in the client's case.
    pub(crate) fn prefix(&self, n: usize) -> String {
        format!("/{}", self.segs[..n.min(self.segs.len())].join("/"))
    }

    fn shape(&self, pattern: &[&str]) -> bool {
        self.lower.len() == pattern.len() && pattern.iter().zip(&self.lower).all(|(p, s)| *p == "*" || p == s)
    }
}

/// The three list actions of a circuit peering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    Arp,
    Routes,
    Summary,
}

/// What a path names, by its shape. Matching is on lower-case segments;
/// the strings kept are in the client's case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/subscriptions`
    Subscriptions,
    /// `/tenants`
    Tenants,
    /// `/subscriptions/{s}`
    Subscription { sub: String },
    /// `/subscriptions/{s}/resourcegroups`
    ResourceGroups { sub: String },
    /// `/subscriptions/{s}/resourcegroups/{rg}`
    ResourceGroup { sub: String, rg: String },
    /// `/subscriptions/{s}[/resourcegroups/{rg}]/resources`
    GenericResources { sub: String, rg: Option<String> },
    /// `/subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.Network/expressRouteCircuits`
    Circuits { sub: String, rg: Option<String> },
    /// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/connections`
    Connections { sub: String, rg: String },
    /// `{circuitId}/peerings`
    Peerings { circuit: String },
    /// `{circuitId}/peerings/{name}`
    Peering { circuit: String, peering: String },
    /// `{gatewayId}/connections`
    GatewayConnections { gateway: String },
    /// `/subscriptions/{s}/providers/Microsoft.Network/expressRouteGateways`
    ExpressRouteGateways { sub: String },
    /// `{vWAN gatewayId}/expressRouteConnections`
    ExpressRouteConnections { gateway: String },
    /// `/subscriptions/{s}/providers/Microsoft.Network/locations/{loc}/operations/{id}`
    OperationStatus { id: String },
    /// `/subscriptions/{s}/providers/Microsoft.Network/locations/{loc}/operationResults/{id}`
    OperationResult { id: String },
    /// `{circuitId}/peerings/{p}/{arpTables|routeTables|routeTablesSummary}/{devicePath}`
    TableAction { circuit: String, peering: String, kind: TableKind, device_path: String },
    /// `{gatewayId}/getBgpPeerStatus` or `{gatewayId}/getLearnedRoutes`
    GatewayAction { gateway: String },
    /// `/providers/Microsoft.ResourceGraph/resources`: a Resource Graph query.
    Graph,
    /// `{resourceId}/providers/Microsoft.Insights/metrics` (Azure Monitor's `Metrics_List`).
    Metrics { resource: String },
    /// `{resourceId}/providers/Microsoft.Insights/metricDefinitions`.
    MetricDefinitions { resource: String },
    /// `{resourceId}/providers/Microsoft.ResourceHealth/availabilityStatuses`: the availability history.
    HealthHistory { resource: String },
    /// `/subscriptions/{id}/metrics:getBatch`: Azure Monitor's data-plane
    /// batch of metrics (POST, body `{"resourceids": [...]}`).
    MetricsBatch { sub: String },
    /// Anything else under `/subscriptions/…`: a resource, or nothing.
    Other,
}

impl Route {
    pub(crate) fn of(p: &ArmPath) -> Route {
        let s = |i: usize| p.segs[i].clone();
        if p.shape(&["subscriptions"]) {
            return Route::Subscriptions;
        }
        if p.shape(&["tenants"]) {
            return Route::Tenants;
        }
        if p.shape(&["providers", "microsoft.resourcegraph", "resources"]) {
            return Route::Graph;
        }
        if p.shape(&["subscriptions", "*"]) {
            return Route::Subscription { sub: s(1) };
        }
        if p.shape(&["subscriptions", "*", "metrics:getbatch"]) {
            return Route::MetricsBatch { sub: s(1) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups"]) {
            return Route::ResourceGroups { sub: s(1) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*"]) {
            return Route::ResourceGroup { sub: s(1), rg: s(3) };
        }
        if p.shape(&["subscriptions", "*", "resources"]) {
            return Route::GenericResources { sub: s(1), rg: None };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "resources"]) {
            return Route::GenericResources { sub: s(1), rg: Some(s(3)) };
        }
        if p.shape(&["subscriptions", "*", "providers", "microsoft.network", "expressroutecircuits"]) {
            return Route::Circuits { sub: s(1), rg: None };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "expressroutecircuits"]) {
            return Route::Circuits { sub: s(1), rg: Some(s(3)) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "connections"]) {
            return Route::Connections { sub: s(1), rg: s(3) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "expressroutecircuits", "*", "peerings"]) {
            return Route::Peerings { circuit: p.prefix(8) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "expressroutecircuits", "*", "peerings", "*"]) {
            return Route::Peering { circuit: p.prefix(8), peering: s(9) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "virtualnetworkgateways", "*", "connections"]) {
            return Route::GatewayConnections { gateway: p.prefix(8) };
        }
        if p.shape(&["subscriptions", "*", "providers", "microsoft.network", "expressroutegateways"]) {
            return Route::ExpressRouteGateways { sub: s(1) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "expressroutegateways", "*", "expressrouteconnections"]) {
            return Route::ExpressRouteConnections { gateway: p.prefix(8) };
        }
        if p.shape(&["subscriptions", "*", "providers", "microsoft.network", "locations", "*", "operations", "*"]) {
            return Route::OperationStatus { id: p.lower[7].clone() };
        }
        if p.shape(&["subscriptions", "*", "providers", "microsoft.network", "locations", "*", "operationresults", "*"]) {
            return Route::OperationResult { id: p.lower[7].clone() };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "expressroutecircuits", "*", "peerings", "*", "*", "*"]) {
            let kind = match p.lower[10].as_str() {
                "arptables" => Some(TableKind::Arp),
                "routetables" => Some(TableKind::Routes),
                "routetablessummary" => Some(TableKind::Summary),
                _ => None,
            };
            if let Some(kind) = kind {
                return Route::TableAction { circuit: p.prefix(8), peering: s(9), kind, device_path: s(11) };
            }
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "microsoft.network", "virtualnetworkgateways", "*", "*"])
            && matches!(p.lower[8].as_str(), "getbgppeerstatus" | "getlearnedroutes")
        {
            return Route::GatewayAction { gateway: p.prefix(8) };
        }
        if p.shape(&["subscriptions", "*", "resourcegroups", "*", "providers", "*", "*", "*", "providers", "*", "*"]) {
            let resource = p.prefix(8);
            match (p.lower[9].as_str(), p.lower[10].as_str()) {
                ("microsoft.insights", "metrics") => return Route::Metrics { resource },
                ("microsoft.insights", "metricdefinitions") => return Route::MetricDefinitions { resource },
                ("microsoft.resourcehealth", "availabilitystatuses") => return Route::HealthHistory { resource },
                _ => {}
            }
        }
        Route::Other
    }

    /// A POST-only long-running action.
    pub(crate) fn is_action(&self) -> bool {
        matches!(self, Route::TableAction { .. } | Route::GatewayAction { .. })
    }

    /// A poll of an operation.
    pub(crate) fn is_poll(&self) -> bool {
        matches!(self, Route::OperationStatus { .. } | Route::OperationResult { .. })
    }
}

pub(crate) use erdiag_model::ResourceId;

/// A resource id the emulator serves: a resource of a provider in a
/// resource group (`/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/…]`).
pub(crate) fn resource_id(id: &str) -> Option<ResourceId> {
    ResourceId::parse(id).ok().filter(|r| r.resource_group().is_some() && r.name().is_some())
}

/// The subscription of a path `/subscriptions/{s}/…`, as written (a path
/// need not be a whole id: `…/resourceGroups/{rg}/providers` is one too).
pub(crate) fn subscription_of(path: &str) -> Option<&str> {
    let p = path.trim().trim_start_matches('/');
    let rest = p.get(..14).filter(|k| k.eq_ignore_ascii_case("subscriptions/")).map(|_| &p[14..])?;
    Some(&rest[..rest.find('/').unwrap_or(rest.len())]).filter(|s| !s.is_empty())
}

/// The top-level resource a path is under (its first eight segments,
/// `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}`, as
/// written), when the path is in a resource group's provider.
pub(crate) fn top_level(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.trim().trim_matches('/').split('/').collect();
    let fits = segs.len() >= 8
        && segs[0].eq_ignore_ascii_case("subscriptions")
        && segs[2].eq_ignore_ascii_case("resourcegroups")
        && segs[4].eq_ignore_ascii_case("providers")
        && segs[..8].iter().all(|s| !s.is_empty());
    fits.then(|| format!("/{}", segs[..8].join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Network/expressRouteCircuits/ckt";

    #[test]
    fn classifies_the_urls_clients_use() {
        let r = |p: &str| Route::of(&ArmPath::parse(p));
        assert_eq!(r("/subscriptions"), Route::Subscriptions);
        assert_eq!(r("/providers/Microsoft.ResourceGraph/resources"), Route::Graph);
        assert_eq!(r("/subscriptions/S1/"), Route::Subscription { sub: "S1".into() });
        assert_eq!(r(&format!("{C}/peerings")), Route::Peerings { circuit: C.into() });
        assert_eq!(
            r(&format!("{C}/peerings/AzurePrivatePeering/ARPTABLES/primary")),
            Route::TableAction {
                circuit: C.into(),
                peering: "AzurePrivatePeering".into(),
                kind: TableKind::Arp,
                device_path: "primary".into()
            }
        );
        assert_eq!(r(&format!("{C}/peerings/AzurePrivatePeering/stats/x")), Route::Other);
        assert_eq!(
            r("/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Network/virtualNetworkGateways/gw/getLearnedRoutes"),
            Route::GatewayAction {
                gateway: "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Network/virtualNetworkGateways/gw".into()
            }
        );
        assert_eq!(
            r("/subscriptions/S1/providers/Microsoft.Network/locations/westeurope/operationResults/ABC"),
            Route::OperationResult { id: "abc".into() }
        );
        assert_eq!(r("/subscriptions/S1/metrics:getBatch"), Route::MetricsBatch { sub: "S1".into() });
        assert_eq!(r("/subscriptions/S1/resources"), Route::GenericResources { sub: "S1".into(), rg: None });
        assert_eq!(r(&format!("{C}/providers/microsoft.insights/METRICS")), Route::Metrics { resource: C.into() });
        assert_eq!(r(&format!("{C}/providers/Microsoft.Insights/metricDefinitions")), Route::MetricDefinitions { resource: C.into() });
        assert_eq!(r(&format!("{C}/providers/Microsoft.ResourceHealth/availabilityStatuses")), Route::HealthHistory { resource: C.into() });
        assert_eq!(r(&format!("{C}/providers/Microsoft.ResourceHealth/availabilityStatuses/current")), Route::Other);
    }

    #[test]
    fn paths_are_decoded_and_normalized() {
        let p = ArmPath::parse("/Subscriptions/S1/resourceGroups/rg%20x/");
        assert_eq!(p.original, "/Subscriptions/S1/resourceGroups/rg x");
        assert_eq!(p.norm, "/subscriptions/s1/resourcegroups/rg x");
        assert_eq!(ArmPath::parse("/").original, "/");
    }

    #[test]
    fn resource_ids_split() {
        let id = resource_id(&format!("{C}/peerings/p")).unwrap();
        assert!(id.is_type("Microsoft.Network/expressRouteCircuits"));
        assert!(!id.is_top_level());
        assert_eq!(id.provider_path().unwrap(), "Microsoft.Network/expressRouteCircuits/ckt/peerings/p");
        assert!(resource_id(C).unwrap().is_top_level());
        assert!(resource_id("/subscriptions/s").is_none());
        assert_eq!(subscription_of(C), Some("S1"));
        assert_eq!(subscription_of("/subscriptions/S1/resourceGroups/rg/providers"), Some("S1"));
        assert_eq!(subscription_of("/subscriptions/"), None);
        assert_eq!(subscription_of("/tenants/x"), None);
        assert_eq!(top_level(&format!("{C}/peerings/p/arpTables/primary")).as_deref(), Some(C));
        assert_eq!(top_level(C).as_deref(), Some(C));
        assert_eq!(top_level("/subscriptions/S1/resourceGroups/RG"), None);
    }
}
