use super::each;
use crate::ce::{at, facing_interface, facing_neighbor, snippet};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Neither the CE subinterface facing the MSEE nor the BGP neighbor
    /// towards it is administratively shut down.
    ///
    /// ## Why it matters
    /// A `shutdown` left on the subinterface or the neighbor takes the path
    /// down while every value matches.
    ///
    /// ## Evidence
    /// `shutdown` (interface), `neighbor … shutdown`, Junos `disable`.
    ///
    /// ## Remediation
    /// Remove the shutdown.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate ARP".
    pub static CE_NEIGHBOR_SHUTDOWN = {
        id: "ER906", name: "ce-neighbor-shutdown", layer: CustomerEdge, owner: Customer, points: [2],
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |_, f, p, sub| {
        let mut shut = Vec::new();
        if let Some(i) = facing_interface(&f.config, p, &sub) {
            if let Some(s) = i.shutdown {
                shut.push((format!("interface {} is shut down ({})", i.name.value, at(f, s)), snippet(f, s, "administratively down")));
            }
        }
        if let Some(n) = facing_neighbor(&f.config, &sub) {
            if let Some(s) = n.shutdown {
                shut.push((format!("neighbor {} is shut down ({})", n.address.value, at(f, s)), snippet(f, s, "administratively down")));
            }
        }
        if facing_interface(&f.config, p, &sub).is_none() && facing_neighbor(&f.config, &sub).is_none() {
            return None;
        }
        let finding = if shut.is_empty() {
            Finding::pass(c, "Neither the subinterface nor the neighbor facing the MSEE is shut down.")
        } else {
            let (msgs, ev): (Vec<String>, Vec<String>) = shut.into_iter().unzip();
            Finding::fail(c, format!("{}: {}.", f.file, msgs.join("; "))).evidence_all(ev).fix("Remove the shutdown.")
        };
        Some(finding)
    });
}
