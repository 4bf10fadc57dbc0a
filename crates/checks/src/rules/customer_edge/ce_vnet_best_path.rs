use super::each_path_shows;
use erdiag_ce::values::prefix;
use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_ce::Model;
use erdiag_model::{Collected, DevicePath};
use ipnet::IpNet;
use std::collections::BTreeSet;
use std::net::IpAddr;

check! {
    /// ## What it checks
    /// On private peering, for each VNet prefix the MSEE advertises to the
    /// CE on a path — the routes of the MSEE's route table whose AS path
    /// holds the gateway's 65515 or whose next hop is not a CE address —
    /// the CE's best route (from `show ip route`, else the best paths of
    /// `show ip bgp`, given with `--ce`) goes to an MSEE (either path's).
    /// A best route through another next hop (a VPN, a static route), a
    /// more specific route inside the VNet prefix through another next hop,
    /// or no route at all fails, naming the prefix and the next hop.
    /// Skipped when no such output was given. An IPv6 route shown through a
    /// link-local next hop (`fe80::/10`, as FRR's BGP table shows the
    /// neighbour's when it is not told to prefer the global one) cannot be
    /// tied to an MSEE: the check is unknown then, unless another route fails.
    ///
    /// ## Why it matters
    /// The MSEE can advertise every VNet prefix and the CE still send the
    /// traffic elsewhere: a static route or a VPN with a better
    /// administrative distance or local preference wins, and ExpressRoute
    /// carries nothing (or only one direction) towards the VNet. The guide
    /// asks for "the appropriate prefixes" to be routed over the circuit in
    /// both directions.
    ///
    /// ## Evidence
    /// The MSEE's `routeTables/{primary,secondary}` and the CE's route for
    /// each VNet prefix, with its protocol and next hop.
    ///
    /// ## Remediation
    /// Make the route via the MSEE the best on the CE: remove or raise the
    /// administrative distance of the competing static route, lower the
    /// VPN's local preference (or raise the MSEE's), and remove more
    /// specific routes to the VNet through other next hops.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the
    /// MSEE" and "Test private peering connectivity" (routing).
    pub static CE_VNET_BEST_PATH = {
        id: "ER912", name: "ce-vnet-best-path", layer: CustomerEdge, owner: Customer, points: [1, 2],
        explainable: true,
    };
}

/// One CE route: prefix, how it was learned, its next hops (address or interface).
struct CeRoute {
    prefix: IpNet,
    vrf: Option<String>,
    what: String,
    hops: Vec<(Option<IpAddr>, Option<String>)>,
}

impl CeRoute {
    fn via(&self) -> String {
        self.hops
            .iter()
            .map(|(ip, i)| match (ip, i) {
                (Some(ip), Some(i)) => format!("{ip} ({i})"),
                (Some(ip), None) => ip.to_string(),
                (None, Some(i)) => i.clone(),
                (None, None) => "?".into(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_path_shows(cx, out, |d, shows, p, sub| {
        if !p.peering.is_private() {
            return None;
        }
        // The CE's routes: its routing table when given (what forwards),
        // else the best paths of its BGP table.
        let mut source = "";
        let mut routes: Vec<CeRoute> = Vec::new();
        // A filtered output (`| include …`) cannot show that a route is absent.
        let shows: Vec<_> = shows.iter().filter(|o| !o.filtered()).collect();
        for o in &shows {
            if let Model::Routes(rows) = &o.parsed.model {
                source = "show ip route";
                routes.extend(rows.iter().filter_map(|r| {
                    Some(CeRoute {
                        prefix: prefix(&r.prefix)?,
                        vrf: r.vrf.clone(),
                        what: format!("{}: {} {}", o.at, r.protocol, r.prefix),
                        hops: r.next_hops.iter().map(|h| (h.ip.as_deref().and_then(|i| i.parse().ok()), h.interface.clone())).collect(),
                    })
                }));
            }
        }
        if routes.is_empty() {
            for o in shows.iter().filter(|o| !o.is_advertised_routes()) {
                if let Model::BgpRoutes(rows) = &o.parsed.model {
                    source = "show ip bgp";
                    routes.extend(rows.iter().filter(|r| r.best).filter_map(|r| {
                        Some(CeRoute {
                            prefix: prefix(&r.prefix)?,
                            vrf: None,
                            what: format!("{}: BGP best {} (AS path {:?})", o.at, r.prefix, r.as_path),
                            hops: vec![(r.next_hop.parse().ok(), None)],
                        })
                    }));
                }
            }
        }
        if source.is_empty() {
            return None;
        }
        // The VNet prefixes the MSEE advertises on this path.
        // Both families' peering subnets: the /30s and, on a dual-stack peering, the /126s.
        let subnets: Vec<_> = DevicePath::BOTH.iter().flat_map(|&x| [facts::addresses(&p.peering, x), facts::addresses6(&p.peering, x)]).flatten().collect();
        let ces: Vec<IpAddr> = subnets.iter().map(|s| s.customer).collect();
        let msees: Vec<IpAddr> = subnets.iter().map(|s| s.msee).collect();
        // A family none of the CE's routes is of (IPv6 when only `show ip
        // bgp` was given) cannot be followed on the CE: it is not judged.
        let families: BTreeSet<bool> = routes.iter().map(|r| r.prefix.addr().is_ipv4()).collect();
        let table = match p.routes(d) {
            Collected::Ok(rows) => rows,
            other => {
                let why = other.missing_reason(&format!("the MSEE's {d} route table")).unwrap_or_default();
                return Some(Finding::unknown(c, format!("{why}: the VNet prefixes the MSEE advertises are not known.")));
            }
        };
        let vnet: BTreeSet<IpNet> = table
            .iter()
            .filter(|r| r.path.asns.contains(&facts::VNET_ASN) || r.next_hop.ip().is_some_and(|ip| !ces.contains(&ip)))
            .filter_map(|r| r.prefix())
            .filter(|n| families.contains(&n.addr().is_ipv4()))
            .collect();
        if vnet.is_empty() {
            return Some(Finding::skip(c, format!("The MSEE's {d} route table holds no VNet prefix to follow on the CE.")));
        }
        let via_msee = |r: &CeRoute| !r.hops.is_empty() && r.hops.iter().all(|(ip, _)| ip.is_some_and(|ip| msees.contains(&ip)));
        // When the routing table spans VRFs, the ones that route to an MSEE.
        let vrfs: BTreeSet<Option<String>> = routes.iter().filter(|r| via_msee(r)).map(|r| r.vrf.clone()).collect();
        let routes: Vec<&CeRoute> = routes.iter().filter(|r| vrfs.is_empty() || vrfs.contains(&r.vrf)).collect();
        // An IPv6 route shown through a link-local next hop (FRR's BGP
        // table when the neighbour sends both and the CE does not prefer
        // the global one) may well be the MSEE's: link-local addresses are
        // not in the peering's /126, so it is neither passed nor failed.
        let unsure = |r: &CeRoute| r.hops.iter().any(|(ip, _)| matches!(ip, Some(IpAddr::V6(v)) if v.is_unicast_link_local()));
        // (problem, evidence, whether its next hop is link-local).
        let mut found: Vec<(String, String, bool)> = Vec::new();
        for n in &vnet {
            let exact: Vec<&&CeRoute> = routes.iter().filter(|r| r.prefix == *n).collect();
            match exact.iter().find(|r| !via_msee(r)) {
                _ if exact.is_empty() => found.push((format!("{n} has no route on the CE"), format!("{source}: no route for {n}"), false)),
                Some(r) => found.push((format!("{n} goes via {}, not the MSEE", r.via()), format!("{}: via {}", r.what, r.via()), unsure(r))),
                None => {}
            }
            for r in routes.iter().filter(|r| r.prefix != *n && n.contains(&r.prefix) && !via_msee(r)) {
                found.push((format!("{} (inside {n}) goes via {}, not the MSEE", r.prefix, r.via()), format!("{}: via {}", r.what, r.via()), unsure(r)));
            }
        }
        let (unsure_of, found): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| f.2);
        let unsure_of: Vec<String> = unsure_of.into_iter().map(|f| f.1).collect();
        let (problems, evidence): (Vec<String>, Vec<String>) = found.into_iter().map(|f| (f.0, f.1)).unzip();
        let list = vnet.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
        let f = if problems.is_empty() && !unsure_of.is_empty() {
            Finding::unknown(c, format!(
                "The CE shows {} route(s) to the VNet through a link-local next hop, which may be the MSEE's: which router it is cannot be told from this output.",
                unsure_of.len()
            ))
            .evidence_all(unsure_of)
            .fix("Give the CE's routes with the MSEE's global next hop: on FRR `show bgp ipv6 unicast json` (it lists both next hops), or `set ipv6 next-hop prefer-global` in the route-map from the MSEE; or `show ipv6 route` with the outgoing interface.")
        } else if problems.is_empty() {
            Finding::pass(c, format!("The CE's best route for every VNet prefix the MSEE advertises ({list}) goes to the MSEE.")).evidence(format!("{source}: {list} via the MSEE"))
        } else {
            Finding::fail(c, format!("The CE does not route VNet traffic to the MSEE {}: {}.", sub.msee, problems.join("; ")))
                .evidence_all(evidence)
                .fix("Make the route via the MSEE the best on the CE: remove the competing static route (or raise its distance), lower the VPN's local preference, and remove more specific routes to the VNet through other next hops.")
        };
        Some(f)
    });
}
