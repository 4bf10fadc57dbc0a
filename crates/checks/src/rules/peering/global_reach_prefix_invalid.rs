use crate::globalreach;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Each Global Reach link's `addressPrefix` is an IPv4 /29 with no host
    /// bits set, and its `ipv6CircuitConnectionConfig.addressPrefix`, when
    /// there is one, an IPv6 /125.
    ///
    /// ## Why it matters
    /// The two circuits' MSEEs address each other inside this subnet (two
    /// /30s of the /29, one per path). Any other length is refused when the
    /// link is created, or, written by another tool, leaves the link unusable.
    ///
    /// ## Evidence
    /// The private peering's `connections[]` and `peeredConnections[]`, or the
    /// links read one by one (`{peeringId}/connections/{name}`,
    /// `{peeringId}/peerConnections/{name}`): `addressPrefix`,
    /// `ipv6CircuitConnectionConfig.addressPrefix`. Skipped when the private
    /// peering links to no other circuit.
    ///
    /// ## Remediation
    /// Recreate the link with a /29 (IPv6 /125) that no VNet, on-premises
    /// network or peering uses.
    ///
    /// ## References
    /// Configure ExpressRoute Global Reach (a /29 IPv4 subnet, a /125 IPv6
    /// subnet, neither overlapping other address space).
    pub static GLOBAL_REACH_PREFIX_INVALID = {
        id: "ER210", name: "global-reach-prefix-invalid", layer: Peering, owner: Customer, points: [5],
    };
}

/// `None` when the prefix is a network of that length; else what is wrong.
pub(crate) fn problem(raw: &str, v6: bool) -> Option<String> {
    let (want, family) = if v6 { (125, "IPv6") } else { (29, "IPv4") };
    match raw.trim().parse::<ipnet::IpNet>() {
        Err(_) => Some(format!("{raw} is not a prefix")),
        Ok(n) if n.addr().is_ipv6() != v6 => Some(format!("{raw} is not an {family} prefix")),
        Ok(n) if n.prefix_len() != want => Some(format!("{raw} is a /{}, not a /{want}", n.prefix_len())),
        Ok(n) if n.trunc() != n => Some(format!("{raw} has host bits set (the network is {})", n.trunc())),
        Ok(_) => None,
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    globalreach::per_link(c, cx, out, |link, _| {
        let who = globalreach::label(link);
        let body = link.body();
        let Some(v4) = body.properties.address_prefix.as_deref().or(link.embedded.properties.address_prefix.as_deref()) else {
            return Finding::unknown(c, format!("{who}: addressPrefix is not in the input.")).evidence("addressPrefix: (absent)");
        };
        let v6 = body.properties.ipv6_circuit_connection_config.as_ref().and_then(|x| x.address_prefix.as_deref());
        let mut evidence = vec![format!("addressPrefix: {v4}")];
        let mut problems: Vec<String> = problem(v4, false).into_iter().collect();
        if let Some(v6) = v6 {
            evidence.push(format!("ipv6CircuitConnectionConfig.addressPrefix: {v6}"));
            problems.extend(problem(v6, true));
        }
        let f = if problems.is_empty() {
            Finding::pass(c, format!("{who}: {v4} is a valid /29{}.", if v6.is_some() { " and its IPv6 subnet a /125" } else { "" }))
        } else {
            Finding::fail(c, format!("{who}: {}.", problems.join("; ")))
                .fix("Recreate the Global Reach link with a /29 (IPv6 /125) that no VNet, on-premises network or peering uses.")
        };
        f.evidence_all(evidence)
    });
}
