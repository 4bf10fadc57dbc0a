use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{Collected, DevicePath};
use ipnet::IpNet;
use prefix_trie::PrefixMap;
use std::collections::BTreeSet;

check! {
    /// ## What it checks
    /// No on-premises prefix the MSEE learned overlaps a virtual network
    /// prefix it learned from the gateway (AS 65515). An on-premises prefix
    /// equal to or inside a VNet prefix fails; an on-premises supernet that
    /// contains a VNet prefix warns.
    ///
    /// ## Why it matters
    /// Overlapping address space makes some destinations ambiguous: traffic
    /// for part of the VNet is sent to on-premises (or the reverse), and
    /// hosts in the overlap cannot reach each other. A supernet (say
    /// 10.0.0.0/8 over a 10.1.0.0/16 VNet) works in Azure, where the more
    /// specific VNet route wins, but can blackhole on-premises traffic.
    ///
    /// ## Evidence
    /// `routeTables/{primary,secondary}`: routes whose AS path ends in 65515
    /// (VNet) against the others (on-premises).
    ///
    /// ## Remediation
    /// Renumber the overlapping range, or stop advertising it to the MSEE.
    ///
    /// ## References
    /// ExpressRoute routing requirements; Plan virtual networks (address
    /// space must not overlap on-premises ranges).
    pub static ROUTES_OVERLAP_VNET = {
        id: "ER502", name: "routes-overlap-vnet", layer: Routes, owner: Customer, points: [1, 2, 7],
    };
}

#[derive(Default)]
struct Trie {
    v4: PrefixMap<ipnet::Ipv4Net, ()>,
    v6: PrefixMap<ipnet::Ipv6Net, ()>,
}

impl Trie {
    fn insert(&mut self, n: IpNet) {
        match n {
            IpNet::V4(n) => {
                self.v4.insert(n.trunc(), ());
            }
            IpNet::V6(n) => {
                self.v6.insert(n.trunc(), ());
            }
        }
    }
    /// VNet prefixes equal to or containing `n`.
    fn covering(&self, n: IpNet) -> Vec<IpNet> {
        match n {
            IpNet::V4(n) => self.v4.cover(&n.trunc()).map(|(p, _)| IpNet::V4(*p)).collect(),
            IpNet::V6(n) => self.v6.cover(&n.trunc()).map(|(p, _)| IpNet::V6(*p)).collect(),
        }
    }
    /// VNet prefixes strictly inside `n`.
    fn inside(&self, n: IpNet) -> Vec<IpNet> {
        match n {
            IpNet::V4(n) => self.v4.children(&n.trunc()).map(|(p, _)| IpNet::V4(*p)).filter(|p| p.prefix_len() > n.prefix_len()).collect(),
            IpNet::V6(n) => self.v6.children(&n.trunc()).map(|(p, _)| IpNet::V6(*p)).filter(|p| p.prefix_len() > n.prefix_len()).collect(),
        }
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, _| {
        let mut vnet = BTreeSet::new();
        let mut onprem = BTreeSet::new();
        let mut collected = 0;
        for d in DevicePath::BOTH {
            if let Collected::Ok(rows) = p.routes(d) {
                collected += 1;
                for r in rows {
                    if let Some(n) = r.prefix() {
                        if facts::is_vnet_route(r) {
                            vnet.insert(n.trunc());
                        } else if facts::is_onprem_route(r) {
                            onprem.insert(n.trunc());
                        }
                    }
                }
            }
        }
        if collected == 0 {
            return p.peering.is_private().then(|| Finding::unknown(c, "Neither route table of the private peering was collected."));
        }
        if vnet.is_empty() {
            return None; // no VNet routes on this peering (Microsoft peering, or no gateway).
        }
        let mut trie = Trie::default();
        for n in &vnet {
            trie.insert(*n);
        }
        let mut inside = Vec::new();
        let mut supernets = Vec::new();
        for n in &onprem {
            for v in trie.covering(*n) {
                inside.push(if v == *n { format!("on-premises {n} equals VNet {v}") } else { format!("on-premises {n} lies inside VNet {v}") });
            }
            for v in trie.inside(*n) {
                supernets.push(format!("on-premises {n} contains VNet {v}"));
            }
        }
        let f = if !inside.is_empty() {
            Finding::fail(c, format!("{} on-premises prefix(es) overlap the VNet address space: traffic for the overlap is ambiguous.", inside.len()))
                .evidence_all(inside.into_iter().take(10))
                .evidence_all(supernets.into_iter().take(5))
                .fix("Renumber the overlapping on-premises range or the VNet, or stop advertising the overlapping prefix to the MSEE.")
        } else if !supernets.is_empty() {
            Finding::warn(c, "An on-premises supernet contains a VNet prefix: Azure prefers the VNet route, but on-premises traffic may be blackholed.")
                .evidence_all(supernets.into_iter().take(10))
                .fix("Advertise more specific on-premises prefixes that do not contain the VNet address space.")
        } else {
            Finding::pass(c, format!("{} on-premises prefix(es) and {} VNet prefix(es) do not overlap.", onprem.len(), vnet.len()))
        };
        Some(f)
    });
}
