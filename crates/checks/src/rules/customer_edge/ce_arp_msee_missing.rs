use super::each_show;
use crate::{Context, Finding};
use erdiag_ce::Model;

check! {
    /// ## What it checks
    /// From the CE's own ARP table (`show ip arp`, `show arp`, given with
    /// `--ce`): the MSEE's address on each path (the second usable address
    /// of the /30) is resolved to a MAC address. Skipped when no ARP table
    /// was given.
    ///
    /// ## Why it matters
    /// It is the other half of the guide's ARP step: the MSEE's table tells
    /// whether the MSEE hears the CE; the CE's table tells whether the CE
    /// hears the MSEE. Both Incomplete points at the layer-2 path between them
    /// (VLAN tags, the provider's handoff); only one side at the direction.
    ///
    /// ## Evidence
    /// The CE's ARP entry for the MSEE address, with its interface.
    ///
    /// ## Remediation
    /// Check the CE subinterface's VLAN tag and state, then ask the provider
    /// to check the layer-2 handoff for that path.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate ARP".
    pub static CE_ARP_MSEE_MISSING = {
        id: "ER908",
        name: "ce-arp-msee-missing",
        layer: CustomerEdge,
        owner: Customer,
        points: [2, 3, 4, 5],
        breaks_path: false,
        explainable: true,
        run: run,
    };
}

fn run(cx: &Context, out: &mut Vec<Finding>) {
    let c = &CE_ARP_MSEE_MISSING;
    each_show(cx, |d, at, parsed, p, sub| {
        let Model::Arp(rows) = &parsed.model else { return };
        let entry = rows.iter().find(|r| r.ip.parse::<std::net::IpAddr>().ok() == Some(sub.msee));
        let concerns = entry.is_some() || rows.iter().any(|r| r.ip.parse::<std::net::IpAddr>().is_ok_and(|ip| sub.net.contains(&ip)));
        if !concerns {
            return; // this ARP table is not about this peering's subnet
        }
        let f = match entry {
            Some(e) if !e.incomplete && e.mac.is_some() => Finding::pass(c, format!(
                "The CE resolves the MSEE {} to {}{}.",
                sub.msee,
                e.mac.as_deref().unwrap_or("?"),
                e.interface.as_deref().map(|i| format!(" on {i}")).unwrap_or_default()
            )),
            Some(e) => Finding::fail(c, format!("The CE's ARP entry for the MSEE {} is Incomplete: the CE gets no ARP reply from the MSEE.", sub.msee))
                .evidence(format!("{at}: {} incomplete{}", e.ip, e.interface.as_deref().map(|i| format!(" on {i}")).unwrap_or_default()))
                .fix("Check the CE subinterface's VLAN tag and state, then ask the provider to check the layer-2 handoff for this path."),
            None => Finding::fail(c, format!("The CE's ARP table has no entry for the MSEE {}: the CE has not reached it at layer 2.", sub.msee))
                .evidence(format!("{at}: no entry for {}", sub.msee))
                .fix("Ping the MSEE from the CE subinterface, then check its VLAN tag and state and the provider's handoff."),
        };
        out.push(f.peering(p.name()).path(d));
    });
}
