use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Each peering has a VLAN ID from 1 to 4094, and no two peerings of the
    /// circuit share one.
    ///
    /// ## Why it matters
    /// Each peering is a separate 802.1Q subinterface on the MSEE (the C-tag
    /// inside the provider's S-tag on QinQ). Without a valid, unique tag the
    /// CE's frames land in the wrong peering or nowhere.
    ///
    /// ## Evidence
    /// `properties.vlanId` of each peering.
    ///
    /// ## Remediation
    /// Set a unique VLAN ID on each peering and the same on the CE's
    /// subinterface (or the provider's handoff).
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "verify that the VlanId, AzureASN,
    /// and PeerASN values on the MSEEs match those on the linked CE/PE-MSEE".
    pub static VLAN_INVALID = {
        id: "ER204", name: "vlan-invalid", layer: Peering, owner: Customer, points: [2, 5],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let peerings = &cx.state.peerings;
    cx.per_peering(out, |p, name| {
        let f = match p.peering.properties.vlan_id {
            None => return Some(crate::facts::absent(c, cx.state, crate::facts::Body::Peering(name), "properties.vlanId")),
            Some(v) if !(1..=4094).contains(&v) => Finding::fail(c, format!("{name} has VLAN ID {v}, outside 1–4094.")),
            Some(v) => {
                let dup: Vec<&str> = peerings
                    .iter()
                    .filter(|o| o.name() != name && o.peering.properties.vlan_id == Some(v))
                    .map(|o| o.name())
                    .collect();
                if dup.is_empty() {
                    Finding::pass(c, format!("{name} uses VLAN {v}."))
                } else {
                    Finding::fail(c, format!("{name} uses VLAN {v}, which {} also uses.", dup.join(", ")))
                }
            }
        };
        let f = if f.status == crate::Status::Fail {
            f.fix("Give each peering its own VLAN ID (1–4094) and tag the CE subinterface (or the provider handoff) with the same ID.")
        } else {
            f
        };
        Some(f.evidence(format!("vlanId: {}", p.peering.properties.vlan_id.map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into()))))
    });
}
