//! The fleet as the checks across circuits see it: the circuits in id
//! order, grouped by the virtual network gateway they are connected to, and
//! the loops that name each finding's gateway and circuits. Kept apart from
//! `mod.rs` so that `check.rs` can name [`Fleet`] without importing the
//! registry that lists the checks.

use super::facts::{CircuitFacts, Fact, GatewayBody, GatewayLink, PortFacts};
use crate::Finding;
use std::collections::BTreeMap;

/// What every check across circuits sees.
pub struct Fleet<'a> {
    /// The circuits, in ARM id order.
    pub circuits: Vec<&'a CircuitFacts>,
    pub ports: &'a [PortFacts],
    /// The circuits of each virtual network gateway, in gateway id order.
    pub groups: Vec<Group<'a>>,
}

/// A virtual network gateway and the circuits of the fleet connected to it.
pub struct Group<'a> {
    /// The gateway's ARM id, as the first connection read spells it.
    pub id: &'a str,
    /// The gateway's body, from the first circuit that read it.
    pub body: Fact<&'a GatewayBody>,
    /// In circuit id order; a circuit once, with its first connection.
    pub members: Vec<Member<'a>>,
}

/// A circuit of a gateway, with its connection to it.
#[derive(Clone, Copy)]
pub struct Member<'a> {
    pub circuit: &'a CircuitFacts,
    pub link: &'a GatewayLink,
}

impl<'a> Fleet<'a> {
    pub fn new(circuits: &'a [CircuitFacts], ports: &'a [PortFacts]) -> Fleet<'a> {
        let mut sorted: Vec<&CircuitFacts> = circuits.iter().collect();
        sorted.sort_by_cached_key(|c| c.id.to_ascii_lowercase());
        let mut by_gateway: BTreeMap<String, Group> = BTreeMap::new();
        for &c in &sorted {
            for link in &c.gateways {
                let g = by_gateway.entry(link.id.to_ascii_lowercase()).or_insert_with(|| Group {
                    id: &link.id,
                    body: Fact::Unread(String::new()),
                    members: Vec::new(),
                });
                match (&g.body, &link.gateway) {
                    (Fact::Unread(_), Fact::Read(b)) => g.body = Fact::Read(b),
                    (Fact::Unread(r), Fact::Unread(why)) if r.is_empty() => g.body = Fact::Unread(why.clone()),
                    _ => {}
                }
                if !g.members.iter().any(|m| m.circuit.id.eq_ignore_ascii_case(&c.id)) {
                    g.members.push(Member { circuit: c, link });
                }
            }
        }
        Fleet { circuits: sorted, ports, groups: by_gateway.into_values().collect() }
    }

    /// One finding per gateway, naming it and (unless the closure named
    /// others) all its circuits.
    pub fn per_gateway(&self, out: &mut Vec<Finding>, mut f: impl FnMut(&Group) -> Option<Finding>) {
        for g in &self.groups {
            out.extend(f(g).map(|x| {
                let x = if x.circuits.is_empty() { x.circuits(g.members.iter().map(|m| m.circuit.id.as_str())) } else { x };
                x.gateway(g.id)
            }));
        }
    }

    /// One finding per circuit, naming it, and its gateway when it has one.
    pub fn per_circuit(&self, out: &mut Vec<Finding>, mut f: impl FnMut(&CircuitFacts) -> Option<Finding>) {
        for &c in &self.circuits {
            out.extend(f(c).map(|x| {
                let x = x.circuits([c.id.as_str()]);
                match c.gateways.as_slice() {
                    [one] => x.gateway(&one.id),
                    _ => x,
                }
            }));
        }
    }

    /// The ExpressRoute Direct port with this id, as discovery listed it.
    pub fn port(&self, id: &str) -> Option<&'a PortFacts> {
        self.ports.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// A circuit's peering location: its provider's, or on ExpressRoute
    /// Direct its port's.
    pub fn peering_location(&self, c: &'a CircuitFacts) -> Option<&'a str> {
        c.peering_location.as_deref().or_else(|| self.port(c.port.as_deref()?)?.peering_location.as_deref())
    }

    /// Why the fleet may not know every circuit of a gateway: the circuits
    /// whose connections could not be listed, for evidence.
    pub fn connections_unread(&self) -> Option<String> {
        let v: Vec<String> = self.circuits.iter().filter(|c| c.connections_unread.is_some()).map(|c| c.name.clone()).collect();
        (!v.is_empty()).then(|| format!("the connections of {} could not be read: another circuit of this gateway may be among them", list(&v)))
    }
}

impl Group<'_> {
    pub fn name(&self) -> &str {
        erdiag_model::last_segment(self.id)
    }
}

/// `1 prefix`, `3 prefixes`.
pub fn prefixes(n: usize) -> String {
    if n == 1 {
        "1 prefix".into()
    } else {
        format!("{n} prefixes")
    }
}

/// How many items a finding names before `and N more`.
pub const LIST_CAP: usize = 10;

/// `a, b, c and 7 more`: at most [`LIST_CAP`] items, and the count of the rest.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let mut s = items.iter().take(LIST_CAP).map(|x| x.as_ref()).collect::<Vec<_>>().join(", ");
    if items.len() > LIST_CAP {
        s.push_str(&format!(" and {} more", items.len() - LIST_CAP));
    }
    s
}
