use super::each_direct_link;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct circuit, for each link of the port (link1
    /// the primary path, link2 the secondary): MACsec configured on the link
    /// (`macSecConfig` with its secret identifiers) and MACsec turned on for
    /// the CE port facing it, as the CE configuration given for that path
    /// says (Cisco IOS-XE `macsec` / `macsec network-link` on the
    /// interface, Junos `security macsec interfaces IFD
    /// connectivity-association CA`, Arista EOS `mac security profile P`),
    /// or both off.
    ///
    /// ## Why it matters
    /// MACsec secures the link only when both ends run it. On the wire, the
    /// end that runs it sends MKA frames (EAPOL, EtherType 0x888E) the other
    /// end never answers, so MKA does not come up and no secure channel is
    /// keyed; it then drops the plain Ethernet frames the other end sends,
    /// and the other end cannot read the MACsec frames (0x88E5) it gets. The
    /// link is up but passes no traffic. At the layers above, on the path
    /// the link carries: ARP for the peering's addresses gets no reply (the
    /// MSEE's On-Prem entry is Incomplete), the BGP session is down (Idle or
    /// Active) and no route is learned on it; the other path carries the
    /// traffic. When ARP, BGP or the layers above fail on that path in the
    /// same report, this finding is their root cause: the exact CE port,
    /// not a generic layer-2 or BGP failure.
    ///
    /// ## Evidence
    /// The port's `links[].properties.macSecConfig`; the CE configuration of
    /// the link's path (`--ce primary=FILE`, `--ce secondary=FILE`): the
    /// interface holding the path's /30 (or tagged with the peering's VLAN),
    /// its port, and MACsec on that port. Without any CE configuration the
    /// check awaits one (`skip`, listed as not supplied); without one for the
    /// link's path while the other path has one, or when no interface of it
    /// faces the path, it is `unknown` and says what to give.
    ///
    /// ## Remediation
    /// Turn MACsec on (or off) at both ends together: on the CE port facing
    /// the link, with the same CKN/CAK as the Key Vault secrets the port
    /// names, or clear the link's `macSecConfig` when the CE does not run it.
    ///
    /// ## References
    /// Configure MACsec on ExpressRoute Direct ports
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-macsec);
    /// Verify ExpressRoute connectivity: "Verify the circuit" (ExpressRoute Direct).
    pub static CE_MACSEC_STATE_MISMATCH = {
        id: "ER920", name: "ce-macsec-state-mismatch", layer: CustomerEdge, owner: Customer, points: [2, 5],
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_direct_link(c, cx, out, |x| {
        let link = x.link.name();
        match (x.azure.is_some(), x.ce) {
            (true, Some(m)) => Finding::pass(c, format!("MACsec is on at both ends of {link}: the port's link and CE port {} ({}).", x.port, crate::ce::at(x.file, m.span))),
            (false, None) => Finding::pass(c, format!("MACsec is off at both ends of {link}.")),
            (true, None) => Finding::fail(c, format!("MACsec is configured on {link} of the port, but not on CE port {} facing it ({}): MKA cannot bring the secure channel up and {}.", x.port, x.file.file, x.consequence()))
                .fix(format!("Turn MACsec on for {} with the CKN/CAK of the Key Vault secrets the link names (IOS-XE: `macsec network-link`, `mka policy`, `mka pre-shared-key key-chain`), or clear the link's macSecConfig.", x.port)),
            (false, Some(m)) => Finding::fail(c, format!("MACsec is on for CE port {} ({}), but not configured on {link} of the port: MKA cannot bring the secure channel up and {}.", x.port, crate::ce::at(x.file, m.span), x.consequence()))
                .fix(format!("Configure MACsec on {link} (Set-AzExpressRoutePort with MacSecConfig: the Key Vault secrets, cipher and SCI state), or turn it off on {}.", x.port)),
        }
    });
}
