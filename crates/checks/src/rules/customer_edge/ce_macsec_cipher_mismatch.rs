use super::each_direct_link;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct circuit whose link and facing CE port both
    /// run MACsec: the link's `macSecConfig.cipher` (`GcmAes128`,
    /// `GcmAes256`, `GcmAesXpn128`, `GcmAesXpn256`) is a cipher suite the
    /// CE's policy offers, read from the vendor's names (IOS-XE
    /// `macsec-cipher-suite gcm-aes-xpn-256` in the `mka policy`, which may
    /// list several; Junos `cipher-suite gcm-aes-xpn-256` in the
    /// connectivity association; EOS `cipher aes256-gcm-xpn` in the
    /// profile). MACsec off at either end is ER920's.
    ///
    /// ## Why it matters
    /// The MKA key server picks one cipher suite both ends support and
    /// distributes the secure association key (SAK) for it. On the wire,
    /// when the CE's policy does not offer the link's cipher, no SAK is
    /// installed: MKA does not bring the secure channel up, and both ends,
    /// running MACsec, drop what is not protected by it. The link is up but
    /// passes no traffic. At the layers above, on the path the link carries:
    /// ARP for the peering's addresses gets no reply (the MSEE's On-Prem
    /// entry is Incomplete), the BGP session is down and no route is learned
    /// on it; the other path carries the traffic. When ARP, BGP or the
    /// layers above fail on that path in the same report, this finding is
    /// their root cause.
    ///
    /// ## Evidence
    /// The link's `macSecConfig.cipher`; the CE configuration of the link's
    /// path (`--ce`): the policy its facing port names and that policy's
    /// cipher suite. A policy that sets no suite leaves the platform's
    /// default, which erdiag does not assume: `unknown`.
    ///
    /// ## Remediation
    /// Set the same cipher at both ends: the link's `Cipher` with
    /// Set-AzExpressRoutePort, or the suite in the CE's MACsec policy.
    ///
    /// ## References
    /// Configure MACsec on ExpressRoute Direct ports
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-macsec);
    /// ExpressRouteLinkMacSecCipher (REST API, Microsoft.Network).
    pub static CE_MACSEC_CIPHER_MISMATCH = {
        id: "ER921", name: "ce-macsec-cipher-mismatch", layer: CustomerEdge, owner: Customer, points: [2, 5],
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

/// A cipher suite as (key bits, extended packet numbering), whatever the
/// spelling: ARM's `GcmAesXpn256`, IOS-XE's and Junos' `gcm-aes-xpn-256`.
fn suite(name: &str) -> Option<(u16, bool)> {
    let n: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    if !(n.contains("gcm") && n.contains("aes")) {
        return None;
    }
    let bits = if n.contains("256") { 256 } else if n.contains("128") { 128 } else { return None };
    Some((bits, n.contains("xpn")))
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_direct_link(c, cx, out, |x| {
        let link = x.link.name();
        let (Some(azure), Some(ce)) = (x.azure, x.ce) else {
            return Finding::not_used(c, format!("MACsec is not on at both ends of {link} (ER920 judges that)."));
        };
        let Some(theirs) = azure.cipher.as_deref() else {
            return Finding::unknown(c, format!("{link} has MACsec secrets but its body states no cipher."));
        };
        let Some(mine) = ce.cipher.as_ref() else {
            let policy = ce.policy.as_ref().map_or("no policy".to_string(), |p| format!("policy {}", p.value));
            return Finding::unknown(c, format!("CE port {} ({policy}) sets no cipher suite: the platform's default applies, which erdiag does not assume.", x.port))
                .fix(format!("Set the cipher suite explicitly in the CE's MACsec policy ({theirs}, as {link} does)."));
        };
        let offered: Vec<&str> = mine.value.split_whitespace().collect();
        let f = match suite(theirs) {
            None => Finding::unknown(c, format!("{link}'s cipher {theirs} is not one ARM defines (ER114 judges it).")),
            Some(want) if offered.iter().any(|o| suite(o) == Some(want)) => Finding::pass(c, format!("{link} uses {theirs}; CE port {} offers {}.", x.port, mine.value)),
            Some(_) => Finding::fail(c, format!("{link} uses {theirs}, but CE port {} offers only {} ({}): MKA cannot agree on a cipher, the secure channel does not come up and {}.", x.port, mine.value, crate::ce::at(x.file, mine.span), x.consequence()))
                .fix(format!("Set the same cipher at both ends: {theirs} in the CE's MACsec policy, or the link's Cipher (Set-AzExpressRoutePort) to the CE's suite.")),
        };
        f.evidence(format!("{link}: cipher {theirs}; CE {}: {}", x.port, crate::ce::snippet(x.file, mine.span, "cipher suite")))
    });
}

#[cfg(test)]
mod tests {
    use super::suite;

    #[test]
    fn arm_and_vendor_names_are_the_same_suite() {
        assert_eq!(suite("GcmAesXpn256"), suite("gcm-aes-xpn-256"));
        assert_eq!(suite("GcmAes128"), Some((128, false)));
        assert_ne!(suite("GcmAes256"), suite("gcm-aes-xpn-256"));
        assert_eq!(suite("aes256-gcm-xpn"), suite("GcmAesXpn256"));
        assert_eq!(suite("des-cbc"), None);
    }
}
