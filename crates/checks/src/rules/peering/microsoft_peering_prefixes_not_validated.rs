use crate::{Check, Context, Finding};
use erdiag_model::parse_prefix;

check! {
    /// ## What it checks
    /// On Microsoft peering: `advertisedPublicPrefixesState` is `Configured`
    /// (IPv4 and IPv6), and every advertised public prefix is public.
    ///
    /// ## Why it matters
    /// Microsoft accepts prefixes on Microsoft peering only after it has
    /// validated that the customer owns them. In `ValidationNeeded` the
    /// session may be up but the prefixes are dropped, so return traffic from
    /// Microsoft services has no route back. Private (RFC 1918, CGNAT)
    /// prefixes are never accepted.
    ///
    /// ## Evidence
    /// `microsoftPeeringConfig.advertisedPublicPrefixes` and
    /// `advertisedPublicPrefixesState`.
    ///
    /// ## Remediation
    /// Prove ownership of the prefixes: open a support request with the
    /// routing registry records (the prefixes must be registered to the
    /// customer or the peer ASN), or advertise prefixes you own. Replace
    /// private prefixes with public ones (NAT).
    ///
    /// ## References
    /// Create and modify routing for an ExpressRoute circuit (Microsoft
    /// peering); ExpressRoute NAT requirements.
    pub static MICROSOFT_PEERING_PREFIXES_NOT_VALIDATED = {
        id: "ER206", name: "microsoft-peering-prefixes-not-validated", layer: Peering, owner: Customer, points: [2, 5],
    };
}

fn is_private(net: &ipnet::IpNet) -> bool {
    match net {
        ipnet::IpNet::V4(n) => {
            let a = n.network();
            a.is_private() || a.is_loopback() || a.is_link_local() || (a.octets()[0] == 100 && (a.octets()[1] & 0xc0) == 64)
        }
        ipnet::IpNet::V6(n) => n.network().is_unique_local() || n.network().is_unicast_link_local(),
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, name| {
        if !p.peering.is_microsoft() {
            return None;
        }
        let props = &p.peering.properties;
        if props.microsoft_peering_config.is_none() {
            return Some(crate::facts::absent(c, cx.state, crate::facts::Body::Peering(name), "properties.microsoftPeeringConfig"));
        }
        let mut configs = vec![("IPv4", props.microsoft_peering_config.as_ref())];
        if let Some(v6) = &props.ipv6_peering_config {
            configs.push(("IPv6", v6.microsoft_peering_config.as_ref()));
        }
        let mut fails = Vec::new();
        let mut warns = Vec::new();
        let mut evidence = Vec::new();
        for (family, cfg) in configs {
            let Some(cfg) = cfg else {
                if family == "IPv4" {
                    fails.push("no microsoftPeeringConfig".to_string());
                }
                continue;
            };
            let state = cfg.advertised_public_prefixes_state.as_deref().unwrap_or("(absent)");
            evidence.push(format!("{family} advertisedPublicPrefixes: [{}], state: {state}", cfg.advertised_public_prefixes.join(", ")));
            match state {
                s if s.eq_ignore_ascii_case("Configured") => {}
                s if s.eq_ignore_ascii_case("ValidationNeeded") => {
                    fails.push(format!("{family} prefixes are awaiting ownership validation (ValidationNeeded)"))
                }
                s => warns.push(format!("{family} prefix state is {s}")),
            }
            for pfx in &cfg.advertised_public_prefixes {
                match parse_prefix(pfx) {
                    None => fails.push(format!("`{pfx}` is not a prefix")),
                    Some(n) if is_private(&n) => fails.push(format!("{n} is not a public prefix")),
                    Some(_) => {}
                }
            }
            if cfg.advertised_public_prefixes.is_empty() {
                warns.push(format!("no {family} public prefixes are advertised"));
            }
        }
        let f = if !fails.is_empty() {
            Finding::fail(c, format!("{name}: {}.", fails.join("; "))).fix(
                "Prove ownership of the advertised public prefixes (routing registry records naming the customer or its ASN, via a support request), or advertise public prefixes you own; NAT private addresses behind them.",
            )
        } else if !warns.is_empty() {
            Finding::warn(c, format!("{name}: {}.", warns.join("; "))).fix("Configure the public prefixes Microsoft peering should accept and wait for validation.")
        } else {
            Finding::pass(c, format!("{name}: advertised public prefixes are validated (Configured)."))
        };
        Some(f.evidence_all(evidence))
    });
}
