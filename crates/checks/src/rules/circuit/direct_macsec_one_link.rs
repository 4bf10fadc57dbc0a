use crate::direct::{label, links, port};
use crate::{Check, Context, Finding};
use erdiag_model::direct::PortLink;

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct port, whether MACsec is configured on both
    /// links or on neither: a link's `macSecConfig` with a CAK or CKN
    /// secret identifier set is configured. MACsec on one link only fails,
    /// naming the link left in clear; MACsec on neither is `skip` (not
    /// used).
    ///
    /// ## Why it matters
    /// MACsec encrypts one physical link. With it on link1 only, the primary
    /// path is encrypted and the secondary is not: traffic moves to the clear
    /// link whenever the primary fails or is maintained, which defeats the
    /// reason to encrypt. A half-finished change (the second link's
    /// `Set-AzExpressRoutePort` not run) looks like this.
    ///
    /// ## Evidence
    /// The port's `links[].properties.macSecConfig` (`cknSecretIdentifier`,
    /// `cakSecretIdentifier`, `cipher`, `sciState`).
    ///
    /// ## Remediation
    /// Configure the same MACsec settings on the other link (its
    /// `MacSecConfig`: the CKN and CAK secret identifiers and the cipher),
    /// and on your router's interface of that link.
    ///
    /// ## References
    /// Configure MACsec on ExpressRoute Direct ports
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-macsec);
    /// About ExpressRoute encryption
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-about-encryption).
    pub static DIRECT_MACSEC_ONE_LINK = {
        id: "ER113", name: "direct-macsec-one-link", layer: Circuit, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let (_, port) = match port(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let name = port.name.as_deref().unwrap_or("the port");
    let all = links(port);
    let (with, without): (Vec<&PortLink>, Vec<&PortLink>) = all.iter().copied().partition(|l| l.macsec().is_some());
    let evidence = all.iter().map(|l| match l.macsec() {
        Some(m) => format!("{}: MACsec {}, SCI {}", l.name(), m.cipher.as_deref().unwrap_or("(no cipher)"), m.sci_state.as_deref().unwrap_or("(not stated)")),
        None => format!("{}: no MACsec", l.name()),
    });
    let f = match (with.len(), without.len()) {
        (0, _) => Finding::not_used(c, format!("MACsec is configured on no link of port {name}.")),
        (_, 0) => Finding::pass(c, format!("MACsec is configured on every link of port {name}.")),
        _ => {
            let clear: Vec<String> = without.iter().map(|l| label(l)).collect();
            let enc: Vec<String> = with.iter().map(|l| label(l)).collect();
            Finding::fail(c, format!("MACsec on port {name} is configured on {} only: {} carries traffic in clear.", enc.join(", "), clear.join(", ")))
                .fix(format!("Configure MACsec on {} of port {name} as on {} (the CKN and CAK secret identifiers and the cipher), and on your router's interface of that link.", clear.join(", "), enc.join(", ")))
        }
    };
    out.push(f.evidence_all(evidence));
}
