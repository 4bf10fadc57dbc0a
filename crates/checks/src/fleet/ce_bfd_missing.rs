use super::{list, CeBfd, Fleet};
use crate::{Check, Finding};
use erdiag_model::DevicePath;

check! {
    /// ## What it checks
    /// For each virtual network gateway, BFD is configured on the CE
    /// routers' BGP sessions towards the MSEEs, on both paths of every
    /// circuit of the gateway, wherever their configurations were supplied
    /// (`--ce`, `inputs.ce`). Without any CE configuration it says `skip`,
    /// never `fail`; with some, the paths without one are `unknown`.
    ///
    /// ## Why it matters
    /// Failover between paths and between the gateway's circuits is only as
    /// fast as the slowest CE notices a dead link: without BFD that is the
    /// BGP hold timer (up to 180 s of blackholed traffic), with BFD about a
    /// second. One CE without BFD makes the whole gateway's failover slow
    /// for the traffic it carries. A single circuit's report gives each path
    /// (ER905 ce-bfd-disabled, read from the same neighbor facing the MSEE);
    /// this check gathers them per gateway.
    ///
    /// ## Evidence
    /// The CE configuration of each path: the BGP neighbor in the path's /30
    /// and its BFD statement (IOS/IOS-XE `neighbor … fall-over bfd`, IOS-XR
    /// `bfd fast-detect`, Junos `bfd-liveness-detection`, EOS and FRR
    /// `neighbor … bfd`).
    ///
    /// ## Remediation
    /// Enable BFD on each CE's interface and for its MSEE neighbor (on IOS:
    /// `bfd interval 300 min_rx 300 multiplier 3` on the subinterface and
    /// `neighbor X fall-over bfd`).
    ///
    /// ## References
    /// Configure BFD over ExpressRoute
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-bfd);
    /// Designing for high availability with ExpressRoute
    /// (https://learn.microsoft.com/azure/expressroute/designing-for-high-availability-with-expressroute).
    pub static CE_BFD_MISSING = {
        id: "ER008", name: "ce-bfd-missing", layer: Resiliency, owner: Customer, points: [2],
    };
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_gateway(out, |g| {
        let (mut on, mut off, mut unsure, mut none) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for m in &g.members {
            let Some(p) = m.circuit.private() else { continue };
            for d in DevicePath::BOTH {
                let label = format!("{} {d}", m.circuit.name);
                match p.path(d).bfd {
                    CeBfd::On => on.push(label),
                    CeBfd::Off => off.push(label),
                    CeBfd::NoNeighbor => unsure.push(format!("{label} (no BGP neighbor in the path's /30 in its CE configuration)")),
                    CeBfd::NotSupplied => none.push(label),
                }
            }
        }
        let f = if !off.is_empty() {
            Finding::warn(c, format!("Gateway {}: BFD is not configured on the CE session of {}: a dead path is noticed only when the BGP hold timer expires.", g.name(), list(&off)))
                .fix("Enable BFD on those CEs' interfaces and for their MSEE neighbors (e.g. `neighbor X fall-over bfd` on IOS).")
        } else if on.is_empty() && unsure.is_empty() {
            Finding::skip(c, format!("Gateway {}: no CE configuration supplied for its circuits (--ce primary=FILE --ce secondary=FILE when collecting).", g.name()))
        } else if !unsure.is_empty() || !none.is_empty() {
            let mut missing = unsure.clone();
            missing.extend(none.iter().map(|l| format!("{l} (no CE configuration supplied)")));
            Finding::unknown(c, format!("Gateway {}: BFD is on where the CE configuration says, but not known for {}.", g.name(), list(&missing)))
        } else {
            Finding::pass(c, format!("Gateway {}: BFD is on for every CE session of its circuits ({} paths).", g.name(), on.len()))
        };
        Some(if on.is_empty() { f } else { f.evidence(format!("BFD on: {}", list(&on))) })
    });
}
