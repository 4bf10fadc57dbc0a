//! Where the emulator's data comes from. The HTTP side (routing, tokens,
//! long-running operations, faults) only asks a [`Backend`] what is at a
//! path; [`crate::SnapshotBackend`] answers from `erdiag-snapshot/1` files,
//! and a later "live lab" backend can answer from state read off real routers.
//!
//! A backend needs two methods: [`Backend::get`] (one body or a recorded
//! failure) and [`Backend::resource_ids`] (what exists, for collections).
//! The collections ARM has are derived from those two by default
//! ([`Backend::list`]); a backend may answer them itself.

use crate::path::{resource_id, subscription_of};
use crate::timeline::Timeline;
use erdiag_model::normalize_path;
use erdiag_model::time::Unix;
use serde_json::{Map, Value};
use std::sync::Arc;

/// What a backend holds at one ARM path.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// The response body (for a list action, `{"value": [...]}`).
    Found(Value),
    /// The call fails with this HTTP status and ARM error body
    /// (`{"error": {"code": …, "message": …}}`).
    Failed { status: u16, error: Value },
    /// Nothing there: the emulator answers 404 (or, for a peering table, the
    /// 400 ARM gives for a peering that does not exist).
    NotFound,
}

/// A collection ARM can list, with the scope it is listed in. Names are as
/// the client wrote them; compare them case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Collection {
    /// `…/providers/Microsoft.Network/expressRouteCircuits` of a subscription or resource group.
    Circuits { subscription: String, resource_group: Option<String> },
    /// `…/resourceGroups/{rg}/providers/Microsoft.Network/connections`.
    Connections { subscription: String, resource_group: String },
    /// `{circuitId}/peerings`: embedded peerings of the circuit body, replaced
    /// or completed by stand-alone peering resources.
    Peerings { circuit: String },
    /// `{gatewayId}/connections`: the connections whose `virtualNetworkGateway1`
    /// (or `virtualNetworkGateway2`) is the gateway.
    GatewayConnections { gateway: String },
    /// `/subscriptions/{s}/providers/Microsoft.Network/expressRouteGateways`:
    /// the Virtual WAN ExpressRoute gateways of a subscription.
    ExpressRouteGateways { subscription: String },
    /// `{gatewayId}/expressRouteConnections`: the connections embedded in
    /// the vWAN gateway's body.
    ExpressRouteConnections { gateway: String },
    /// Every top-level resource of a subscription or resource group (the
    /// generic `…/resources` list; the emulator projects and filters it),
    /// of one type when `resource_type` names it (the `$filter`'s
    /// `resourceType eq '…'`, applied before any body is read).
    Resources { subscription: String, resource_group: Option<String>, resource_type: Option<String> },
}

/// The source of the resources the emulator serves.
///
/// Paths given to [`Backend::get`] are normalized with
/// [`erdiag_model::normalize_path`] (lower case, no query, no trailing `/`).
pub trait Backend: Send + Sync + 'static {
    /// The body or the recorded failure at `path`. For the POST list actions
    /// (`…/arpTables/primary`, `…/getBgpPeerStatus`) this is the operation's
    /// final result.
    fn get(&self, path: &str) -> Lookup;

    /// The ids (as written, original case) of every resource this backend
    /// holds, top-level or not. Collections and the subscription list are
    /// derived from them.
    fn resource_ids(&self) -> Vec<String>;

    /// The items of a collection: `Found` with a JSON array of resource
    /// bodies (each with its `id`), `Failed` or `NotFound` when the parent
    /// resource (circuit, gateway) is failed or missing.
    fn list(&self, collection: &Collection) -> Lookup {
        derive_list(self, collection)
    }

    /// The subscriptions and resource groups that exist. By default derived
    /// from `resource_ids` and the top-level bodies at every call; a backend
    /// whose resources do not change may answer from an index.
    fn scopes(&self) -> Arc<Scopes> {
        Arc::new(derive_scopes(self))
    }

    /// The body at `path` as it stood at `t` (Azure Monitor's series read
    /// past states). A backend whose state does not move with time answers
    /// [`Backend::get`].
    fn get_at(&self, path: &str, t: Unix) -> Lookup {
        let _ = t;
        self.get(path)
    }

    /// An instant whose state of `path` [`Backend::get_at`] answers for `t`
    /// too: equal for two instants means the same state. A backend whose
    /// state does not move with time answers one instant for all.
    fn moment(&self, path: &str, t: Unix) -> Unix {
        let _ = (path, t);
        0
    }

    /// Now, as this backend's clock reads it (the machine's time by default).
    fn now(&self) -> Unix {
        crate::timeline::Clock::system().now()
    }

    /// The events that move this backend's state, when it has them: the
    /// Resource Health history and the metrics that no ARM state shows
    /// (traffic, CPU, gaps) come from them.
    fn timeline(&self) -> Option<&Timeline> {
        None
    }
}

/// The subscriptions and resource groups of a backend's resources, in the
/// order their first resource comes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// Subscription ids as written.
    pub subs: Vec<String>,
    pub groups: Vec<Group>,
}

/// A resource group: its subscription, name, and the location of its first
/// top-level resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub sub: String,
    pub name: String,
    pub location: Option<String>,
}

impl Scopes {
    /// The subscription, as written, when it exists.
    pub fn sub(&self, sub: &str) -> Option<&String> {
        self.subs.iter().find(|s| s.eq_ignore_ascii_case(sub))
    }

    pub fn group(&self, sub: &str, rg: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.sub.eq_ignore_ascii_case(sub) && g.name.eq_ignore_ascii_case(rg))
    }

    /// The location of the subscription's first resource group that has one.
    pub fn home(&self, sub: &str) -> Option<&str> {
        self.groups.iter().filter(|g| g.sub.eq_ignore_ascii_case(sub)).find_map(|g| g.location.as_deref())
    }
}

/// The default [`Backend::scopes`].
pub fn derive_scopes<B: Backend + ?Sized>(backend: &B) -> Scopes {
    let mut known = Scopes::default();
    for id in backend.resource_ids() {
        known.add(&id, || match backend.get(&normalize_path(&id)) {
            Lookup::Found(body) => body.get("location").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
    }
    known
}

impl Scopes {
    /// Adds a resource's subscription and group; `location` is asked only of top-level resources.
    pub(crate) fn add(&mut self, id: &str, location: impl FnOnce() -> Option<String>) {
        if let Some(sub) = subscription_of(id) {
            if self.sub(sub).is_none() {
                self.subs.push(sub.to_string());
            }
        }
        let Some(r) = resource_id(id) else { return };
        let (sub, rg) = (r.subscription(), r.resource_group().unwrap_or_default());
        let location = if r.is_top_level() { location() } else { None };
        match self.groups.iter_mut().find(|g| g.sub.eq_ignore_ascii_case(sub) && g.name.eq_ignore_ascii_case(rg)) {
            Some(g) => {
                if g.location.is_none() {
                    g.location = location;
                }
            }
            None => self.groups.push(Group { sub: sub.to_string(), name: rg.to_string(), location }),
        }
    }
}

/// The default [`Backend::list`]: built from `resource_ids` and `get`.
pub fn derive_list<B: Backend + ?Sized>(backend: &B, collection: &Collection) -> Lookup {
    derive_list_among(backend, &backend.resource_ids(), collection)
}

/// [`derive_list`] among these ids only: every id the collection could hold
/// must be there (a backend with an index passes the ids of one subscription,
/// or those under one circuit).
pub fn derive_list_among<B: Backend + ?Sized>(backend: &B, ids: &[String], collection: &Collection) -> Lookup {
    let found = |id: &str| match backend.get(&normalize_path(id)) {
        Lookup::Found(body) => Some(with_id(body, id)),
        _ => None,
    };
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let top = || ids.iter().filter_map(|id| resource_id(id).filter(|r| r.is_top_level()).map(|r| (id, r)));
    match collection {
        Collection::Circuits { subscription, resource_group } => Lookup::Found(Value::Array(
            top()
                .filter(|(_, r)| {
                    eq(r.subscription(), subscription)
                        && resource_group.as_deref().is_none_or(|g| r.resource_group().is_some_and(|rg| eq(rg, g)))
                        && r.is_type("Microsoft.Network/expressRouteCircuits")
                })
                .filter_map(|(id, _)| found(id))
                .collect(),
        )),
        Collection::Connections { subscription, resource_group } => Lookup::Found(Value::Array(
            top()
                .filter(|(_, r)| eq(r.subscription(), subscription) && r.resource_group().is_some_and(|rg| eq(rg, resource_group)) && r.is_type("Microsoft.Network/connections"))
                .filter_map(|(id, _)| found(id))
                .collect(),
        )),
        Collection::Resources { subscription, resource_group, resource_type } => Lookup::Found(Value::Array(
            top()
                .filter(|(_, r)| {
                    eq(r.subscription(), subscription)
                        && resource_group.as_deref().is_none_or(|g| r.resource_group().is_some_and(|rg| eq(rg, g)))
                        && resource_type.as_deref().is_none_or(|t| r.is_type(t))
                })
                .filter_map(|(id, _)| found(id))
                .collect(),
        )),
        Collection::ExpressRouteGateways { subscription } => Lookup::Found(Value::Array(
            top()
                .filter(|(_, r)| eq(r.subscription(), subscription) && r.is_type("Microsoft.Network/expressRouteGateways"))
                .filter_map(|(id, _)| found(id))
                .collect(),
        )),
        Collection::ExpressRouteConnections { gateway } => match backend.get(&normalize_path(gateway)) {
            Lookup::Found(body) => Lookup::Found(body.pointer("/properties/expressRouteConnections").cloned().unwrap_or_else(|| Value::Array(Vec::new()))),
            other => other,
        },
        Collection::GatewayConnections { gateway } => {
            let gw = normalize_path(gateway);
            match backend.get(&gw) {
                Lookup::Found(_) => {}
                other => return other,
            }
            let refers = |body: &Value, field: &str| {
                body.pointer(&format!("/properties/{field}/id")).and_then(Value::as_str).map(normalize_path).as_deref() == Some(gw.as_str())
            };
            Lookup::Found(Value::Array(
                top()
                    .filter(|(_, r)| r.is_type("Microsoft.Network/connections"))
                    .filter_map(|(id, _)| found(id))
                    .filter(|body| refers(body, "virtualNetworkGateway1") || refers(body, "virtualNetworkGateway2"))
                    .collect(),
            ))
        }
        Collection::Peerings { circuit } => {
            let circuit_norm = normalize_path(circuit);
            let body = match backend.get(&circuit_norm) {
                Lookup::Found(body) => body,
                other => return other,
            };
            let mut peerings: Vec<Value> =
                body.pointer("/properties/peerings").and_then(Value::as_array).cloned().unwrap_or_default();
            let prefix = format!("{circuit_norm}/peerings/");
            for id in ids {
                let norm = normalize_path(id);
                let Some(name) = norm.strip_prefix(&prefix) else { continue };
                if name.is_empty() || name.contains('/') {
                    continue;
                }
                let Some(standalone) = found(id) else { continue };
                let written_name = erdiag_model::last_segment(id).to_string();
                let standalone_name =
                    standalone.get("name").and_then(Value::as_str).map(str::to_string).unwrap_or(written_name);
                match peerings.iter_mut().find(|p| peering_name(p).is_some_and(|n| eq(&n, &standalone_name))) {
                    Some(slot) => *slot = standalone,
                    None => peerings.push(standalone),
                }
            }
            Lookup::Found(Value::Array(peerings))
        }
    }
}

/// A peering's name: `name`, else `properties.peeringType` (as erdiag reads embedded peerings).
pub(crate) fn peering_name(p: &Value) -> Option<String> {
    p.get("name")
        .and_then(Value::as_str)
        .or_else(|| p.pointer("/properties/peeringType").and_then(Value::as_str))
        .map(str::to_string)
}

/// The body with an `id` when it has none (ARM list items always carry one).
fn with_id(body: Value, id: &str) -> Value {
    match body {
        Value::Object(mut map) if !map.contains_key("id") => {
            let mut out = Map::with_capacity(map.len() + 1);
            out.insert("id".into(), Value::String(id.to_string()));
            out.append(&mut map);
            Value::Object(out)
        }
        other => other,
    }
}
