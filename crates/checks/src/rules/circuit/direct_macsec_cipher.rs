use crate::direct::{label, links, port};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct port with MACsec, each link's `cipher`: one
    /// of the four ARM accepts (`GcmAes128`, `GcmAes256`, `GcmAesXpn128`,
    /// `GcmAesXpn256`), else it fails; and, on a port of 100 Gbps, a cipher
    /// without extended packet numbering (not XPN) warns. A link without
    /// MACsec is not judged; no MACsec on the port is `skip` (not used).
    ///
    /// ## Why it matters
    /// The cipher must be the same on the customer's router as on
    /// Microsoft's, or MKA never brings the secure channel up and the link
    /// carries nothing. GCM-AES with 32-bit packet numbers must rekey every
    /// 2³² frames: at 100 Gbps of small frames that is every few tens of
    /// seconds, which is why IEEE 802.1AEbw added the XPN ciphers (64-bit
    /// packet numbers) for fast links. Microsoft's documents list the four
    /// ciphers and do not tie a cipher to a port speed, so the 100 Gbps case
    /// warns and never fails.
    ///
    /// ## Evidence
    /// The port's `bandwidthInGbps` and each link's `macSecConfig.cipher`.
    ///
    /// ## Remediation
    /// Set a cipher ARM accepts, the same on both links and on your
    /// routers; on 100 Gbps ports prefer `GcmAesXpn128` or `GcmAesXpn256`
    /// where your routers support XPN.
    ///
    /// ## References
    /// Configure MACsec on ExpressRoute Direct ports
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-macsec);
    /// ExpressRouteLinkMacSecCipher (REST API, Microsoft.Network);
    /// IEEE 802.1AEbw-2013 (extended packet numbering).
    pub static DIRECT_MACSEC_CIPHER = {
        id: "ER114", name: "direct-macsec-cipher-unsupported", layer: Circuit, owner: Customer, points: [2, 5],
    };
}

const CIPHERS: &[&str] = &["GcmAes128", "GcmAes256", "GcmAesXpn128", "GcmAesXpn256"];

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let (_, port) = match port(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let name = port.name.as_deref().unwrap_or("the port");
    let speed = port.properties.bandwidth_in_gbps;
    let mut any = false;
    for link in links(port) {
        let Some(m) = link.macsec() else { continue };
        any = true;
        let f = match m.cipher.as_deref() {
            None => Finding::unknown(c, format!("{} of port {name} has MACsec secrets but its body states no cipher.", label(link))),
            Some(x) if !CIPHERS.iter().any(|k| k.eq_ignore_ascii_case(x)) => {
                Finding::fail(c, format!("{} of port {name}: cipher {x} is not one ARM accepts ({}).", label(link), CIPHERS.join(", "))).fix("Set one of GcmAes128, GcmAes256, GcmAesXpn128, GcmAesXpn256, the same as on your router.")
            }
            Some(x) if speed.is_some_and(|s| s >= 100.0) && !x.to_ascii_lowercase().contains("xpn") => Finding::warn(
                c,
                format!("{} of port {name}: cipher {x} on a 100 Gbps port rekeys every 2^32 frames (seconds at line rate); an XPN cipher does not.", label(link)),
            )
            .fix("Prefer GcmAesXpn128 or GcmAesXpn256 on 100 Gbps ports, where your routers support XPN, the same on both ends."),
            Some(x) => Finding::pass(c, format!("{} of port {name}: cipher {x}.", label(link))),
        };
        let speed_text = speed.map_or("bandwidth not stated".into(), |s| format!("{s} Gbps"));
        out.push(f.maybe_path(link.path()).evidence(format!("{}: cipher {}, port {speed_text}", link.name(), m.cipher.as_deref().unwrap_or("(none)"))));
    }
    if !any {
        out.push(Finding::not_used(c, format!("MACsec is configured on no link of port {name}.")));
    }
}
