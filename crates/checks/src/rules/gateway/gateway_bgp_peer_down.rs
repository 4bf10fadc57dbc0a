use crate::{facts, Check, Context, Finding};
use erdiag_model::{BgpPeerStatus, Collected, DevicePath, PeeringState};
use std::net::IpAddr;

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
    /// A gateway connected to several circuits peers with the MSEEs of each:
    /// the MSEE addresses it lists do not say which circuit they belong to,
    /// but this circuit's route tables do. When both of its MSEEs carry the
    /// VNet's routes with the address of every gateway instance whose
    /// session is down as next hop, those sessions are with another
    /// circuit's MSEEs (during its maintenance, say): the finding warns and
    /// names them, and this circuit is not degraded by them.
    ///
    /// ## Evidence
    /// `{gatewayId}/getBgpPeerStatus`; whether the MSEE route tables carry
    /// VNet (AS 65515) routes, and from which gateway instance (next hop).
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
        } else if let Some(carried) = other_circuits_msee(private, peers) {
            // This circuit's MSEEs both still learn the VNet from every
            // instance whose session is down: those sessions are with the
            // MSEEs of another circuit the gateway serves.
            Finding::warn(
                c,
                format!(
                    "{} of {} BGP sessions of gateway {name} are not Connected, but they are not with this circuit's MSEEs: both of its MSEEs learn the VNet's routes from {carried}. The gateway serves another circuit too; that circuit's diagnosis tells whether its path is down.",
                    peers.len() - up,
                    peers.len()
                ),
            )
            .fix("Diagnose the other circuits connected to this gateway (erdiag fleet, or the gateway's connections); nothing to do on this circuit.")
        } else {
            Finding::fail(c, format!("{} of {} BGP sessions of gateway {name} to the MSEEs are not Connected: redundancy inside Azure is reduced.", peers.len() - up, peers.len()))
                .breaks(false)
                .fix("Check the gateway's Resource Health; if sessions stay down, open a Microsoft support request with the gateway name.")
        };
        f.evidence_all(ev)
    });
}

/// The gateway instances whose sessions are down, when both of this
/// circuit's MSEEs (the private peering's route tables on both paths, read)
/// carry the VNet's routes from each of them: the down sessions are then
/// with MSEEs that are not this circuit's. `None` when a table was not read
/// or a down instance is missing from one.
fn other_circuits_msee(private: &PeeringState, peers: &[BgpPeerStatus]) -> Option<String> {
    let mut down: Vec<IpAddr> = peers
        .iter()
        .filter(|p| !p.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Connected")))
        .map(|p| p.local_address.as_deref().and_then(|a| a.trim().parse().ok()))
        .collect::<Option<Vec<_>>>()?;
    down.sort();
    down.dedup();
    if down.is_empty() {
        return None;
    }
    for d in DevicePath::BOTH {
        let Collected::Ok(rows) = private.routes(d) else { return None };
        let from: Vec<IpAddr> = rows.iter().filter(|r| facts::is_vnet_route(r)).filter_map(|r| r.next_hop.ip()).collect();
        if !down.iter().all(|a| from.contains(a)) {
            return None;
        }
    }
    let list: Vec<String> = down.iter().map(IpAddr::to_string).collect();
    Some(format!("gateway instance{} {} on both paths", if list.len() == 1 { "" } else { "s" }, list.join(" and ")))
}
