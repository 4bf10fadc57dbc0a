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
    /// MACsec secures the link only when both ends run it: one end sending
    /// MACsec frames and the other plain Ethernet means MKA never brings the
    /// secure channel up, ARP and BGP on the link fail, and the path it
    /// carries is out of service.
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
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_direct_link(c, cx, out, |x| {
        let link = x.link.name();
        match (x.azure.is_some(), x.ce) {
            (true, Some(m)) => Finding::pass(c, format!("MACsec is on at both ends of {link}: the port's link and CE port {} ({}).", x.port, crate::ce::at(x.file, m.span))),
            (false, None) => Finding::pass(c, format!("MACsec is off at both ends of {link}.")),
            (true, None) => Finding::fail(c, format!("MACsec is configured on {link} of the port, but not on CE port {} facing it ({}): the secure channel cannot come up.", x.port, x.file.file))
                .fix(format!("Turn MACsec on for {} with the CKN/CAK of the Key Vault secrets the link names (IOS-XE: `macsec network-link`, `mka policy`, `mka pre-shared-key key-chain`), or clear the link's macSecConfig.", x.port)),
            (false, Some(m)) => Finding::fail(c, format!("MACsec is on for CE port {} ({}), but not configured on {link} of the port: the secure channel cannot come up.", x.port, crate::ce::at(x.file, m.span)))
                .fix(format!("Configure MACsec on {link} (Set-AzExpressRoutePort with MacSecConfig: the Key Vault secrets, cipher and SCI state), or turn it off on {}.", x.port)),
        }
    });
}
