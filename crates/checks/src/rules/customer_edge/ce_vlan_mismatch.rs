use super::each;
use crate::ce::{at, facing_interface, snippet};
use crate::{Check, Context, Finding, Status};

check! {
    /// ## What it checks
    /// On each path, the CE subinterface facing the MSEE (the one addressed
    /// in the path's /30, or else the one tagged with the peering's VLAN)
    /// carries the peering's VLAN ID as its 802.1Q tag. With QinQ the inner
    /// tag (C-tag) is compared with the peering's VLAN; on ExpressRoute
    /// Direct the outer tag (S-tag) with the circuit's S-tag (`stag`), and
    /// without it in the snapshot the finding is unknown. On a provider's
    /// circuit the outer tag is the provider's business and is not compared.
    ///
    /// ## Why it matters
    /// The MSEE only answers frames tagged with the peering's VLAN. A CE
    /// that tags another VLAN never gets an ARP reply: the MSEE's ARP entry
    /// for the CE stays Incomplete and BGP never starts. The guide: "verify
    /// that the VlanId, AzureASN, and PeerASN values on the MSEEs match those
    /// on the linked CE/PE-MSEE".
    ///
    /// ## Evidence
    /// The CE configuration (`encapsulation dot1Q`, `vlan-id`, `vlan-tags`,
    /// `encapsulation dot1q vlan`, a Linux `eth0.200` name on FRR) against
    /// the peering's `vlanId`; on ExpressRoute Direct with QinQ, the outer
    /// tag (`encapsulation dot1Q <outer> second-dot1q <inner>`, `vlan-tags
    /// outer`) against the circuit's `stag`.
    ///
    /// ## Remediation
    /// Tag the CE subinterface with the peering's VLAN ID (or change the
    /// peering's VLAN to match, on both ends at once).
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate peering configuration".
    pub static CE_VLAN_MISMATCH = {
        id: "ER901", name: "ce-vlan-mismatch", layer: CustomerEdge, owner: Customer, points: [2],
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |_, f, p, sub| {
        let Some(want) = p.peering.properties.vlan_id else { return None };
        let Some(i) = facing_interface(&f.config, p, &sub) else {
            return Some(
                Finding::fail(c, format!("{}: no subinterface faces the MSEE: none has an address in {} or the tag {want}.", f.file, sub.net))
                    .fix(format!("Configure a subinterface tagged with VLAN {want} and address {}/{}.", sub.customer, sub.net.prefix_len())),
            );
        };
        // With QinQ the peering's VLAN is the inner (customer) tag.
        let (tag, label) = match (&i.inner_vlan, &i.vlan) {
            (Some(inner), _) => (Some(inner), "C-tag"),
            (None, Some(outer)) => (Some(outer), "802.1Q tag"),
            (None, None) => (None, ""),
        };
        let mut f_out = match tag {
            None => Finding::fail(c, format!("{} ({}) has no VLAN tag; Azure expects {want}.", i.name.value, at(f, i.name.span)))
                .evidence(snippet(f, i.name.span, &format!("untagged; Azure expects VLAN {want}")))
                .fix(format!("Tag {} with VLAN {want}.", i.name.value)),
            Some(t) if t.value as u64 != want => Finding::fail(
                c,
                format!("Subinterface {} has {label} {}, Azure expects {want} ({}).", i.name.value, t.value, at(f, t.span)),
            )
            .evidence(snippet(f, t.span, &format!("Azure expects {want}")))
            .fix(format!("Set the {label} of {} to {want}, the peering's VLAN ID.", i.name.value)),
            Some(t) => Finding::pass(c, format!("Subinterface {} carries VLAN {} ({}).", i.name.value, t.value, at(f, t.span))),
        };
        // On ExpressRoute Direct with QinQ the outer tag is the circuit's
        // S-tag; on a provider's circuit the provider handles the outer tag.
        if let (true, Some(_), Some(outer)) = (cx.state.circuit.is_direct(), &i.inner_vlan, &i.vlan) {
            let stag = cx.state.circuit.properties.stag;
            f_out = match (f_out.status, stag) {
                (_, Some(s)) if outer.value as u64 != s => {
                    let msg = format!("Subinterface {} has S-tag {}, the circuit's S-tag is {s} ({}).", i.name.value, outer.value, at(f, outer.span));
                    let fix = format!("Set the outer (S-) tag of {} to {s}, the circuit's S-tag.", i.name.value);
                    let ev = snippet(f, outer.span, &format!("the circuit's S-tag is {s}"));
                    if f_out.status == Status::Fail {
                        let (m, r) = (f_out.message.clone(), f_out.remediation.clone().unwrap_or_default());
                        Finding { message: format!("{m} {msg}"), ..f_out }.evidence(ev).fix(format!("{r} {fix}"))
                    } else {
                        Finding::fail(c, msg).evidence(ev).fix(fix)
                    }
                }
                (Status::Pass, Some(s)) => Finding::pass(c, format!("Subinterface {} carries S-tag {s} and C-tag {want} ({}).", i.name.value, at(f, outer.span))),
                (Status::Pass, None) => Finding::unknown(c, format!(
                    "Subinterface {} carries C-tag {want}; the circuit's S-tag (`stag`) is not in the snapshot, so its S-tag {} cannot be compared.",
                    i.name.value, outer.value
                )),
                _ => f_out,
            };
        }
        Some(f_out)
    });
}
