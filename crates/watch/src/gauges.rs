//! What `/metrics` shows of one circuit beyond its verdict and findings:
//! read from its state once per poll, the way the checks read it
//! (`erdiag_checks::facts`, `monitor`); `None` where not known.

use erdiag_checks::facts::{self, L2};
use erdiag_checks::monitor;
use erdiag_model::metrics::{Aggregation, TimeSeries};
use erdiag_model::health::{maintenance_during, HealthStatus};
use erdiag_model::{CircuitState, Collected, DevicePath};
use std::collections::BTreeMap;

/// What `/metrics` shows of one circuit beyond its verdict and findings:
/// computed once per poll from its snapshot; `None` where not known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CircuitGauges {
    pub bandwidth_bps: Option<f64>,
    /// One per peering and device path.
    pub paths: Vec<PathGauges>,
    /// The most prefixes the MSEE accepts per session, by peering.
    pub prefix_limits: Vec<(String, u64)>,
    /// The latest minute of traffic per path and direction (`in`, `out`).
    pub traffic: Vec<Traffic>,
    pub gateways: Vec<GatewayGauges>,
    /// Prefixes withdrawn from / advertised to the MSEE route table since
    /// the watch started, per (peering, path): counters.
    pub routes_withdrawn: BTreeMap<(String, &'static str), u64>,
    pub routes_advertised: BTreeMap<(String, &'static str), u64>,
    /// Microsoft's planned maintenance in progress at the snapshot's time,
    /// by resource (`circuit`, `gateway`: any of its gateways), as Resource
    /// Health's history says; `None` where it was not read.
    pub maintenance: Vec<(&'static str, Option<bool>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathGauges {
    pub peering: String,
    pub path: &'static str,
    /// The MSEE's BGP session with the customer side (route-table summary).
    pub bgp_up: Option<bool>,
    pub prefixes_received: Option<u64>,
    /// Prefixes of the VNet (AS 65515) in the MSEE's route table, each
    /// once whatever its next hops: what it advertises towards the customer.
    pub prefixes_advertised: Option<u64>,
    /// The on-premises entry of the MSEE's ARP table resolves.
    pub arp_resolved: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    pub path: &'static str,
    pub direction: &'static str,
    pub bits_per_second: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GatewayGauges {
    pub gateway: String,
    pub peers_up: Option<u64>,
    pub peers: Option<u64>,
    pub routes_learned: Option<u64>,
}

impl CircuitGauges {
    /// The gauges of a circuit's state, read as the checks read it
    /// (`erdiag_checks::facts`, `monitor`).
    pub fn of(state: &CircuitState) -> CircuitGauges {
        let mut g = CircuitGauges { bandwidth_bps: state.circuit.bandwidth_mbps().map(|m| m as f64 * 1e6), ..CircuitGauges::default() };
        for p in &state.peerings {
            let name = p.name().to_string();
            g.prefix_limits.push((name.clone(), facts::prefix_limit(state, &p.peering)));
            for d in DevicePath::BOTH {
                let (bgp_up, prefixes_received) = match p.summary(d) {
                    Collected::Ok(_) => match facts::session(p, d) {
                        Some(row) => (Some(row.state_pfx_rcd.is_established()), row.state_pfx_rcd.prefixes()),
                        None => (Some(false), None),
                    },
                    _ => (None, None),
                };
                let prefixes_advertised = match p.routes(d) {
                    Collected::Ok(routes) => Some(routes.iter().filter(|r| facts::is_vnet_route(r)).filter_map(|r| r.prefix()).collect::<std::collections::BTreeSet<_>>().len() as u64),
                    _ => None,
                };
                let arp_resolved = match facts::l2_state(p, d) {
                    L2::Up => Some(true),
                    L2::Down => Some(false),
                    L2::Unknown => None,
                };
                g.paths.push(PathGauges { peering: name.clone(), path: d.as_str(), bgp_up, prefixes_received, prefixes_advertised, arp_resolved });
            }
        }
        if let Collected::Ok(m) = &state.metrics {
            for (metric, direction) in [("BitsInPerSecond", "in"), ("BitsOutPerSecond", "out")] {
                let Some(metric) = m.metric(metric).filter(|x| x.error().is_none()) else { continue };
                for d in DevicePath::BOTH {
                    let series: Vec<&TimeSeries> = metric.timeseries.iter().filter(|s| monitor::path_of(s) == Some(d)).collect();
                    if let Some(bps) = monitor::points(&series, Aggregation::Average).into_iter().rev().find_map(|(_, v)| v) {
                        g.traffic.push(Traffic { path: d.as_str(), direction, bits_per_second: bps });
                    }
                }
            }
        }
        for gw in &state.gateways {
            let name = erdiag_model::last_segment(&gw.id).to_string();
            let (peers_up, peers) = match &gw.bgp_peers {
                Collected::Ok(peers) => (Some(peers.iter().filter(|p| p.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Connected"))).count() as u64), Some(peers.len() as u64)),
                _ => (None, None),
            };
            let routes_learned = match &gw.learned_routes {
                Collected::Ok(r) => Some(r.len() as u64),
                _ => None,
            };
            g.gateways.push(GatewayGauges { gateway: name, peers_up, peers, routes_learned });
        }
        let now = state.collected_unix();
        let in_maintenance = |history: &Collected<Vec<HealthStatus>>| match (history, now) {
            (Collected::Ok(h), Some(t)) => Some(maintenance_during(h, t, t, t).is_some()),
            _ => None,
        };
        g.maintenance.push(("circuit", in_maintenance(&state.health_history)));
        if !state.gateways.is_empty() {
            let each: Vec<Option<bool>> = state.gateways.iter().map(|gw| in_maintenance(&gw.health_history)).collect();
            let any = if each.contains(&Some(true)) { Some(true) } else if each.iter().all(Option::is_some) { Some(false) } else { None };
            g.maintenance.push(("gateway", any));
        }
        g
    }
}

