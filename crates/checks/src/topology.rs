//! The guide's diagram for the circuit in hand: the zones, the network points
//! 1–7 on the primary and the secondary path, the links between them and the
//! BGP sessions, with the circuit's real addresses, VLANs, ASNs and gateways,
//! and a status for every point and link derived from the findings.
//!
//! This is the report's `topology` section (see docs/report.md). It is built
//! once, after correlation, so that renderers draw it without deciding
//! anything. How a finding colours the picture:
//!
//! - It names points (`networkPoints`) on a path (`path`, or both paths when
//!   null). Points 1, 6 and 7 are shared by both paths; 2 to 5 exist once per
//!   path (3 and 4 not at all on ExpressRoute Direct).
//! - A finding of the peering, BGP or routes layer is about the BGP session
//!   between the MSEE and its neighbour (CE, or PE-MSEE when the provider
//!   manages the peering): it colours that session when it names both ends,
//!   never the physical links. Any other finding colours the physical links
//!   whose two ends it names (ARP at 2-3-4-5 colours CE–PE, PE–PE-MSEE,
//!   PE-MSEE–MSEE).
//! - The status of an element is the worst of what names it, in this order:
//!   an independent `fail`, a consequence (`fail` or `warn` with
//!   `consequenceOf`), `warn`, `unknown`, `pass` (ok); nothing names it:
//!   unchecked. `skip` findings colour nothing.
//! - An element is marked as root cause when an independent failure of the
//!   root cause's check, on the root cause's peering, names it.

use crate::layer::Layer;
use crate::facts;
use crate::finding::{Finding, RootCause, Status};
use erdiag_model::{normalize_path, CircuitState, Collected, DevicePath, PeeringState};
use serde::Serialize;

/// How many prefixes of each kind the topology quotes.
const PREFIX_SAMPLE: usize = 4;

/// The status of one point or link of the diagram, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementStatus {
    /// An independent failure (not a consequence of another) names it.
    Fail,
    /// It fails (or warns) because of a failure elsewhere.
    Consequence,
    Warn,
    /// A check about it could not read its data.
    Unknown,
    /// Checks about it passed.
    Ok,
    /// No check says anything about it.
    Unchecked,
}

impl ElementStatus {
    pub const ALL: [ElementStatus; 6] = [
        ElementStatus::Fail,
        ElementStatus::Consequence,
        ElementStatus::Warn,
        ElementStatus::Unknown,
        ElementStatus::Ok,
        ElementStatus::Unchecked,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ElementStatus::Fail => "fail",
            ElementStatus::Consequence => "consequence",
            ElementStatus::Warn => "warn",
            ElementStatus::Unknown => "unknown",
            ElementStatus::Ok => "ok",
            ElementStatus::Unchecked => "unchecked",
        }
    }
    fn of(f: &Finding) -> Option<ElementStatus> {
        Some(match f.status {
            Status::Fail | Status::Warn if f.consequence_of.is_some() => ElementStatus::Consequence,
            Status::Fail => ElementStatus::Fail,
            Status::Warn => ElementStatus::Warn,
            Status::Unknown => ElementStatus::Unknown,
            Status::Pass => ElementStatus::Ok,
            Status::Skip => return None,
        })
    }
}

/// The three network zones of the guide (two on ExpressRoute Direct).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneKind {
    Customer,
    Provider,
    Microsoft,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    pub zone: ZoneKind,
    /// The network points in this zone.
    pub points: Vec<u8>,
}

/// Whether a link is a physical hop or a BGP session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Link,
    Bgp,
}

/// The guide's diagram for this circuit: the report's `topology`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Topology {
    /// ExpressRoute Direct: no provider zone, no points 3 and 4.
    pub express_route_direct: bool,
    pub zones: Vec<Zone>,
    /// The configured peerings, in snapshot order.
    pub peerings: Vec<PeeringTopology>,
    /// The virtual network gateways connected to the circuit (point 6).
    pub gateways: Vec<GatewayTopology>,
    /// The primary and the secondary path as a whole.
    pub paths: Vec<PathTopology>,
    pub points: Vec<PointTopology>,
    pub links: Vec<LinkTopology>,
    /// Global Reach links of the private peering: the other circuits beside
    /// the MSEE (left out when there is none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub global_reach: Vec<GlobalReachTopology>,
    /// ExpressRoute Direct: the port and its two links, where a provider
    /// circuit has points 3 and 4. Left out when the circuit is not on a
    /// port, or the port was not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_port: Option<DirectPortTopology>,
}

/// One Global Reach link: the other circuit, where it is, and the link's state.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalReachTopology {
    pub name: String,
    /// The other circuit's name (from its id when it was not read).
    pub circuit: String,
    /// Its peering location, when it was read.
    pub peering_location: Option<String>,
    /// The link's /29.
    pub address_prefix: Option<String>,
    /// `circuitConnectionStatus` on this circuit.
    pub connection_status: Option<String>,
    /// The worst of the Global Reach checks (ER210–ER216) on this link.
    pub status: ElementStatus,
}

/// The ExpressRoute Direct port between the CE (2) and the MSEEs (5).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectPortTopology {
    pub name: String,
    pub bandwidth_gbps: Option<f64>,
    pub links: Vec<DirectLinkTopology>,
}

/// One link of the port: link1 carries the primary path, link2 the secondary.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectLinkTopology {
    pub name: String,
    pub path: Option<DevicePath>,
    /// Microsoft's router and interface at the end of the link.
    pub router: Option<String>,
    pub interface: Option<String>,
    /// `Enabled` or `Disabled`.
    pub admin_state: Option<String>,
    /// Whether MACsec is configured on the link.
    pub macsec: bool,
}

impl DirectPortTopology {
    /// The link that carries a path.
    pub fn link(&self, path: Option<DevicePath>) -> Option<&DirectLinkTopology> {
        self.links.iter().find(|l| l.path.is_some() && l.path == path)
    }
    /// The link on a path, as the diagram labels the CE–MSEE hop:
    /// `erd-port-ams link1 ams06-erdir-100gmr-cis-1 Enabled MACsec`.
    pub fn label(&self, path: Option<DevicePath>) -> Option<String> {
        let link = self.link(path)?;
        let mut words = vec![self.name.clone(), link.name.clone()];
        words.extend(link.router.clone());
        words.extend(link.admin_state.clone());
        if link.macsec {
            words.push("MACsec".into());
        }
        Some(words.join(" "))
    }
}

/// The port of a Direct circuit as the diagram draws it.
fn direct_port(state: &CircuitState) -> Option<DirectPortTopology> {
    let d = state.direct.as_ref()?;
    let port = d.port.ok()?;
    let mut links: Vec<DirectLinkTopology> = port
        .links()
        .iter()
        .map(|l| DirectLinkTopology {
            name: l.name().to_string(),
            path: l.path(),
            router: l.properties.router_name.clone(),
            interface: l.properties.interface_name.clone(),
            admin_state: l.properties.admin_state.clone(),
            macsec: l.macsec().is_some(),
        })
        .collect();
    links.sort_by_key(|l| (l.path.map_or(2, DevicePath::index), l.name.clone()));
    Some(DirectPortTopology { name: port.name.clone().unwrap_or_else(|| erdiag_model::last_segment(&d.port_id).to_string()), bandwidth_gbps: port.properties.bandwidth_in_gbps, links })
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeeringTopology {
    pub name: String,
    /// `state` of the peering (`Enabled`, `Disabled`).
    pub state: Option<String>,
    pub vlan: Option<u64>,
    pub peer_asn: Option<u64>,
    pub azure_asn: Option<u64>,
    /// The network point holding the customer's end of the BGP session:
    /// 2 (CE), or 4 (PE-MSEE) when the provider manages the peering.
    pub bgp_point: u8,
    pub paths: Vec<PeeringPath>,
    /// Prefixes the MSEE learned from on-premises (null: no route table read).
    pub on_premises_prefixes: Option<PrefixSample>,
    /// Prefixes the MSEE learned from the virtual network (AS 65515).
    pub vnet_prefixes: Option<PrefixSample>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeeringPath {
    pub path: DevicePath,
    /// The /30 (or /126) as configured.
    pub subnet: Option<String>,
    /// First usable address of the subnet: the CE (or PE-MSEE).
    pub ce_address: Option<String>,
    /// Second usable address: the MSEE.
    pub msee_address: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrefixSample {
    /// How many distinct prefixes.
    pub count: u64,
    /// The first few, in route-table order.
    pub sample: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayTopology {
    pub name: String,
    pub sku: Option<String>,
    pub asn: Option<u64>,
    /// The connection to the circuit, and its status.
    pub connection: Option<String>,
    pub connection_status: Option<String>,
    /// The Virtual WAN hub whose ExpressRoute gateway this is (point 6 is
    /// then the hub, not a VNet's gateway); absent for a VNet's gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
    /// A hub gateway's minimum scale units (1 = 2 Gbps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_units: Option<u64>,
}

impl GatewayTopology {
    /// How the diagram names point 6: the hub for a Virtual WAN gateway
    /// (`hub-weu (vWAN)`), else the gateway.
    pub fn label(&self) -> String {
        match &self.hub {
            Some(h) => format!("{h} (vWAN)"),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathTopology {
    pub path: DevicePath,
    /// The worst status of the points, links and sessions of this path
    /// (shared points 1, 6 and 7 and the link 6–7 not included).
    pub status: ElementStatus,
    pub root_cause: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PointTopology {
    pub point: u8,
    /// Null for the points both paths share (1, 6, 7).
    pub path: Option<DevicePath>,
    pub status: ElementStatus,
    pub root_cause: bool,
    /// The checks that gave this status, in report order.
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkTopology {
    pub kind: LinkKind,
    pub from: u8,
    pub to: u8,
    /// Null for the shared link 6–7.
    pub path: Option<DevicePath>,
    /// The peering of a BGP session; null for physical links.
    pub peering: Option<String>,
    /// The IPv6 session of a dual-stack peering, drawn beside its IPv4
    /// one; left out for every other link and session.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ipv6: bool,
    pub status: ElementStatus,
    pub root_cause: bool,
    pub checks: Vec<String>,
}

/// What a point or link has been named by so far.
#[derive(Default)]
struct Marks {
    by: Vec<(ElementStatus, &'static str)>,
    root_cause: bool,
}

impl Marks {
    fn add(&mut self, s: ElementStatus, check: &'static str, root: bool) {
        self.by.push((s, check));
        self.root_cause |= root;
    }
    fn status(&self) -> ElementStatus {
        self.by.iter().map(|(s, _)| *s).min().unwrap_or(ElementStatus::Unchecked)
    }
    fn checks(&self) -> Vec<String> {
        let s = self.status();
        let mut out: Vec<String> = Vec::new();
        for (t, c) in &self.by {
            if *t == s && !out.iter().any(|x| x == c) {
                out.push(c.to_string());
            }
        }
        out
    }
}

/// A link or session of the picture while it is being marked.
struct LinkSlot {
    kind: LinkKind,
    from: u8,
    to: u8,
    path: Option<DevicePath>,
    peering: Option<String>,
    ipv6: bool,
    marks: Marks,
}

impl LinkSlot {
    fn new(kind: LinkKind, from: u8, to: u8, path: Option<DevicePath>, peering: Option<String>) -> LinkSlot {
        LinkSlot { kind, from, to, path, peering, ipv6: false, marks: Marks::default() }
    }
}

fn is_session_layer(l: Layer) -> bool {
    matches!(l, Layer::Peering | Layer::Bgp | Layer::Routes)
}

fn same_peering(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.eq_ignore_ascii_case(b))
}

fn prefixes(p: &PeeringState, keep: fn(&erdiag_model::RouteEntry) -> bool) -> Option<PrefixSample> {
    let rows = DevicePath::BOTH.iter().find_map(|&d| p.routes(d).ok())?;
    let mut seen = std::collections::HashSet::new();
    let mut sample = Vec::new();
    for r in rows.iter().filter(|r| keep(r)) {
        if seen.insert(r.network.raw.as_str()) && sample.len() < PREFIX_SAMPLE {
            sample.push(r.network.raw.clone());
        }
    }
    Some(PrefixSample { count: seen.len() as u64, sample })
}

impl Topology {
    /// Builds the diagram from the state and the correlated findings.
    pub fn build(state: &CircuitState, findings: &[Finding], root: Option<&RootCause>) -> Topology {
        let direct = state.circuit.is_direct();
        let chain: &[u8] = if direct { &[1, 2, 5, 6, 7] } else { &[1, 2, 3, 4, 5, 6, 7] };
        let shared = |p: u8| matches!(p, 1 | 6 | 7);

        // Every element of the picture, with its marks.
        let mut points: Vec<(u8, Option<DevicePath>, Marks)> = Vec::new();
        for &p in chain {
            if shared(p) {
                points.push((p, None, Marks::default()));
            } else {
                for d in DevicePath::BOTH {
                    points.push((p, Some(d), Marks::default()));
                }
            }
        }
        // Physical links along the chain: per path, except 6–7.
        let mut links: Vec<LinkSlot> = Vec::new();
        for d in DevicePath::BOTH {
            for w in chain.windows(2) {
                if w == [6, 7] {
                    continue;
                }
                links.push(LinkSlot::new(LinkKind::Link, w[0], w[1], Some(d), None));
            }
        }
        links.push(LinkSlot::new(LinkKind::Link, 6, 7, None, None));
        for p in &state.peerings {
            let from = facts::bgp_points(&p.peering)[0];
            let from = if direct { 2 } else { from };
            let ipv6 = p.peering.ipv6().is_some_and(|v6| !v6.is_disabled());
            for d in DevicePath::BOTH {
                links.push(LinkSlot::new(LinkKind::Bgp, from, 5, Some(d), Some(p.name().to_string())));
                if ipv6 {
                    links.push(LinkSlot { ipv6: true, ..LinkSlot::new(LinkKind::Bgp, from, 5, Some(d), Some(p.name().to_string())) });
                }
            }
        }

        for f in findings {
            let Some(status) = ElementStatus::of(f) else {
                continue;
            };
            // The diagram is the state now: a check of the metrics window
            // marks it only with a failure (a confirmed flap).
            if f.past && f.status != Status::Fail {
                continue;
            }
            let root = root
                .is_some_and(|rc| f.status == Status::Fail && f.consequence_of.is_none() && f.check == rc.check && f.peering == rc.peering);
            let on_path = |d: Option<DevicePath>| d.is_none() || f.path.is_none() || f.path == d;
            let names = |p: u8| f.network_points.contains(&p);
            for (p, d, m) in points.iter_mut() {
                if names(*p) && on_path(*d) {
                    m.add(status, f.check, root);
                }
            }
            let session = is_session_layer(f.layer);
            for l in links.iter_mut() {
                if !on_path(l.path) {
                    continue;
                }
                let hit = match l.kind {
                    LinkKind::Link => !session && names(l.from) && names(l.to),
                    // The MSEE and the customer's end: the CE, or the PE-MSEE holding the session for it.
                    // An IPv6 finding marks the IPv6 session, any other the IPv4 one.
                    LinkKind::Bgp => {
                        session
                            && l.ipv6 == f.ipv6_only
                            && names(l.to)
                            && (names(l.from) || names(2))
                            && (f.peering.is_none() || same_peering(f.peering.as_deref(), l.peering.as_deref().unwrap_or("")))
                    }
                };
                if hit {
                    l.marks.add(status, f.check, root);
                }
            }
        }

        let paths = DevicePath::BOTH
            .iter()
            .map(|&d| {
                let on = |x: &Option<DevicePath>| *x == Some(d);
                let pm = points.iter().filter(|(_, x, _)| on(x)).map(|(_, _, m)| m);
                let lm = links.iter().filter(|l| on(&l.path)).map(|l| &l.marks);
                let all: Vec<&Marks> = pm.chain(lm).collect();
                PathTopology {
                    path: d,
                    status: all.iter().map(|m| m.status()).min().unwrap_or(ElementStatus::Unchecked),
                    root_cause: all.iter().any(|m| m.root_cause),
                }
            })
            .collect();

        let zones = if direct {
            vec![Zone { zone: ZoneKind::Customer, points: vec![1, 2] }, Zone { zone: ZoneKind::Microsoft, points: vec![5, 6, 7] }]
        } else {
            vec![
                Zone { zone: ZoneKind::Customer, points: vec![1, 2] },
                Zone { zone: ZoneKind::Provider, points: vec![3, 4] },
                Zone { zone: ZoneKind::Microsoft, points: vec![5, 6, 7] },
            ]
        };

        let peerings = state
            .peerings
            .iter()
            .map(|p| {
                let pr = &p.peering.properties;
                PeeringTopology {
                    name: p.name().to_string(),
                    state: pr.state.clone(),
                    vlan: pr.vlan_id,
                    peer_asn: pr.peer_asn,
                    azure_asn: pr.azure_asn,
                    bgp_point: if direct { 2 } else { facts::bgp_points(&p.peering)[0] },
                    paths: DevicePath::BOTH
                        .iter()
                        .map(|&d| {
                            let subnet = match d {
                                DevicePath::Primary => pr.primary_peer_address_prefix.clone(),
                                DevicePath::Secondary => pr.secondary_peer_address_prefix.clone(),
                            };
                            let a = facts::addresses(&p.peering, d);
                            PeeringPath {
                                path: d,
                                subnet,
                                ce_address: a.map(|a| a.customer.to_string()),
                                msee_address: a.map(|a| a.msee.to_string()),
                            }
                        })
                        .collect(),
                    on_premises_prefixes: prefixes(p, facts::is_onprem_route),
                    vnet_prefixes: if p.peering.is_private() { prefixes(p, facts::is_vnet_route) } else { None },
                }
            })
            .collect();

        let gateways = state
            .gateways
            .iter()
            .map(|g| {
                let gw = match &g.gateway {
                    Collected::Ok(gw) => Some(gw),
                    _ => None,
                };
                let conn = state.connections.iter().find(|c| {
                    c.properties.virtual_network_gateway1.as_ref().and_then(|s| s.id.as_deref()).map(normalize_path)
                        == Some(normalize_path(&g.id))
                });
                let hub = vwan_gateway(state, g);
                GatewayTopology {
                    name: g.name().to_string(),
                    sku: gw.and_then(|x| x.properties.sku.as_ref()).and_then(|s| s.name.clone()),
                    asn: gw.and_then(|x| x.properties.bgp_settings.as_ref()).and_then(|b| b.asn).or(hub.asn),
                    connection: conn.and_then(|c| c.name.clone()).or(hub.connection),
                    connection_status: conn.and_then(|c| c.properties.connection_status.clone()).or(hub.connection_status),
                    hub: hub.hub,
                    scale_units: hub.scale_units,
                }
            })
            .collect();

        Topology {
            express_route_direct: direct,
            zones,
            peerings,
            gateways,
            paths,
            points: points
                .into_iter()
                .map(|(point, path, m)| PointTopology { point, path, status: m.status(), root_cause: m.root_cause, checks: m.checks() })
                .collect(),
            links: links
                .into_iter()
                .map(|l| LinkTopology {
                    kind: l.kind,
                    from: l.from,
                    to: l.to,
                    path: l.path,
                    status: l.marks.status(),
                    root_cause: l.marks.root_cause,
                    checks: l.marks.checks(),
                    peering: l.peering,
                    ipv6: l.ipv6,
                })
                .collect(),
            global_reach: global_reach(state, findings),
            direct_port: direct_port(state),
        }
    }

    /// The BGP sessions of a path, one per peering (two on a dual-stack
    /// peering: IPv4, then IPv6).
    pub fn sessions(&self, d: DevicePath) -> impl Iterator<Item = &LinkTopology> {
        self.links.iter().filter(move |x| x.kind == LinkKind::Bgp && x.path == Some(d))
    }
}

/// What a Virtual WAN gateway adds to point 6: its hub, its scale units,
/// its connection to the circuit; nothing for a VNet's gateway.
fn vwan_gateway(state: &CircuitState, g: &erdiag_model::GatewayState) -> GatewayTopology {
    let none = GatewayTopology { name: String::new(), sku: None, asn: None, connection: None, connection_status: None, hub: None, scale_units: None };
    let erdiag_model::GatewayKind::VirtualWan { hub } = &g.kind else { return none };
    let v = state.vwan.gateways.iter().find(|v| normalize_path(&v.id) == normalize_path(&g.id));
    let body = v.and_then(|v| v.gateway.ok());
    let conn = body.and_then(|b| b.connections_to(&state.circuit_id).into_iter().next());
    GatewayTopology {
        hub: Some(hub.clone().unwrap_or_else(|| "?".into())),
        scale_units: body.and_then(|b| b.min_scale_units()),
        asn: v.and_then(|v| v.hub.ok()).and_then(|h| h.properties.virtual_router_asn),
        connection: conn.map(|c| c.label().to_string()),
        connection_status: conn.and_then(|c| c.properties.provisioning_state.clone()),
        ..none
    }
}

/// The Global Reach links with the worst status the ER21x checks gave each
/// (their findings name the link in their message).
fn global_reach(state: &CircuitState, findings: &[Finding]) -> Vec<GlobalReachTopology> {
    state
        .global_reach
        .connections
        .iter()
        .map(|link| {
            let peer = state.global_reach.peer(link);
            let other = peer.and_then(|p| p.circuit.ok());
            let id = link.embedded.peer_circuit_id().unwrap_or_default();
            let mut marks = Marks::default();
            let tag = format!("link {} ", link.name());
            for f in findings.iter().filter(|f| f.check.starts_with("ER21") && f.message.contains(&tag)) {
                if let Some(s) = ElementStatus::of(f) {
                    marks.add(s, f.check, false);
                }
            }
            GlobalReachTopology {
                name: link.name().to_string(),
                circuit: other.and_then(|c| c.name.clone()).unwrap_or_else(|| erdiag_model::last_segment(&id).to_string()),
                peering_location: other.and_then(crate::globalreach::peering_location).map(str::to_string),
                address_prefix: link.body().properties.address_prefix.clone(),
                connection_status: link.status().map(str::to_string),
                status: marks.status(),
            }
        })
        .collect()
}
