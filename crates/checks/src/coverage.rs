//! What the diagnosis rests on: how many of the checks that apply were
//! verified on evidence actually read, and for each one that was not, why and
//! what would complete it — the exact permission (the RBAC operation and a
//! built-in role that grants it) or the input to supply.
//!
//! A check *applies* when it reported something other than `skip`; it is
//! *verified* when none of its findings is `unknown`. Checks whose findings
//! are all `skip` wait for evidence only the user has (`notSupplied`). A
//! check about a feature the circuit does not use (`Finding::not_used`) does
//! not apply and is listed nowhere. A
//! check the user accepted as unverified (`--accept-unverified`) is listed
//! under `accepted` and no longer keeps the verdict from `healthy`.

use crate::layer::Layer;
use crate::finding::{Finding, Status};
use crate::registry;
use erdiag_model::{normalize_path, CircuitState, Failure};
use serde::Serialize;

/// The `coverage` object of `erdiag-report/1`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// One line for people: `verified 27 of 31 checks; not verified: …`.
    pub summary: String,
    pub verified: usize,
    pub applicable: usize,
    pub not_verified: Vec<Gap>,
    pub not_supplied: Vec<Gap>,
    pub accepted: Vec<Gap>,
}

/// A check that applies but was not verified, or that awaits an input.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Gap {
    pub id: &'static str,
    pub title: &'static str,
    /// Why: the check's own words (its first `unknown` or `skip` finding).
    pub reason: String,
    /// What would complete it: a permission, collecting again, an input.
    pub fix: String,
}

impl Coverage {
    /// Whether some check that applies was neither verified nor accepted.
    pub fn is_complete(&self) -> bool {
        self.not_verified.is_empty()
    }

    /// Counts, per check in registry order, what its findings rest on.
    pub fn of(state: &CircuitState, findings: &[Finding], accepted: &[String]) -> Coverage {
        let mut cov = Coverage::default();
        for check in registry::ALL {
            let mine: Vec<&Finding> = findings.iter().filter(|f| f.check == check.id).collect();
            if mine.is_empty() || mine.iter().all(|f| f.not_used) {
                continue;
            }
            if mine.iter().all(|f| f.status == Status::Skip) {
                let reason = mine[0].message.clone();
                cov.not_supplied.push(Gap { id: check.id, title: check.name, fix: reason.clone(), reason });
                continue;
            }
            cov.applicable += 1;
            let unknown: Vec<&&Finding> = mine.iter().filter(|f| f.status == Status::Unknown).collect();
            let Some(first) = unknown.first() else {
                cov.verified += 1;
                continue;
            };
            let mut reason = first.message.trim_end_matches('.').to_string();
            if unknown.len() > 1 {
                reason.push_str(&format!(" (and {} more)", unknown.len() - 1));
            }
            let mut fixes: Vec<String> = Vec::new();
            for f in &unknown {
                let fix = fix_for(state, f);
                if !fixes.contains(&fix) {
                    fixes.push(fix);
                }
            }
            let gap = Gap { id: check.id, title: check.name, reason, fix: fixes.join("; ") };
            if accepted.iter().any(|a| a.eq_ignore_ascii_case(check.id)) {
                cov.accepted.push(gap);
            } else {
                cov.not_verified.push(gap);
            }
        }
        cov.summary = cov.line();
        cov
    }

    fn line(&self) -> String {
        let mut s = format!("verified {} of {} checks", self.verified, self.applicable);
        let list = |gaps: &[Gap], long: bool| {
            gaps.iter()
                .map(|g| if long { format!("{} {} ({})", g.id, g.title, g.fix) } else { format!("{} {}", g.id, g.title) })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.not_verified.is_empty() {
            s.push_str(&format!("; not verified: {}", list(&self.not_verified, true)));
        }
        if !self.accepted.is_empty() {
            s.push_str(&format!("; accepted unverified: {}", list(&self.accepted, false)));
        }
        if !self.not_supplied.is_empty() {
            s.push_str(&format!("; not supplied: {}", list(&self.not_supplied, false)));
        }
        s
    }
}

/// What would let one `unknown` finding conclude. The failed call it quotes
/// (checks quote a failure as `… could not be read: HTTP 403 …`) gives the
/// permission or the retry; otherwise the data was not collected, or ARM's
/// answer lacked what the check reads.
fn fix_for<'a>(state: &'a CircuitState, f: &Finding) -> String {
    let text = std::iter::once(&f.message).chain(f.evidence.iter()).map(String::as_str).collect::<Vec<_>>().join("\n");
    // Several calls can fail with the same words (HTTP 500 "An error
    // occurred."): prefer the one on the finding's own peering and path.
    let scope = [f.peering.as_deref().map(str::to_ascii_lowercase), f.path.map(|p| p.as_str().to_string())];
    let best = |candidates: Vec<&'a (String, Failure)>| -> Option<&'a (String, Failure)> {
        let mut best: Option<(usize, &(String, Failure))> = None;
        for c in candidates {
            let n = normalize_path(&c.0);
            let score = scope.iter().flatten().filter(|s| n.contains(&format!("/{s}"))).count();
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, c));
            }
        }
        best.map(|(_, c)| c)
    };
    // A check of the metrics window reads only Azure Monitor and Resource
    // Health: another call failing with the same words is not its gap.
    let calls = if f.past { &["/providers/microsoft.insights/metrics", "/providers/microsoft.resourcehealth/availabilitystatuses"][..] } else { layer_calls(f.layer) };
    let its_own = |p: &str| !f.past || calls.iter().any(|c| normalize_path(p).contains(c));
    let quoted = state.failures.iter().filter(|(p, fail)| its_own(p) && text.contains(&fail.to_string())).collect();
    if let Some((path, failure)) = best(quoted) {
        return fix_for_failure(path, failure);
    }
    // A check that words the gap its own way: the failed calls of its layer
    // (of Azure Monitor and Resource Health, for a check of the metrics window).
    let of_layer = state.failures.iter().filter(|(p, _)| calls.iter().any(|c| normalize_path(p).contains(c))).collect();
    if let Some((path, failure)) = best(of_layer) {
        return fix_for_failure(path, failure);
    }
    // A field the input did not carry: the finding names the fuller output.
    if let Some(fix) = f.remediation.as_ref().filter(|_| text.contains(crate::facts::NOT_IN_INPUT)) {
        return fix.trim_end_matches('.').to_string();
    }
    if text.contains("was not collected") {
        return String::from("collect again (`erdiag collect`): the snapshot does not hold this data");
    }
    if state.failures.is_empty() {
        String::from("nothing failed to collect, but what was read does not let this check conclude (its finding says what is missing)")
    } else {
        String::from("what was read does not let this check conclude (its finding says what is missing); it may depend on a call that failed: collect again once those are read")
    }
}

/// What the calls a layer reads have in their paths.
fn layer_calls(layer: Layer) -> &'static [&'static str] {
    match layer {
        Layer::Peering => &["/peerings/"],
        Layer::Arp => &["/arptables/"],
        Layer::Bgp => &["/routetablessummary/"],
        Layer::Routes => &["/routetables/"],
        Layer::Traffic => &["/stats"],
        Layer::Gateway => &["/virtualnetworkgateways/", "/connections", "/resources"],
        Layer::Circuit | Layer::ConnectivityTest | Layer::CustomerEdge | Layer::Resiliency => &[],
    }
}

/// The fix for one failed call.
pub fn fix_for_failure(path: &str, failure: &Failure) -> String {
    let forbidden = failure.status == Some(403)
        || failure.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("AuthorizationFailed") || c.eq_ignore_ascii_case("LinkedAuthorizationFailed"));
    if forbidden {
        // ARM names the action and scope it refused; else derive them from the call.
        let action = quoted_after(&failure.message, "perform action '").unwrap_or_else(|| operation(path));
        let scope = quoted_after(&failure.message, "over scope '").unwrap_or_else(|| scope_of(path));
        return format!("needs {action} on {scope}; the {} role there grants it", role_for(&action));
    }
    match failure.status {
        Some(401) => String::from("sign in again (`az login`) or renew the token, then collect again"),
        Some(404) => format!("ARM found nothing at {path}: check that the resource exists, then collect again"),
        Some(s) if s == 429 || s >= 500 => format!("collect again: HTTP {s} from ARM is usually transient ({})", operation(path)),
        _ => format!("collect again; if {} keeps failing, quote the error to Microsoft support", operation(path)),
    }
}

/// The text between `marker` and the next `'`.
fn quoted_after(message: &str, marker: &str) -> Option<String> {
    let i = message.find(marker)? + marker.len();
    let rest = &message[i..];
    Some(rest[..rest.find('\'')?].to_string())
}

/// The built-in role that grants an operation: Reader grants `*/read`; the
/// read-only list actions (`…/arpTables/action`, `…/getBgpPeerStatus/action`)
/// are actions, which Network Contributor grants (`Microsoft.Network/*`).
fn role_for(action: &str) -> &'static str {
    if action.to_ascii_lowercase().ends_with("/read") {
        "Reader"
    } else {
        "Network Contributor"
    }
}

/// The resource a call reads (its scope for RBAC): the path without the
/// action or sub-collection erdiag asked for.
fn scope_of(path: &str) -> String {
    let p = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    let lower = p.to_ascii_lowercase();
    for tail in ["/arptables/", "/routetablessummary/", "/routetables/"] {
        if let Some(i) = lower.find(tail) {
            return p[..i].to_string();
        }
    }
    let tails = [
        "/getbgppeerstatus",
        "/getlearnedroutes",
        "/stats",
        "/providers/microsoft.resourcehealth/availabilitystatuses/current",
        "/providers/microsoft.network/connections",
        "/resources",
    ];
    match tails.iter().find(|t| lower.ends_with(*t)) {
        Some(tail) => p[..p.len() - tail.len()].to_string(),
        None => p.to_string(),
    }
}

/// The RBAC operation of a call erdiag makes, from its ARM path.
pub fn operation(path: &str) -> String {
    let lower = normalize_path(path);
    let circuit = "Microsoft.Network/expressRouteCircuits";
    let gateway = "Microsoft.Network/virtualNetworkGateways";
    let peering = lower.contains("/peerings/");
    let rules: [(bool, String); 15] = [
        (lower.ends_with("/providers/microsoft.insights/metrics"), String::from("Microsoft.Insights/metrics/read")),
        (lower.ends_with("/availabilitystatuses"), String::from("Microsoft.ResourceHealth/availabilityStatuses/read")),
        (lower.ends_with("/providers/microsoft.resourcegraph/resourcechanges"), String::from("Microsoft.ResourceGraph/resources/read")),
        (lower.contains("/arptables/"), format!("{circuit}/peerings/arpTables/action")),
        (lower.contains("/routetablessummary/"), format!("{circuit}/peerings/routeTablesSummary/action")),
        (lower.contains("/routetables/"), format!("{circuit}/peerings/routeTables/action")),
        (lower.ends_with("/getbgppeerstatus"), format!("{gateway}/getBgpPeerStatus/action")),
        (lower.ends_with("/getlearnedroutes"), format!("{gateway}/getLearnedRoutes/action")),
        (lower.contains("/availabilitystatuses/"), String::from("Microsoft.ResourceHealth/availabilityStatuses/read")),
        (lower.ends_with("/stats") && peering, format!("{circuit}/peerings/stats/read")),
        (lower.ends_with("/stats"), format!("{circuit}/stats/read")),
        (peering, format!("{circuit}/peerings/read")),
        (lower.contains("/virtualnetworkgateways/"), format!("{gateway}/read")),
        (lower.contains("/connections"), String::from("Microsoft.Network/connections/read")),
        (lower.ends_with("/resources"), String::from("Microsoft.Resources/subscriptions/resources/read")),
    ];
    rules.into_iter().find(|(hit, _)| *hit).map(|(_, op)| op).unwrap_or_else(|| format!("{circuit}/read"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GW: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw";
    const CKT: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/ckt";

    fn failure(status: u16, code: &str, message: &str) -> Failure {
        Failure { status: Some(status), code: Some(code.into()), message: message.into() }
    }

    #[test]
    fn a_403_names_the_refused_action_its_scope_and_a_role() {
        let arm = failure(403, "AuthorizationFailed", &format!("The client 'c' with object id 'o' does not have authorization to perform action 'Microsoft.Network/virtualNetworkGateways/read' over scope '{GW}' or the scope is invalid."));
        assert_eq!(fix_for_failure(GW, &arm), format!("needs Microsoft.Network/virtualNetworkGateways/read on {GW}; the Reader role there grants it"));
        let bare = failure(403, "AuthorizationFailed", "Forbidden.");
        assert_eq!(
            fix_for_failure(&format!("{GW}/getBgpPeerStatus"), &bare),
            format!("needs Microsoft.Network/virtualNetworkGateways/getBgpPeerStatus/action on {GW}; the Network Contributor role there grants it")
        );
        let arp = fix_for_failure(&format!("{CKT}/peerings/AzurePrivatePeering/arpTables/primary"), &bare);
        assert!(arp.contains(&format!("expressRouteCircuits/peerings/arpTables/action on {CKT}/peerings/AzurePrivatePeering;")), "{arp}");
    }

    #[test]
    fn operations_of_every_call() {
        assert_eq!(operation(&format!("{CKT}/peerings/P/stats")), "Microsoft.Network/expressRouteCircuits/peerings/stats/read");
        assert_eq!(operation(&format!("{CKT}/stats")), "Microsoft.Network/expressRouteCircuits/stats/read");
        assert_eq!(operation(&format!("{CKT}/peerings/P/routeTablesSummary/primary")), "Microsoft.Network/expressRouteCircuits/peerings/routeTablesSummary/action");
        assert_eq!(operation(&format!("{GW}/providers/Microsoft.ResourceHealth/availabilityStatuses/current")), "Microsoft.ResourceHealth/availabilityStatuses/read");
        assert_eq!(operation("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections"), "Microsoft.Network/connections/read");
        assert_eq!(operation("/subscriptions/s/resources"), "Microsoft.Resources/subscriptions/resources/read");
        assert_eq!(operation(&format!("{GW}/providers/Microsoft.Insights/metrics")), "Microsoft.Insights/metrics/read");
        assert_eq!(operation(&format!("{CKT}/providers/Microsoft.ResourceHealth/availabilityStatuses")), "Microsoft.ResourceHealth/availabilityStatuses/read");
        assert_eq!(scope_of("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections"), "/subscriptions/s/resourceGroups/rg");
        assert_eq!(scope_of("/subscriptions/s/resources"), "/subscriptions/s");
    }

    #[test]
    fn transient_failures_say_collect_again() {
        let f = failure(500, "InternalServerError", "An error occurred.");
        assert!(fix_for_failure(&format!("{CKT}/stats"), &f).starts_with("collect again: HTTP 500"));
    }
}
