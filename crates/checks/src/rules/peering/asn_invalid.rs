use crate::facts::MICROSOFT_ASN;
use crate::{Check, Context, Finding, Status};

check! {
    /// ## What it checks
    /// Each peering's `azureASN` is 12076 and its `peerASN` is usable: not 0,
    /// not Microsoft's 12076, not in 65515–65520 (reserved by Azure for its
    /// own use), not 23456 (AS_TRANS).
    ///
    /// ## Why it matters
    /// The MSEE speaks eBGP as AS 12076 to the peer ASN configured here. A
    /// reserved peer ASN collides with the AS numbers Azure uses internally
    /// (65515 is the virtual network gateway): routes are dropped as loops or
    /// the session is refused.
    ///
    /// ## Evidence
    /// `properties.azureASN`, `properties.peerASN`.
    ///
    /// ## Remediation
    /// Use the customer's own public or private ASN outside the reserved
    /// range, the same on the peering and on the CE's `router bgp`.
    ///
    /// ## References
    /// ExpressRoute routing requirements; the guide's mismatch checklist.
    pub static ASN_INVALID = {
        id: "ER205", name: "asn-invalid", layer: Peering, owner: Customer, points: [2, 5],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, name| {
        let props = &p.peering.properties;
        let mut problems = Vec::new();
        match props.azure_asn {
            Some(MICROSOFT_ASN) | None => {}
            Some(a) => problems.push(format!("azureASN is {a}, not {MICROSOFT_ASN}")),
        }
        match props.peer_asn {
            None => {}
            Some(0) => problems.push("peerASN is 0".to_string()),
            Some(MICROSOFT_ASN) => problems.push("peerASN is Microsoft's own 12076".to_string()),
            Some(a @ 65515..=65520) => problems.push(format!("peerASN {a} is reserved by Azure (65515–65520)")),
            Some(23456) => problems.push("peerASN 23456 is AS_TRANS, not a real AS".to_string()),
            Some(a) if a > u32::MAX as u64 => problems.push(format!("peerASN {a} is larger than a 4-byte AS number")),
            Some(_) => {}
        }
        let ev = format!(
            "azureASN: {}, peerASN: {}",
            props.azure_asn.map(|a| a.to_string()).unwrap_or_else(|| "(absent)".into()),
            props.peer_asn.map(|a| a.to_string()).unwrap_or_else(|| "(absent)".into())
        );
        let f = if problems.is_empty() && props.peer_asn.is_none() {
            crate::facts::absent(c, cx.state, crate::facts::Body::Peering(name), "properties.peerASN")
        } else if problems.is_empty() && props.azure_asn.is_none() {
            crate::facts::absent(c, cx.state, crate::facts::Body::Peering(name), "properties.azureASN")
        } else if problems.is_empty() {
            Finding::pass(c, format!("{name}: AS {} (Microsoft) to AS {}.", props.azure_asn.unwrap_or(MICROSOFT_ASN), props.peer_asn.unwrap_or_default()))
        } else {
            Finding::new(c, Status::Fail, format!("{name}: {}.", problems.join("; ")))
                .fix("Use the customer's own ASN outside 65515–65520 (not 0, 12076 or 23456) as peerASN, the same as the CE's local AS.")
        };
        Some(f.evidence(ev))
    });
}
