//! ARM resource ids, parsed once: `/subscriptions/{s}/resourceGroups/{g}/
//! providers/{namespace}/{type}/{name}[/{childType}/{childName}…]`.
//!
//! ARM compares ids case-insensitively, so [`ResourceId`] does too; it keeps
//! the id as written for display.

use std::fmt;
use std::hash::{Hash, Hasher};

/// A parsed ARM id. Only `/subscriptions/{s}` is required: a subscription,
/// a resource group and a provider's resources are all ids.
#[derive(Debug, Clone)]
pub struct ResourceId {
    /// As written, with one leading `/` and no trailing one.
    text: String,
    subscription: String,
    resource_group: Option<String>,
    /// The namespace after `providers/` (`Microsoft.Network`).
    provider: Option<String>,
    /// The segments after the namespace: type, name, child type, child name…
    /// (an odd last one is an action, such as `getBgpPeerStatus`).
    rest: Vec<String>,
}

/// A string that is not an ARM id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an ARM resource id (/subscriptions/…/resourceGroups/…/providers/…)")]
pub struct InvalidResourceId(pub String);

impl ResourceId {
    pub fn parse(id: &str) -> Result<ResourceId, InvalidResourceId> {
        let invalid = || InvalidResourceId(id.to_string());
        let segs: Vec<&str> = id.trim().trim_matches('/').split('/').collect();
        if segs.iter().any(|s| s.is_empty()) {
            return Err(invalid());
        }
        let mut it = segs.iter().copied().peekable();
        let subscription = match (it.next(), it.next()) {
            (Some(k), Some(s)) if k.eq_ignore_ascii_case("subscriptions") => s.to_string(),
            _ => return Err(invalid()),
        };
        let mut resource_group = None;
        if it.peek().is_some_and(|k| k.eq_ignore_ascii_case("resourceGroups")) {
            it.next();
            resource_group = Some(it.next().ok_or_else(invalid)?.to_string());
        }
        let mut provider = None;
        if it.peek().is_some_and(|k| k.eq_ignore_ascii_case("providers")) {
            it.next();
            provider = Some(it.next().ok_or_else(invalid)?.to_string());
        }
        let rest: Vec<String> = it.map(str::to_string).collect();
        if provider.is_none() && !rest.is_empty() && resource_group.is_some() {
            return Err(invalid());
        }
        Ok(ResourceId { text: format!("/{}", segs.join("/")), subscription, resource_group, provider, rest })
    }

    /// `/subscriptions/{s}/resourceGroups/{g}/providers/{provider}/{type}/{name}`.
    pub fn resource(subscription: &str, resource_group: &str, provider_type: &str, name: &str) -> ResourceId {
        let text = format!("/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{provider_type}/{name}");
        ResourceId::parse(&text).unwrap_or_else(|e| panic!("{e}: built from its parts"))
    }

    pub fn subscription(&self) -> &str {
        &self.subscription
    }
    pub fn resource_group(&self) -> Option<&str> {
        self.resource_group.as_deref()
    }
    /// The namespace (`Microsoft.Network`).
    pub fn provider(&self) -> Option<&str> {
        self.provider.as_deref()
    }
    /// The top-level resource's type without its namespace (`expressRouteCircuits`).
    pub fn resource_type(&self) -> Option<&str> {
        self.provider.as_ref().and(self.rest.first().map(String::as_str))
    }
    /// The top-level resource's name.
    pub fn name(&self) -> Option<&str> {
        self.provider.as_ref().and(self.rest.get(1).map(String::as_str))
    }
    /// Subscription, resource group and name of a resource in a resource
    /// group: what `--subscription`, `-g` and `-n` take.
    pub fn resource_parts(&self) -> Option<(&str, &str, &str)> {
        Some((self.subscription(), self.resource_group()?, self.name()?))
    }
    /// Child resources below the top-level one, as (type, name) pairs.
    pub fn children(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rest.get(2..).unwrap_or_default().chunks_exact(2).map(|p| (p[0].as_str(), p[1].as_str()))
    }
    /// The last segment: the name of the innermost resource (or an action).
    pub fn last(&self) -> &str {
        last_segment(&self.text)
    }
    /// Whether the id names a top-level resource: no child, no action.
    pub fn is_top_level(&self) -> bool {
        self.provider.is_some() && self.rest.len() == 2
    }
    /// The top-level resource's `Namespace/type` (`Microsoft.Network/expressRouteCircuits`).
    pub fn provider_type(&self) -> Option<String> {
        Some(format!("{}/{}", self.provider()?, self.resource_type()?))
    }
    /// Whether the top-level resource is of this `Namespace/type`, in any case.
    pub fn is_type(&self, provider_type: &str) -> bool {
        self.provider_type().is_some_and(|t| t.eq_ignore_ascii_case(provider_type))
    }
    /// Everything after `providers/`, as written
    /// (`Microsoft.Network/expressRouteCircuits/c/peerings/p`).
    pub fn provider_path(&self) -> Option<String> {
        let p = self.provider.as_ref()?;
        Some(std::iter::once(p).chain(&self.rest).map(String::as_str).collect::<Vec<_>>().join("/"))
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The last segment of an id or ARM path, as written (a resource's name),
/// for labels and names where the id need not be parsed whole.
pub fn last_segment(id: &str) -> &str {
    let id = id.trim().trim_end_matches('/');
    id.rfind('/').map_or(id, |i| &id[i + 1..])
}

impl std::str::FromStr for ResourceId {
    type Err = InvalidResourceId;
    fn from_str(s: &str) -> Result<ResourceId, InvalidResourceId> {
        ResourceId::parse(s)
    }
}

impl PartialEq for ResourceId {
    fn eq(&self, other: &ResourceId) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }
}

impl Eq for ResourceId {}

impl Hash for ResourceId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.to_ascii_lowercase().hash(state)
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Network/expressRouteCircuits/ckt";

    #[test]
    fn parts_of_a_circuit_and_its_children() {
        let id = ResourceId::parse(C).unwrap();
        assert_eq!((id.subscription(), id.resource_group(), id.provider()), ("S1", Some("RG"), Some("Microsoft.Network")));
        assert_eq!((id.resource_type(), id.name()), (Some("expressRouteCircuits"), Some("ckt")));
        assert!(id.is_top_level() && id.is_type("microsoft.network/EXPRESSROUTECIRCUITS"));
        assert_eq!(id.resource_parts(), Some(("S1", "RG", "ckt")));
        assert_eq!(id.to_string(), C);
        let child = ResourceId::parse(&format!("{C}/peerings/AzurePrivatePeering/")).unwrap();
        assert!(!child.is_top_level());
        assert_eq!(child.children().collect::<Vec<_>>(), [("peerings", "AzurePrivatePeering")]);
        assert_eq!(child.last(), "AzurePrivatePeering");
        assert_eq!((last_segment("/a/b/"), last_segment("b"), last_segment("")), ("b", "b", ""));
        assert_eq!(child.provider_path().unwrap(), "Microsoft.Network/expressRouteCircuits/ckt/peerings/AzurePrivatePeering");
    }

    #[test]
    fn ids_compare_in_any_case() {
        let a = ResourceId::parse(C).unwrap();
        let b = ResourceId::parse(&C.to_ascii_uppercase()).unwrap();
        assert_eq!(a, b);
        let hash = |x: &ResourceId| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            x.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_eq!(b.subscription(), "S1");
    }

    #[test]
    fn subscriptions_and_groups_are_ids_too_but_not_everything_is() {
        let s = ResourceId::parse("/subscriptions/s").unwrap();
        assert_eq!((s.subscription(), s.resource_group(), s.name()), ("s", None, None));
        assert_eq!(ResourceId::parse("/subscriptions/s/resourceGroups/g").unwrap().resource_group(), Some("g"));
        for bad in ["", "/", "/tenants/x", "/subscriptions", "/subscriptions/s/resourceGroups", "/subscriptions//x", "/subscriptions/s/resourceGroups/g/x", "/subscriptions/s/resourceGroups/g/providers"] {
            assert!(ResourceId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ResourceId::resource("s", "g", "Microsoft.Network/connections", "c").to_string(), "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/connections/c");
    }
}
