//! BGP neighbor attributes as every dialect states them — on the neighbor,
//! on a peer group, template, neighbor group or Junos group — and their
//! resolution into [`Neighbor`]s: the neighbor's own setting wins, then
//! those of what it inherits from, depth first and in order.

use super::out::{Item, Out};
use super::{Neighbor, Span, Spanned};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

/// Session attributes (any address family).
#[derive(Default, Clone, Debug)]
pub(crate) struct Session {
    pub remote_as: Option<Spanned<u32>>,
    pub local_as: Option<Spanned<u32>>,
    pub password: Option<Span>,
    pub bfd: Option<Span>,
    pub shutdown: Option<Span>,
    /// Not inherited: a group's description is the group's.
    pub description: Option<String>,
}

/// Attributes of one address family.
#[derive(Default, Clone, Debug)]
pub(crate) struct AfAttrs {
    pub route_map_in: Option<Spanned<String>>,
    pub route_map_out: Option<Spanned<String>>,
    pub prefix_list_in: Option<Spanned<String>>,
    pub prefix_list_out: Option<Spanned<String>>,
    pub max_prefix: Option<Spanned<u32>>,
    pub default_originate: Option<Span>,
    pub activate: Option<bool>,
}

macro_rules! fill {
    ($dst:expr, $src:expr, $($f:ident),*) => {
        $( if $dst.$f.is_none() { $dst.$f = $src.$f.clone(); } )*
    };
}

impl Session {
    fn fill(&mut self, o: &Session) {
        fill!(self, o, remote_as, local_as, password, bfd, shutdown);
    }
}

impl AfAttrs {
    fn fill(&mut self, o: &AfAttrs) {
        fill!(self, o, route_map_in, route_map_out, prefix_list_in, prefix_list_out, max_prefix, default_originate, activate);
    }
}

/// Which address family a statement is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Af {
    /// Outside any address family: applies to all (EOS, legacy IOS).
    Any,
    V4,
    V6,
    /// VPNv4, multicast, EVPN…: not read.
    Other,
}

/// What a neighbor or a group states.
#[derive(Default, Clone, Debug)]
pub(crate) struct Attrs {
    pub s: Session,
    pub any: AfAttrs,
    pub v4: AfAttrs,
    pub v6: AfAttrs,
    /// Keys of the groups inherited from, in order.
    pub inherits: Vec<String>,
    /// The group's name as shown to the user.
    pub peer_group: Option<String>,
}

impl Attrs {
    /// The attributes of address family `af`; `None` for families not read.
    pub fn af(&mut self, af: Af) -> Option<&mut AfAttrs> {
        match af {
            Af::Any => Some(&mut self.any),
            Af::V4 => Some(&mut self.v4),
            Af::V6 => Some(&mut self.v6),
            Af::Other => None,
        }
    }

    pub fn inherit(&mut self, key: String, shown: Option<&str>) {
        if let Some(name) = shown {
            self.peer_group.get_or_insert_with(|| name.to_string());
        }
        if !self.inherits.contains(&key) && self.inherits.len() < 16 {
            self.inherits.push(key);
        }
    }
}

/// A neighbor as collected: where it is, its own attributes, and the BGP
/// instance (`router bgp` block) it belongs to.
pub(crate) struct Entry {
    pub vrf: Option<String>,
    pub addr: Spanned<IpAddr>,
    pub attrs: Attrs,
    pub instance: usize,
}

/// Neighbors keyed by (VRF, address), in order of first appearance.
#[derive(Default)]
pub(crate) struct Table {
    pub entries: Vec<Entry>,
    index: HashMap<(Option<String>, IpAddr), usize>,
    pub groups: HashMap<String, Attrs>,
}

impl Table {
    /// The index of the neighbor at (`vrf`, `addr`), created when new.
    pub fn neighbor(&mut self, out: &mut Out, vrf: Option<&str>, addr: Spanned<IpAddr>, instance: usize) -> Option<usize> {
        let key = (vrf.map(str::to_string), addr.value);
        match self.index.get(&key) {
            Some(&i) => Some(i),
            None => {
                if !out.take_item(Item::Neighbor, addr.span.line) {
                    return None;
                }
                self.entries.push(Entry { vrf: key.0.clone(), addr, attrs: Attrs::default(), instance });
                self.index.insert(key, self.entries.len() - 1);
                Some(self.entries.len() - 1)
            }
        }
    }

    pub fn group(&mut self, key: String) -> &mut Attrs {
        if self.groups.len() >= 10_000 && !self.groups.contains_key(&key) {
            return self.groups.entry(String::new()).or_default();
        }
        self.groups.entry(key).or_default()
    }

    /// The neighbors, resolved. `default_active` is the IPv4-unicast
    /// activation of a neighbor that neither it nor its groups state.
    pub fn resolve(self, default_active: impl Fn(&Entry) -> Option<bool>) -> Vec<Neighbor> {
        let mut out = Vec::with_capacity(self.entries.len());
        for e in &self.entries {
            let chain = chain(&e.attrs, &self.groups);
            let mut s = e.attrs.s.clone();
            let v6 = e.addr.value.is_ipv6();
            let mut af = if v6 { e.attrs.v6.clone() } else { e.attrs.v4.clone() };
            af.fill(&e.attrs.any);
            let mut active = e.attrs.v4.activate.or(e.attrs.any.activate);
            for g in &chain {
                s.fill(&g.s);
                af.fill(if v6 { &g.v6 } else { &g.v4 });
                af.fill(&g.any);
                active = active.or(g.v4.activate).or(g.any.activate);
            }
            let peer_group = e.attrs.peer_group.clone().or_else(|| chain.iter().find_map(|g| g.peer_group.clone()));
            out.push(Neighbor {
                address: e.addr.clone(),
                remote_as: s.remote_as,
                local_as: s.local_as,
                password: s.password,
                bfd: s.bfd,
                shutdown: s.shutdown,
                description: e.attrs.s.description.clone(),
                route_map_in: af.route_map_in,
                route_map_out: af.route_map_out,
                prefix_list_in: af.prefix_list_in,
                prefix_list_out: af.prefix_list_out,
                max_prefix: af.max_prefix,
                default_originate: af.default_originate,
                ipv4_unicast_active: active.or_else(|| default_active(e)),
                peer_group,
                vrf: e.vrf.clone(),
            });
        }
        out
    }
}

/// The groups `a` inherits from, depth first, each once, at most 8 deep.
fn chain<'g>(a: &Attrs, groups: &'g HashMap<String, Attrs>) -> Vec<&'g Attrs> {
    fn walk<'g>(a: &Attrs, groups: &'g HashMap<String, Attrs>, depth: usize, seen: &mut HashSet<String>, out: &mut Vec<&'g Attrs>) {
        if depth > 8 {
            return;
        }
        for k in &a.inherits {
            if let Some(g) = groups.get(k) {
                if seen.insert(k.clone()) {
                    out.push(g);
                    walk(g, groups, depth + 1, seen, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(a, groups, 0, &mut HashSet::new(), &mut out);
    out
}
