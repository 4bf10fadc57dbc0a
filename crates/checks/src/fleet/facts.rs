//! The compact facts of one circuit that the checks across circuits read:
//! what a fleet keeps of each circuit once its own diagnosis is done (a
//! fleet of 1,000 holds 1,000 of these, not 1,000 snapshots). Built once
//! from the typed state by [`CircuitFacts::from_state`]; serializable, so a
//! fleet can be diagnosed again from the facts alone.
//!
//! Every fact that was not read says why ([`Fact::Unread`]), so that a
//! check can answer `unknown` naming the call, never guess.

use crate::ce::{self, CeEvidence};
use crate::facts;
use erdiag_model::{CircuitState, Collected, DevicePath, GatewayState, PeeringState};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A fact read, or why it was not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Fact<T> {
    Read(T),
    /// Why not, as a sentence fragment (`the primary route table could not be read: HTTP 403 …`).
    Unread(String),
}

impl<T> Fact<T> {
    pub fn read(&self) -> Option<&T> {
        match self {
            Fact::Read(t) => Some(t),
            Fact::Unread(_) => None,
        }
    }
    pub fn reason(&self) -> Option<&str> {
        match self {
            Fact::Read(_) => None,
            Fact::Unread(r) => Some(r),
        }
    }
    fn of<U>(c: &Collected<U>, what: &str, f: impl FnOnce(&U) -> T) -> Fact<T> {
        match c {
            Collected::Ok(u) => Fact::Read(f(u)),
            other => Fact::Unread(other.missing_reason(what).unwrap_or_default()),
        }
    }
}

/// One circuit, as the checks across circuits see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitFacts {
    /// The circuit's ARM id.
    pub id: String,
    pub name: String,
    /// Its Azure region.
    pub location: Option<String>,
    /// The provider's peering location (`Amsterdam`); on ExpressRoute
    /// Direct the port's, which the circuit body does not carry.
    pub peering_location: Option<String>,
    pub provider: Option<String>,
    pub sku_tier: Option<String>,
    pub sku_family: Option<String>,
    pub bandwidth_mbps: Option<u64>,
    /// The ExpressRoute Direct port (ARM id) the circuit sits on.
    pub port: Option<String>,
    pub peerings: Vec<PeeringFacts>,
    /// The virtual network gateways connected to the circuit, one per
    /// connection read.
    pub gateways: Vec<GatewayLink>,
    /// Why the connections to the circuit are not all known (a listing
    /// that failed or could not be read): then `gateways` may be short.
    pub connections_unread: Option<String>,
}

/// One peering of the circuit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeeringFacts {
    pub name: String,
    pub private: bool,
    pub microsoft: bool,
    /// The most prefixes the MSEE accepts on one session
    /// ([`facts::prefix_limit`]: 4,000, 10,000 on Premium private peering,
    /// 200 on Microsoft peering).
    pub limit: u64,
    pub primary: PathFacts,
    pub secondary: PathFacts,
}

impl PeeringFacts {
    pub fn path(&self, d: DevicePath) -> &PathFacts {
        match d {
            DevicePath::Primary => &self.primary,
            DevicePath::Secondary => &self.secondary,
        }
    }
}

/// One device path of a peering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathFacts {
    /// The MSEE's BGP session with the customer side (route-table summary).
    pub session: Fact<Session>,
    /// The prefixes of the MSEE's route table on this path.
    pub routes: Fact<Routes>,
    /// BFD on the CE's neighbor facing the MSEE, from the CE configuration
    /// supplied for this path.
    pub bfd: CeBfd,
}

/// The MSEE's session row of a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The state as ARM writes it (`3`, `Idle`, `Idle (PfxCt)`).
    pub state: String,
    pub established: bool,
    /// Prefixes received, when established.
    pub received: Option<u64>,
}

/// The prefixes of one route table, by where they come from, each sorted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Routes {
    /// Learned from the customer side ([`facts::is_onprem_route`]).
    pub on_prem: Vec<IpNet>,
    /// The VNet's own, from the gateway (AS 65515, [`facts::is_vnet_route`]).
    pub vnet: Vec<IpNet>,
}

impl Routes {
    /// What the single-circuit `routes-paths-differ` (ER501) compares: the
    /// customer's and the VNet's prefixes together.
    pub fn compared(&self) -> BTreeSet<IpNet> {
        self.on_prem.iter().chain(&self.vnet).copied().collect()
    }
}

/// BFD on a CE's BGP neighbor facing the MSEE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CeBfd {
    /// No CE configuration was supplied for this path.
    NotSupplied,
    /// A configuration was supplied, but no BGP neighbor in the path's /30.
    NoNeighbor,
    On,
    Off,
}

/// A connection from a virtual network gateway to the circuit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayLink {
    /// The gateway's ARM id.
    pub id: String,
    /// The connection's ARM id.
    pub connection: Option<String>,
    /// The connection's `routingWeight`; absent when the body lacks it.
    pub routing_weight: Option<u64>,
    pub gateway: Fact<GatewayBody>,
}

/// What the gateway's own body says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayBody {
    pub location: Option<String>,
    /// `ErGw1AZ`, `Standard`, `ErGwScale`, …
    pub sku: Option<String>,
}

/// An ExpressRoute Direct port, as discovery lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortFacts {
    /// The port's ARM id.
    pub id: String,
    pub name: Option<String>,
    pub location: Option<String>,
    pub peering_location: Option<String>,
    /// The bandwidth of each of the port's two links.
    pub bandwidth_gbps: Option<f64>,
}

impl CircuitFacts {
    /// The facts of one circuit's typed state. CE texts that cannot be read
    /// count as not supplied (the circuit's own report names them, ER913).
    pub fn from_state(state: &CircuitState) -> CircuitFacts {
        let ce = ce::read_lenient(state);
        let c = &state.circuit;
        let sp = c.properties.service_provider_properties.as_ref();
        let sku = c.sku.as_ref();
        CircuitFacts {
            id: state.circuit_id.clone(),
            name: state.circuit_name().to_string(),
            location: c.location.clone(),
            peering_location: sp.and_then(|s| s.peering_location.clone()),
            provider: sp.and_then(|s| s.service_provider_name.clone()),
            sku_tier: sku.and_then(|s| s.tier.clone()),
            sku_family: sku.and_then(|s| s.family.clone()),
            bandwidth_mbps: c.bandwidth_mbps(),
            port: c.properties.express_route_port.as_ref().and_then(|p| p.id.clone()).filter(|p| !p.is_empty()),
            peerings: state.peerings.iter().map(|p| peering(state, &ce, p)).collect(),
            gateways: gateways(state),
            connections_unread: match &state.connection_listing {
                // Not collected: the snapshot does not say, which is no failure.
                Collected::Ok(()) | Collected::NotCollected => None,
                other => other.missing_reason("the connections to the circuit"),
            },
        }
    }

    /// A circuit that could not be collected (its subscription forbidden,
    /// the deadline passed): every fact unread for `reason`, its
    /// connections too, so that a gateway it may serve is not judged as if
    /// it did not exist. The caller fills in what discovery knew
    /// (location, peering location, bandwidth, port…).
    pub fn not_collected(id: &str, name: &str, reason: &str) -> CircuitFacts {
        CircuitFacts {
            id: id.to_string(),
            name: name.to_string(),
            location: None,
            peering_location: None,
            provider: None,
            sku_tier: None,
            sku_family: None,
            bandwidth_mbps: None,
            port: None,
            peerings: Vec::new(),
            gateways: Vec::new(),
            connections_unread: Some(reason.to_string()),
        }
    }

    /// The private peering, when configured.
    pub fn private(&self) -> Option<&PeeringFacts> {
        self.peerings.iter().find(|p| p.private)
    }

    /// Every reason a fact of the circuit was not read, in the order of the
    /// facts (a fleet's coverage of its circuits).
    pub fn unread(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.connections_unread.as_deref().into_iter().collect();
        for p in &self.peerings {
            for d in DevicePath::BOTH {
                let path = p.path(d);
                v.extend(path.session.reason());
                v.extend(path.routes.reason());
            }
        }
        v.extend(self.gateways.iter().filter_map(|g| g.gateway.reason()));
        v
    }

    /// Whether the circuit is Premium (the higher private-peering limit).
    pub fn premium(&self) -> bool {
        self.sku_tier.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("premium"))
    }
}

fn peering(state: &CircuitState, ce: &[CeEvidence; 2], p: &PeeringState) -> PeeringFacts {
    let path = |d: DevicePath| PathFacts {
        session: Fact::of(p.summary(d), &format!("the {d} route-table summary"), |_| {
            let row = facts::session(p, d);
            let state = row.map(|r| r.state_pfx_rcd.to_string()).unwrap_or_else(|| "no session".into());
            let received = row.and_then(|r| r.state_pfx_rcd.prefixes());
            Session { state, established: received.is_some(), received }
        }),
        routes: Fact::of(p.routes(d), &format!("the {d} route table"), |rows| {
            let set = |keep: fn(&erdiag_model::RouteEntry) -> bool| {
                rows.iter().filter(|r| keep(r)).filter_map(|r| r.prefix()).collect::<BTreeSet<_>>().into_iter().collect()
            };
            Routes { on_prem: set(facts::is_onprem_route), vnet: set(facts::is_vnet_route) }
        }),
        bfd: bfd(&ce[d.index()], p, d),
    };
    PeeringFacts {
        name: p.name().to_string(),
        private: p.peering.is_private(),
        microsoft: p.peering.is_microsoft(),
        limit: facts::prefix_limit(state, &p.peering),
        primary: path(DevicePath::Primary),
        secondary: path(DevicePath::Secondary),
    }
}

/// BFD on the neighbor facing the MSEE in the path's CE configurations.
fn bfd(ev: &CeEvidence, p: &PeeringState, d: DevicePath) -> CeBfd {
    if ev.configs.is_empty() {
        return CeBfd::NotSupplied;
    }
    let Some(sub) = facts::addresses(&p.peering, d) else { return CeBfd::NoNeighbor };
    let neighbors: Vec<_> = ev.configs.iter().filter_map(|f| ce::facing_neighbor(&f.config, &sub)).collect();
    match neighbors.as_slice() {
        [] => CeBfd::NoNeighbor,
        ns if ns.iter().all(|n| n.bfd.is_some()) => CeBfd::On,
        _ => CeBfd::Off,
    }
}

fn gateways(state: &CircuitState) -> Vec<GatewayLink> {
    state
        .connections
        .iter()
        .filter_map(|conn| {
            let id = conn.properties.virtual_network_gateway1.as_ref()?.id.clone()?;
            let g = state.gateways.iter().find(|g| g.id.eq_ignore_ascii_case(&id));
            Some(GatewayLink {
                connection: conn.id.clone(),
                routing_weight: conn.properties.routing_weight,
                gateway: match g {
                    Some(g) => body(g),
                    None => Fact::Unread(format!("gateway {} was not collected", erdiag_model::last_segment(&id))),
                },
                id,
            })
        })
        .collect()
}

fn body(g: &GatewayState) -> Fact<GatewayBody> {
    Fact::of(&g.gateway, &format!("gateway {}", g.name()), |b| GatewayBody {
        location: b.location.clone(),
        sku: b.properties.sku.as_ref().and_then(|s| s.name.clone()),
    })
}

impl PathFacts {
    /// Whether the MSEE's session on this path is Established; `None` when
    /// the summary was not read.
    pub fn established(&self) -> Option<bool> {
        self.session.read().map(|s| s.established)
    }
}
