use crate::facts::{self, L2};
use crate::flaps;
use crate::rules::bgp::bgp_prefix_limit_exceeded::BGP_PREFIX_LIMIT_EXCEEDED;
use crate::{Check, Context, Finding, Owner};
use erdiag_model::{BgpState, Collected};

check! {
    /// ## What it checks
    /// For each peering and path, the MSEE's BGP session with the CE (or
    /// PE-MSEE) is Established, as the route-table summary shows it.
    ///
    /// ## Why it matters
    /// Without the eBGP session the MSEE learns no on-premises routes and
    /// advertises none: the path carries no traffic. The guide: "If the eBGP
    /// peering state … is Active or Idle, verify that the primary and
    /// secondary peer subnets match the configuration on the linked
    /// CE/PE-MSEE. Ensure the VlanId, AzureASN, and PeerASN values are
    /// correct … If MD5 hashing is used, the shared key must be the same on
    /// both." When ARP on the same path is fine, layer 2 works and the
    /// mismatch is in BGP itself: the peer ASN or the MD5 key.
    ///
    /// ## Evidence
    /// `routeTablesSummary/{primary,secondary}` (`statePfxRcd`, `upDown`,
    /// `neighbor`, `as`), with the same path's ARP reading, and the
    /// circuit's Resource Health history
    /// (`…/providers/Microsoft.ResourceHealth/availabilityStatuses`).
    ///
    /// During Microsoft's planned maintenance of the circuit (its Resource
    /// Health history has a `Planned` status in progress at the snapshot's
    /// time) a session down on one path while the other is Established is
    /// the maintenance: the finding names it, owner Microsoft.
    ///
    /// ## Remediation
    /// During planned maintenance: no action, the other path carries the
    /// traffic; check it does. Otherwise, walk the guide's checklist on the CE: neighbor = the MSEE's (second
    /// usable) address, remote-as 12076, local AS = peerASN, the same MD5
    /// key as the peering (re-enter it on both sides if unsure: Azure never
    /// shows it), and no ACL blocking TCP 179.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the MSEE".
    pub static BGP_SESSION_DOWN = {
        id: "ER401", name: "bgp-session-down", layer: Bgp, owner: Customer, points: [2, 5],
        breaks_path: true, explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_path(out, |p, d| {
        let owner = if p.peering.managed_by_provider() { Owner::Provider } else { Owner::Customer };
        let points = facts::bgp_points(&p.peering);
        let addr = facts::addresses(&p.peering, d);
        let Collected::Ok(rows) = p.summary(d) else {
            return Some(facts::unread(c, p.summary(d), &format!("the {d} route-table summary")));
        };
        let Some(row) = facts::session_row(rows, addr.map(|a| a.customer)) else {
            return Some(
                Finding::fail(c, "The MSEE lists no BGP neighbor for this peering and path.")
                    .owner(Owner::Microsoft)
                    .points(&[5])
                    .evidence(format!("{d} routeTablesSummary: no rows"))
                    .fix("Open a Microsoft support request: the MSEE has no BGP neighbor configured for this peering."),
            );
        };
        let neighbor = row.neighbor.as_deref().unwrap_or("?");
        let mut ev = vec![format!(
            "{d} summary: neighbor {neighbor} AS {} state/PfxRcd {} up/down {}",
            row.asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            row.state_pfx_rcd,
            row.up_down.as_deref().unwrap_or("?")
        )];
        if let Some(a) = addr {
            if neighbor.parse::<std::net::IpAddr>().ok() != Some(a.customer) {
                ev.push(format!("the MSEE's neighbor is {neighbor}, but the first usable address of {} is {}", a.net, a.customer));
            }
        }
        let f = match &row.state_pfx_rcd {
            BgpState::Established(n) => {
                Finding::pass(c, format!("Established with {neighbor} for {}, {n} prefixes received.", row.up_down.as_deref().unwrap_or("?")))
            }
            BgpState::IdlePrefixLimit => Finding::fail(c, format!("The MSEE shut the session with {neighbor}: too many prefixes received (Idle (PfxCt))."))
                .consequence_of(&BGP_PREFIX_LIMIT_EXCEEDED),
            BgpState::IdleAdmin => Finding::fail(c, format!("The session with {neighbor} is administratively shut down (Idle (Admin))."))
                .fix("Check whether the peering or the CE neighbor is shut down (or the session was shut for exceeding the prefix limit), then re-enable it."),
            state => {
                // Microsoft's planned maintenance takes one path's sessions down itself.
                let other_up = facts::session(p, d.other()).is_some_and(|r| r.state_pfx_rcd.is_established());
                if let Some(m) = flaps::maintenance_now(cx.state).filter(|_| other_up) {
                    ev.push(m);
                    ev.push(format!("the {} path's session is Established", d.other()));
                    return Some(
                        Finding::fail(c, format!("BGP is {state} with {neighbor} during Microsoft's planned maintenance of the circuit: the redundancy is gone until it ends."))
                            .owner(Owner::Microsoft)
                            .points(&[5])
                            .evidence_all(ev)
                            .fix(format!("No action: the {} path carries the traffic; check it does (its session Established, its routes received, the gateway's peers with its MSEE Connected). If the session stays down after the maintenance ends, walk this check's checklist.", d.other())),
                    );
                }
                let l2 = facts::l2_state(p, d);
                if let Some(v6) = facts::session6(p, d).filter(|r| r.state_pfx_rcd.is_established()) {
                    ev.push(format!("the IPv6 session on {d} with {} is Established: the link works, the IPv4 session's configuration does not", v6.neighbor.as_deref().unwrap_or("?")));
                }
                let (msg, fix) = if l2 == L2::Up {
                    ev.push(format!("ARP on {d} is fine, so layer 2 works: the mismatch is in BGP itself"));
                    (
                        format!("BGP is {state} with {neighbor} although ARP is fine: peer ASN or MD5 key mismatch."),
                        format!(
                            "ARP is fine, so check BGP on the CE: remote-as {}, local AS {} (the peerASN), neighbor {} (the MSEE), and the MD5 key — Azure never displays it, so re-enter the same key on the peering and the CE. Also check no ACL blocks TCP 179.",
                            p.peering.properties.azure_asn.unwrap_or(facts::MICROSOFT_ASN),
                            p.peering.properties.peer_asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
                            addr.map(|a| a.msee.to_string()).unwrap_or_else(|| "?".into()),
                        ),
                    )
                } else {
                    (
                        format!("BGP is {state} with {neighbor}."),
                        "Verify that the /30 subnets, VlanId, AzureASN and PeerASN match the CE/PE-MSEE configuration and that the MD5 key is the same on both ends.".to_string(),
                    )
                };
                Finding::fail(c, msg).fix(fix)
            }
        };
        Some(f.owner(owner).points(points).evidence_all(ev))
    });
}
