use super::each_direct_link;
use crate::facts;
use erdiag_model::{Collected, DevicePath};
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
    /// names the secure channel a frame belongs to; an end that includes it
    /// sets the SC bit and carries the 8-octet SCI in every frame's SecTAG.
    /// On the wire, MKA can come up (its frames are not secured, and carry
    /// the SCI in their own parameters), but an end that expects the SCI in
    /// the SecTAG fails to decode the secured frames sent without it, and
    /// drops them: the link is up and MACsec looks established, yet it
    /// passes no traffic. At the layers above, on the path the link
    /// carries: ARP for the peering's addresses gets no reply (the MSEE's
    /// On-Prem entry is Incomplete), the BGP session is down and no route is
    /// learned on it; the other path carries the traffic. When ARP, BGP or
    /// the layers above fail on that path in the same report, this finding
    /// is their root cause. Platforms that decode both forms tolerate the
    /// difference: when the MSEE's BGP session on that path is Established
    /// the finding still fails (a configuration difference a software change
    /// can turn into an outage) but does not take the path out of service.
    ///
    /// ## Evidence
    /// The link's `macSecConfig.sciState`; the CE configuration of the
    /// link's path (`--ce`): the association its facing port names, and its
    /// `include-sci`; the route-table summary of the link's path
    /// (`routeTablesSummary/{primary,secondary}`), whose Established session
    /// shows the difference tolerated. Where that summary was not read the
    /// finding still fails, but does not take the path out of service: the
    /// session would tell whether the difference is tolerated.
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
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway],
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
        } else if let Some(p) = cx.state.peerings.iter().find(|p| facts::session(p, x.path).is_some_and(|r| r.state_pfx_rcd.is_established())) {
            // The MSEE's session over this link is up: these two platforms
            // decode each other's frames, the path works for now.
            Finding::fail(c, format!("{link} has sciState {state}, but CE port {} includes the SCI ({}): the ends disagree on the SecTAG, although the {} path works (BGP on {} is Established), so these platforms decode each other's frames for now.", x.port, crate::ce::at(x.file, sci.span), x.path, p.name()))
                .breaks(false)
                .fix(format!("Set {link}'s SciState to Enabled (Set-AzExpressRoutePort, MacSecConfig.SciState), or remove `include-sci` (Junos) or `sci` (EOS) from the CE's MACsec policy, before a software change on either end stops tolerating it."))
        } else if let Some(unread) = unread_session(cx, x.path) {
            // Whether the difference is tolerated is told by the session on
            // this path; unread, the finding cannot say the path is down.
            Finding::fail(c, format!("{link} has sciState {state}, but CE port {} includes the SCI ({}): the ends disagree on the SecTAG. Whether this takes the {} path out of service is not known: {unread}.", x.port, crate::ce::at(x.file, sci.span), x.path))
                .breaks(false)
                .fix(format!("Set {link}'s SciState to Enabled (Set-AzExpressRoutePort, MacSecConfig.SciState), or remove `include-sci` (Junos) or `sci` (EOS) from the CE's MACsec policy; collect the {d} path's route-table summary (az network express-route list-route-tables-summary --path {d}) to tell whether the path carries traffic meanwhile.", d = x.path))
        } else {
            Finding::fail(c, format!("{link} has sciState {state}, but CE port {} includes the SCI ({}): the ends disagree on the SecTAG; where an end cannot decode the other's frames, {}.", x.port, crate::ce::at(x.file, sci.span), x.consequence()))
                .fix(format!("Set {link}'s SciState to Enabled (Set-AzExpressRoutePort, MacSecConfig.SciState), or remove `include-sci` (Junos) or `sci` (EOS) from the CE's MACsec policy."))
        };
        f.evidence(format!("{link}: sciState {state}; CE {}: {}", x.port, crate::ce::snippet(x.file, sci.span, "SCI inclusion")))
    });
}

/// Why the MSEE's BGP sessions on path `d` were not all read (no peering
/// read, or a peering whose route-table summary on `d` was not), else
/// `None`: a summary read without a session row is a session that is down.
fn unread_session(cx: &Context, d: DevicePath) -> Option<String> {
    if cx.state.peerings.is_empty() {
        return Some("no peering of the circuit was read".into());
    }
    let unread: Vec<&str> = cx.state.peerings.iter().filter(|p| !matches!(p.summary(d), Collected::Ok(_))).map(|p| p.name()).collect();
    (!unread.is_empty()).then(|| format!("the MSEE's route-table summary on the {d} path of {} was not read", unread.join(", ")))
}
