use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The gateway's own BGP sessions with the MSEEs (its
    /// `getBgpPeerStatus`) are all `Connected`. Each gateway instance peers
    /// with both MSEEs.
    ///
    /// ## Why it matters
    /// The gateway learns the on-premises routes from the MSEEs and
    /// advertises the VNet's prefixes to them over these sessions. With none
    /// up, the VNet is unreachable over the circuit even though the circuit
    /// itself is healthy; with some down, redundancy inside Azure is lost.
    ///
    /// ## Evidence
    /// `{gatewayId}/getBgpPeerStatus`; whether the MSEE route tables carry
    /// VNet (AS 65515) routes.
    ///
    /// ## Remediation
    /// These sessions are managed by Microsoft: check Resource Health for
    /// maintenance, reset the gateway if it is stuck, then open a Microsoft
    /// support request with the circuit's service key and the gateway name.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Verify availability of the virtual
    /// network gateway"; Get-AzVirtualNetworkGatewayBGPPeerStatus.
    pub static GATEWAY_BGP_PEER_DOWN = {
        id: "ER803", name: "gateway-bgp-peer-down", layer: Gateway, owner: Microsoft, points: [5, 6],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let Some(private) = cx.state.private_peering() else { return };
    let peering = private.name();
    let vnet_routes_on_msee = super::vnet_routes_on_msee(private);
    super::per_gateway_read(c, cx, out, Some(peering), "the BGP peer status of gateway", true, |g| &g.bgp_peers, |_, name, peers| {
        let ev: Vec<String> = peers
            .iter()
            .map(|p| {
                format!(
                    "{} → {} AS {}: {} ({} routes received)",
                    p.local_address.as_deref().unwrap_or("?"),
                    p.neighbor.as_deref().unwrap_or("?"),
                    p.asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
                    p.state.as_deref().unwrap_or("?"),
                    p.routes_received.map(|a| a.to_string()).unwrap_or_else(|| "?".into())
                )
            })
            .collect();
        let up = peers.iter().filter(|p| p.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Connected"))).count();
        let f = if peers.is_empty() {
            Finding::unknown(c, format!("Gateway {name} reports no BGP peers."))
        } else if up == peers.len() {
            Finding::pass(c, format!("All {up} BGP sessions of gateway {name} to the MSEEs are Connected."))
        } else if up == 0 {
            let f = Finding::fail(c, format!("None of the {} BGP sessions of gateway {name} to the MSEEs is Connected: the VNet is cut off from the circuit.", peers.len()))
                .fix("Check the gateway's Resource Health for maintenance; reset the gateway if it is stuck; then open a Microsoft support request with the service key and the gateway name.");
            if vnet_routes_on_msee {
                f
            } else {
                f.evidence("the MSEE route tables carry no VNet (AS 65515) routes")
            }
        } else {
            Finding::fail(c, format!("{} of {} BGP sessions of gateway {name} to the MSEEs are not Connected: redundancy inside Azure is reduced.", peers.len() - up, peers.len()))
                .breaks(false)
                .fix("Check the gateway's Resource Health; if sessions stay down, open a Microsoft support request with the gateway name.")
        };
        f.evidence_all(ev)
    });
}
