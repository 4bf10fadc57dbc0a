//! What the Global Reach checks (ER210–ER216) share: whether the circuit
//! uses Global Reach at all, each link with the other circuit as read
//! (`per_peer_link`, the prelude of ER211, ER212, ER215 and ER216), the
//! words for another circuit that could not be read, and the geopolitical
//! region of a peering location.

use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::{Collected, ExpressRouteCircuit, GlobalReachConnection, PeerCircuit};

/// The private peering's name when it holds Global Reach links; else the
/// finding to report instead: `not_used` when Global Reach is not used, or
/// `unknown` when the input does not carry the peering's links.
pub fn used<'a>(c: &Check, cx: &'a Context) -> Result<&'a str, Finding> {
    let Some(private) = cx.state.private_peering() else {
        return Err(Finding::not_used(c, "Global Reach (the circuit has no private peering)."));
    };
    let name = private.name();
    let props = &private.peering.properties;
    if props.connections.is_none() && props.peered_connections.is_none() && !facts::carried(cx.state, name, "properties.connections") {
        return Err(facts::absent(c, cx.state, facts::Body::Peering(name), "properties.connections").peering(name));
    }
    if !cx.state.global_reach.is_used() {
        return Err(Finding::not_used(c, "Global Reach (the private peering links to no other circuit).").peering(name));
    }
    Ok(name)
}

/// Runs `f` for each link, or pushes why there is nothing to check.
pub fn per_link(c: &Check, cx: &Context, out: &mut Vec<Finding>, mut f: impl FnMut(&GlobalReachConnection, Option<&PeerCircuit>) -> Finding) {
    match used(c, cx) {
        Err(finding) => out.push(finding),
        Ok(peering) => {
            for link in &cx.state.global_reach.connections {
                out.push(f(link, cx.state.global_reach.peer(link)).peering(peering));
            }
        }
    }
}

/// One Global Reach link whose other circuit was read: what ER211, ER212,
/// ER215 and ER216 judge.
pub struct PeerLink<'a> {
    pub link: &'a GlobalReachConnection,
    pub peer: Option<&'a PeerCircuit>,
    /// The link for messages ([`label`]).
    pub who: String,
    /// The other circuit's body.
    pub circuit: &'a ExpressRouteCircuit,
    /// The other circuit's name.
    pub other: &'a str,
}

/// Runs `f` for each link whose other circuit was read; pushes the
/// `unknown` of a link whose other circuit was not ([`peer_circuit`]), or
/// why there is nothing to check ([`used`]).
pub fn per_peer_link(c: &Check, cx: &Context, out: &mut Vec<Finding>, mut f: impl FnMut(&PeerLink) -> Finding) {
    per_link(c, cx, out, |link, peer| match peer_circuit(c, link, peer) {
        Ok(circuit) => f(&PeerLink { link, peer, who: label(link), circuit, other: circuit.name.as_deref().unwrap_or("?") }),
        Err(finding) => finding,
    });
}

/// The other circuit's body, or the `unknown` for a circuit that was not read.
pub fn peer_circuit<'a>(c: &Check, link: &GlobalReachConnection, peer: Option<&'a PeerCircuit>) -> Result<&'a ExpressRouteCircuit, Finding> {
    let Some(peer) = peer else {
        return Err(Finding::unknown(c, format!("Global Reach link {}: the other circuit's peering is not named (peerExpressRouteCircuitPeering.id).", link.name())));
    };
    match &peer.circuit {
        Collected::Ok(circuit) => Ok(circuit),
        other => Err(Finding::unknown(c, format!("{}: {}.", label(link), other.missing_reason(&format!("the other circuit {}", erdiag_model::last_segment(&peer.id))).unwrap_or_default()))
            .fix(format!("Read the other circuit with a credential that may (Reader on its subscription, Microsoft.Network/expressRouteCircuits/read on {}), or check it there by hand.", peer.id))),
    }
}

/// "link X (this circuit → other)" for messages.
pub fn label(link: &GlobalReachConnection) -> String {
    let other = link.embedded.peer_circuit_id().map(|id| erdiag_model::last_segment(&id).to_string()).unwrap_or_else(|| "?".into());
    match link.side {
        erdiag_model::Side::Local => format!("Global Reach link {} (made here, to {other})", link.name()),
        erdiag_model::Side::Peer => format!("Global Reach link {} (made by {other})", link.name()),
    }
}

/// The circuit's peering location: the provider's, or an ExpressRoute
/// Direct circuit's (not in the circuit body: `None`).
pub fn peering_location(c: &ExpressRouteCircuit) -> Option<&str> {
    c.properties.service_provider_properties.as_ref().and_then(|p| p.peering_location.as_deref()).filter(|s| !s.is_empty())
}

/// ExpressRoute peering locations by geopolitical region, as Microsoft's
/// "ExpressRoute connectivity partners and peering locations" lists them
/// (the table "Azure regions to ExpressRoute locations within a
/// geopolitical region", read in its 2026 English, Chinese and Japanese
/// editions). Only the regions erdiag verified are here (not yet Japan,
/// India, Australia, Africa, the Middle East or Korea); a location not
/// listed is unknown, never guessed.
pub const GEOPOLITICAL: &[(&str, &[&str])] = &[
    (
        "North America",
        &[
            "Atlanta", "Atlanta2", "Atlanta Metro", "Chicago", "Chicago2", "Chicago Metro", "Dallas", "Dallas2", "Dallas Metro", "Denver", "Las Vegas",
            "Los Angeles", "Los Angeles2", "Miami", "Minneapolis", "Montreal", "New York", "New York2", "New York Metro", "Phoenix", "Phoenix2", "Quebec City",
            "Queretaro (Mexico)", "Quincy", "San Antonio", "Seattle", "Silicon Valley", "Silicon Valley2", "Silicon Valley Metro", "Toronto", "Toronto2",
            "Toronto Metro", "Vancouver", "Washington DC", "Washington DC2", "Washington DC Metro",
        ],
    ),
    ("South America", &["Campinas", "Rio de Janeiro", "Sao Paulo", "Sao Paulo2", "Santiago"]),
    (
        "Europe",
        &[
            "Amsterdam", "Amsterdam2", "Berlin", "Copenhagen", "Dublin", "Dublin2", "Frankfurt", "Frankfurt2", "Geneva", "London", "London2", "Madrid",
            "Madrid2", "Marseille", "Milan", "Milan2", "Munich", "Newport (Wales)", "Oslo", "Paris", "Paris2", "Stavanger", "Stockholm", "Warsaw", "Zurich",
            "Zurich2",
        ],
    ),
    ("Asia", &["Bangkok", "Hong Kong", "Hong Kong2", "Jakarta", "Kuala Lumpur", "Singapore", "Singapore2", "Taipei", "Taipei2"]),
    ("Australia Government", &["Canberra", "Canberra2"]),
];

/// The geopolitical region of a peering location, when the table has it
/// (names compared without case or spaces).
pub fn geopolitical_region(location: &str) -> Option<&'static str> {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let want = squash(location);
    GEOPOLITICAL.iter().find(|(_, locations)| locations.iter().any(|l| squash(l) == want)).map(|(region, _)| *region)
}

/// The other circuit's record of the same link: in its private peering, an
/// entry (`connections[]` or `peeredConnections[]`) whose other peering is
/// this circuit's private peering. `None` when it holds none.
pub fn mirror<'a>(cx: &Context, peer: &'a erdiag_model::Peering) -> impl Fn(&GlobalReachConnection) -> Option<&'a erdiag_model::CircuitConnection> {
    let ours = erdiag_model::normalize_path(&cx.state.private_peering().and_then(|p| p.peering.id.clone()).unwrap_or_else(|| cx.state.paths().peering("AzurePrivatePeering")));
    move |link: &GlobalReachConnection| {
        let own = link.embedded.own_peering_id().map(erdiag_model::normalize_path).unwrap_or_else(|| ours.clone());
        let p = &peer.properties;
        p.connections.iter().chain(p.peered_connections.iter()).flatten().find(|c| c.peer_peering_id().map(erdiag_model::normalize_path).as_deref() == Some(own.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::geopolitical_region;

    #[test]
    fn locations_map_to_their_region_without_case_or_spaces() {
        assert_eq!(geopolitical_region("Warsaw"), Some("Europe"));
        assert_eq!(geopolitical_region("newport(wales)"), Some("Europe"));
        assert_eq!(geopolitical_region("Washington DC Metro"), Some("North America"));
        assert_eq!(geopolitical_region("Singapore2"), Some("Asia"));
        assert_eq!(geopolitical_region("Canberra"), Some("Australia Government"));
        // Not verified: unknown, never guessed.
        assert_eq!(geopolitical_region("Tokyo"), None);
    }

    #[test]
    fn no_location_is_in_two_regions() {
        let mut seen = std::collections::BTreeMap::new();
        for (region, locations) in super::GEOPOLITICAL {
            for l in *locations {
                assert_eq!(seen.insert(l.to_ascii_lowercase(), *region), None, "{l} listed twice");
            }
        }
    }
}
