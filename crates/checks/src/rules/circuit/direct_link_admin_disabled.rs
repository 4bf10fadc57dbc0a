use crate::direct::{label, links, on_link, port};
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct circuit, the `adminState` of each link of
    /// its port (`links[].properties.adminState`): link1 carries the
    /// primary path, link2 the secondary. A link set to `Disabled` carries
    /// nothing: ARP and BGP on its path cannot come up, whatever the routers
    /// do. It fails per link, on every peering that link carries.
    ///
    /// ## Why it matters
    /// On ExpressRoute Direct the customer owns the port pair and turns each
    /// link on and off (`Set-AzExpressRoutePort` with `AdminState`). A link
    /// left `Disabled` after a test, or during the Letter of Authorization
    /// and cross-connect work, looks from the routers exactly like a cut
    /// fibre: the MSEE's ARP entry on that path is Incomplete and BGP Idle.
    /// This check names the cause, so the ARP and BGP failures on that path
    /// are its consequences.
    ///
    /// ## Evidence
    /// The port's GET (`{expressRoutePort.id}`): each link's `adminState`,
    /// and where it is (`routerName`, `interfaceName`, `patchPanelId`,
    /// `rackId`, `coloLocation`, `connectorType`). A port that was not read
    /// is `unknown`; a circuit through a provider is `skip` (not used).
    ///
    /// ## Remediation
    /// Enable the link (portal: the port's link, Admin state Enabled; or
    /// `$port.Links[1].AdminState = "Enabled"; Set-AzExpressRoutePort
    /// -ExpressRoutePort $port`). If it was disabled on purpose for
    /// cross-connect work, give the router, interface, patch panel and rack
    /// to the colo to finish it first.
    ///
    /// ## References
    /// How to configure ExpressRoute Direct, "Change Admin State of links"
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-erdirect);
    /// ExpressRoutePorts - Get (REST API, Microsoft.Network).
    pub static DIRECT_LINK_ADMIN_DISABLED = {
        id: "ER110", name: "direct-link-admin-disabled", layer: Circuit, owner: Customer, points: [2, 5], breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let (_, port) = match port(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let name = port.name.as_deref().unwrap_or("the port");
    let all = links(port);
    if all.is_empty() {
        return out.push(Finding::unknown(c, format!("The body of port {name} lists no links: their admin state is not known.")));
    }
    for link in all {
        let where_ = link.location_text();
        let f = match link.properties.admin_state.as_deref() {
            None => Finding::unknown(c, format!("Port {name} {}: the body carries no adminState.", label(link))),
            Some(_) if link.admin_disabled() => Finding::fail(c, format!("Port {name} {} is administratively Disabled: it carries no traffic.", label(link)))
                .evidence(format!("{}: adminState Disabled; {where_}", link.name()))
                .fix(format!(
                    "Set {} of port {name} to Enabled (Set-AzExpressRoutePort, or the portal). If it was disabled for cross-connect work, give the colo {where_} to finish it first.",
                    link.name()
                )),
            Some(s) => Finding::pass(c, format!("Port {name} {} is {s}.", label(link))).evidence(format!("{}: {where_}", link.name())),
        };
        on_link(cx.state, link, f, out);
    }
}
