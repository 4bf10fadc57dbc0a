use super::each_direct_link;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct circuit whose link and facing CE port both
    /// run MACsec: the link's `macSecConfig.sciState` (`Enabled` or
    /// `Disabled`) against whether the CE includes the Secure Channel
    /// Identifier (SCI) in the SecTAG, where its configuration states it
    /// (Junos `include-sci` in the connectivity association, EOS `sci` in
    /// the `mac security` profile). Cisco IOS-XE configures no such
    /// statement, and an association or profile without it does not state
    /// the behaviour either: both are `unknown`, never a pass.
    ///
    /// ## Why it matters
    /// Microsoft's MACsec guide has the customer set the port's SCI state
    /// (`SciState`) on each link, for the routers at the other end. The SCI
    /// names the secure channel a frame belongs to; ends that disagree on
    /// whether it is carried in the SecTAG are a configuration difference
    /// on a link whose frames both must decode, and erdiag reports it rather
    /// than guess which platform tolerates it.
    ///
    /// ## Evidence
    /// The link's `macSecConfig.sciState`; the CE configuration of the
    /// link's path (`--ce`): the association its facing port names, and its
    /// `include-sci`.
    ///
    /// ## Remediation
    /// Make both ends agree: set the link's `SciState` with
    /// Set-AzExpressRoutePort (`Enabled` when the CE includes the SCI), or
    /// change the CE's SCI setting. Where the CE configuration does not
    /// state it, check the platform's documentation or `show` output for the
    /// SCI it sends.
    ///
    /// ## References
    /// Configure MACsec on ExpressRoute Direct ports
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-macsec);
    /// IEEE 802.1AE (SecTAG, SC bit).
    pub static CE_MACSEC_SCI_MISMATCH = {
        id: "ER922", name: "ce-macsec-sci-mismatch", layer: CustomerEdge, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_direct_link(c, cx, out, |x| {
        let link = x.link.name();
        let (Some(azure), Some(ce)) = (x.azure, x.ce) else {
            return Finding::not_used(c, format!("MACsec is not on at both ends of {link} (ER920 judges that)."));
        };
        let azure_on = match azure.sci_state.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("enabled") => true,
            Some(s) if s.eq_ignore_ascii_case("disabled") => false,
            Some(s) => return Finding::unknown(c, format!("{link}'s sciState is {s}, neither Enabled nor Disabled.")),
            None => return Finding::unknown(c, format!("{link}'s macSecConfig states no sciState.")).fix("Collect the port again with its full body (az network express-route port show -o json)."),
        };
        let state = if azure_on { "Enabled" } else { "Disabled" };
        let Some(sci) = ce.include_sci.as_ref() else {
            return Finding::unknown(c, format!("{link} has sciState {state}, but the CE configuration of port {} does not state whether it includes the SCI.", x.port))
                .fix(format!("Check what CE port {} sends (its MACsec session detail) and set the link's SciState to match; on Junos, `include-sci` in the connectivity association states it, on EOS `sci` in the profile.", x.port));
        };
        let f = if sci.value == azure_on {
            Finding::pass(c, format!("{link} has sciState {state}; CE port {} includes the SCI ({}).", x.port, crate::ce::at(x.file, sci.span)))
        } else {
            Finding::fail(c, format!("{link} has sciState {state}, but CE port {} includes the SCI ({}): the ends disagree on the SecTAG.", x.port, crate::ce::at(x.file, sci.span)))
                .fix(format!("Set {link}'s SciState to Enabled (Set-AzExpressRoutePort, MacSecConfig.SciState), or remove `include-sci` (Junos) or `sci` (EOS) from the CE's MACsec policy."))
        };
        f.evidence(format!("{link}: sciState {state}; CE {}: {}", x.port, crate::ce::snippet(x.file, sci.span, "SCI inclusion")))
    });
}
