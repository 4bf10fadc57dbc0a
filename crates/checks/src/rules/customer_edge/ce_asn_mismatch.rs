use super::each;
use crate::ce::{at, facing_neighbor, snippet};
use crate::facts::MICROSOFT_ASN;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On each path, the CE's BGP neighbor towards the MSEE has `remote-as`
    /// equal to the peering's azureASN (12076), and the CE speaks as the
    /// peering's peerASN (the `router bgp` AS, or a `local-as` override on
    /// the neighbor). 4-byte ASNs in asplain and asdot forms compare equal.
    ///
    /// ## Why it matters
    /// An AS mismatch makes the BGP OPEN fail: the session stays Active or
    /// Idle although ARP is fine. The guide lists AzureASN and PeerASN among
    /// the values that must match on both ends.
    ///
    /// ## Evidence
    /// `router bgp`, `neighbor … remote-as`, `local-as` (or Junos
    /// `autonomous-system`, `peer-as`) against the peering.
    ///
    /// ## Remediation
    /// Set `remote-as 12076` on the MSEE neighbor and use the peering's
    /// peerASN as the CE's AS (or change the peering's peerASN).
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the MSEE".
    pub static CE_ASN_MISMATCH = {
        id: "ER903", name: "ce-asn-mismatch", layer: CustomerEdge, owner: Customer, points: [2],
        breaks_path: true,
        explains: [Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |_, f, p, sub| {
        let Some(bgp) = &f.config.bgp else { return None };
        let Some(n) = facing_neighbor(&f.config, &sub) else { return None }; // ce-ip-mismatch reports it
        let azure = p.peering.properties.azure_asn.unwrap_or(MICROSOFT_ASN);
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        match &n.remote_as {
            None => problems.push(format!("neighbor {} has no remote-as", n.address.value)),
            Some(r) if r.value as u64 != azure => {
                evidence.push(snippet(f, r.span, &format!("Azure's AS is {azure}")));
                problems.push(format!("neighbor {} has remote-as {}, Azure expects {azure} ({})", n.address.value, r.value, at(f, r.span)));
            }
            Some(_) => {}
        }
        let local = n.local_as.as_ref().unwrap_or(&bgp.local_as);
        if let Some(peer) = p.peering.properties.peer_asn {
            if local.value as u64 != peer {
                evidence.push(snippet(f, local.span, &format!("the peering's peerASN is {peer}")));
                problems.push(format!("the CE speaks as AS {}, the peering's peerASN is {peer} ({})", local.value, at(f, local.span)));
            }
        }
        let finding = if problems.is_empty() {
            Finding::pass(c, format!("The CE (AS {}) peers with remote-as {azure}.", local.value))
        } else {
            Finding::fail(c, format!("{}: {}.", f.file, problems.join("; ")))
                .evidence_all(evidence)
                .fix(format!("Use remote-as {azure} for neighbor {} and the peering's peerASN as the CE's AS.", n.address.value))
        };
        Some(finding)
    });
}
