use super::each_path_shows;
use crate::ce::facing_interface_known;
use erdiag_ce::values::{is_addr, same_interface};
use crate::{Check, Context, Finding};
use erdiag_ce::Model;

check! {
    /// ## What it checks
    /// From the CE's own ARP table (`show ip arp`, `show arp`, given with
    /// `--ce`): the MSEE's address on each path (the second usable address
    /// of the /30) is resolved to a MAC address, on the interface facing the
    /// MSEE (known from a configuration given for the path, or from `show
    /// interfaces`: the one addressed in the /30). Skipped when no ARP table
    /// was given.
    ///
    /// ## Why it matters
    /// It is the other half of the guide's ARP step: the MSEE's table tells
    /// whether the MSEE hears the CE; the CE's table tells whether the CE
    /// hears the MSEE. Both Incomplete points at the layer-2 path between them
    /// (VLAN tags, the provider's handoff); only one side at the direction.
    /// An entry learned on another interface means the /30 (or the VLAN) is
    /// also configured there: replies and BGP may leave by the wrong port.
    ///
    /// ## Evidence
    /// The CE's ARP entry for the MSEE address, with its interface; the
    /// configuration line or `show interfaces` row of the facing interface.
    ///
    /// ## Remediation
    /// Check the CE subinterface's VLAN tag and state, then ask the provider
    /// to check the layer-2 handoff for that path. Wrong interface: keep the
    /// path's /30 on the facing subinterface only.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate ARP".
    pub static CE_ARP_MSEE_MISSING = {
        id: "ER908", name: "ce-arp-msee-missing", layer: CustomerEdge, owner: Customer, points: [2, 3, 4, 5],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_path_shows(cx, out, |d, shows, p, sub| {
        let mut found = Vec::new();
        for o in shows {
            let (at, Model::Arp(rows)) = (&o.at, &o.parsed.model) else { continue };
            let entry = rows.iter().find(|r| is_addr(&r.ip, sub.msee));
            let concerns = entry.is_some() || rows.iter().any(|r| r.ip.parse::<std::net::IpAddr>().is_ok_and(|ip| sub.net.contains(&ip)));
            if !concerns {
                continue; // this ARP table is not about this peering's subnet
            }
            let on = |e: &erdiag_ce::model::ArpEntry| e.interface.as_deref().map(|i| format!(" on {i}")).unwrap_or_default();
            let f = match entry {
                Some(e) if !e.incomplete && e.mac.is_some() => {
                    let facing = facing_interface_known(&cx.ce[d.index()], p, &sub, shows);
                    match (&e.interface, facing) {
                        (Some(i), Some(f)) if !same_interface(i, &f.name) => Finding::fail(c, format!(
                            "The CE resolves the MSEE {} on {i}, not on {}, the interface facing the MSEE: the MSEE's address is reached through the wrong interface.",
                            sub.msee, f.name
                        ))
                        .evidence(format!("{at}: {} {}{}", e.ip, e.mac.as_deref().unwrap_or("?"), on(e)))
                        .evidence(f.evidence.clone())
                        .fix(format!("Keep the path's /30 ({}) on {} only: remove it (or the VLAN) from {i}, then clear the ARP entry.", sub.net, f.name)),
                        _ => Finding::pass(c, format!("The CE resolves the MSEE {} to {}{}.", sub.msee, e.mac.as_deref().unwrap_or("?"), on(e))),
                    }
                }
                Some(e) => Finding::fail(c, format!("The CE's ARP entry for the MSEE {} is Incomplete: the CE gets no ARP reply from the MSEE.", sub.msee))
                    .evidence(format!("{at}: {} incomplete{}", e.ip, on(e)))
                    .fix("Check the CE subinterface's VLAN tag and state, then ask the provider to check the layer-2 handoff for this path."),
                None => Finding::fail(c, format!("The CE's ARP table has no entry for the MSEE {}: the CE has not reached it at layer 2.", sub.msee))
                    .evidence(format!("{at}: no entry for {}", sub.msee))
                    .fix("Ping the MSEE from the CE subinterface, then check its VLAN tag and state and the provider's handoff."),
            };
            found.push(f);
        }
        found
    });
}
