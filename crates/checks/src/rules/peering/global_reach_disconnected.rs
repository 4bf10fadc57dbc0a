use crate::globalreach;
use crate::{Check, Context, Finding};
use erdiag_model::Side;

check! {
    /// ## What it checks
    /// Each Global Reach link reports `circuitConnectionStatus` `Connected`
    /// on this circuit and, when the other circuit was read, on its side too;
    /// the IPv6 part (`ipv6CircuitConnectionConfig`) likewise.
    ///
    /// ## Why it matters
    /// `Disconnected` means the MSEEs of the two circuits exchange no routes
    /// over the link: the on-premises sites behind them cannot reach each
    /// other through Microsoft's network.
    ///
    /// ## Evidence
    /// The link read one by one (`{peeringId}/connections/{name}` or
    /// `{peeringId}/peerConnections/{name}`, which carry the status), else
    /// as embedded in the private peering; the other circuit's matching entry.
    /// No status anywhere is `unknown`. Skipped without Global Reach.
    ///
    /// ## Remediation
    /// Check that both circuits are provisioned and their private peerings
    /// enabled with BGP up; recreate the link; if it stays Disconnected, open
    /// a Microsoft support request with both service keys.
    ///
    /// ## References
    /// Configure ExpressRoute Global Reach: "Verify the configuration"
    /// (`circuitConnectionStatus`).
    pub static GLOBAL_REACH_DISCONNECTED = {
        id: "ER213", name: "global-reach-disconnected", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    globalreach::per_link(c, cx, out, |link, peer| {
        let who = globalreach::label(link);
        let mut states: Vec<(String, String)> = Vec::new();
        if let Some(s) = link.status() {
            states.push(("this circuit".into(), s.to_string()));
        }
        if let Some(s) = link.body().properties.ipv6_circuit_connection_config.as_ref().and_then(|v| v.circuit_connection_status.as_deref()) {
            states.push(("this circuit, IPv6".into(), s.to_string()));
        }
        let other = peer.and_then(|p| p.circuit.ok()).and_then(|c| c.name.clone()).unwrap_or_else(|| "the other circuit".into());
        if let Some(Some(peering)) = peer.and_then(|p| p.private()) {
            if let Some(s) = globalreach::mirror(cx, peering)(link).and_then(|m| m.properties.circuit_connection_status.clone()) {
                states.push((other.clone(), s));
            }
        }
        if states.is_empty() {
            let read = match link.side {
                Side::Local => "connections",
                Side::Peer => "peerConnections",
            };
            return Finding::unknown(c, format!("{who}: no circuitConnectionStatus was read.")).fix(format!(
                "Read the link on its own (`{{peeringId}}/{read}/{}`; `az network express-route peering connection show`, or `Get-AzExpressRouteCircuitConnectionConfig`).",
                link.name()
            ));
        }
        let evidence: Vec<String> = states.iter().map(|(side, s)| format!("{side}: circuitConnectionStatus {s}")).collect();
        let down: Vec<&(String, String)> = states.iter().filter(|(_, s)| !s.eq_ignore_ascii_case("Connected")).collect();
        let f = if down.is_empty() {
            Finding::pass(c, format!("{who}: Connected on {}.", states.iter().map(|(side, _)| side.as_str()).collect::<Vec<_>>().join(" and ")))
        } else {
            let what: Vec<String> = down.iter().map(|(side, s)| format!("{s} on {side}")).collect();
            Finding::fail(c, format!("{who}: {}.", what.join(", ")))
                .fix("Check that both circuits are provisioned and their private peerings enabled with BGP up, then recreate the link; if it stays Disconnected, open a Microsoft support request quoting both service keys.")
        };
        f.evidence_all(evidence)
    });
}
