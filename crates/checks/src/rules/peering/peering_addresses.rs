use crate::facts;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Computes, for each peering and path, the addresses the two ends must
    /// use: the first usable address of the /30 for the CE (or PE-MSEE), the
    /// second usable for the MSEE. It never fails; the ARP and BGP checks
    /// compare what the MSEE sees against these addresses.
    ///
    /// ## Why it matters
    /// The guide: "Microsoft will use the second usable IP address for the
    /// MSEE interface. Ensure the first usable IP address is assigned to the
    /// peered CE/PE-MSEE." A swapped or shifted address is a common reason
    /// for an empty ARP entry.
    ///
    /// ## Evidence
    /// The peer subnets of each peering.
    ///
    /// ## Remediation
    /// Configure the CE interface with the first usable address and the BGP
    /// neighbor as the second.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate peering configuration".
    pub static PEERING_ADDRESSES = {
        id: "ER208", name: "peering-addresses", layer: Peering, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_path(out, |p, d| {
        let s = facts::addresses(&p.peering, d)?;
        Some(Finding::pass(c, format!("{}: CE/PE-MSEE must be {}, MSEE is {} (BGP neighbor).", s.net, s.customer, s.msee)))
    });
}
