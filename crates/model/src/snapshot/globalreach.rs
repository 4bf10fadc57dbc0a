//! Global Reach and the circuit's authorizations, typed.
//!
//! Global Reach links the private peerings of two circuits. The private
//! peering body embeds the links this circuit made (`connections[]`) and the
//! ones another circuit made to it (`peeredConnections[]`); one by one,
//! `{peeringId}/connections/{name}` and `{peeringId}/peerConnections/{name}`
//! carry the same with `circuitConnectionStatus`. The other circuit
//! (`peerExpressRouteCircuitPeering.id`) is read when the credential can.
//!
//! The circuit body embeds `authorizations[]`, and `{circuitId}/authorizations`
//! lists them: an authorization `InUse` is how a connection from another
//! subscription, which this credential may not see, shows here.
//!
//! The bodies (`CircuitConnection`, `Authorization`) are in `arm.rs`; their
//! `authorizationKey`, a secret, is kept only as "set or not".

use super::{normalize_path, Collected, Index, SnapshotError};
use crate::arm::{Authorization, CircuitConnection, ExpressRouteCircuit, Peering};

/// Which circuit made the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// This circuit: the peering's `connections[]`.
    Local,
    /// The other circuit: the peering's `peeredConnections[]`.
    Peer,
}

impl Side {
    /// The child collection of the peering that holds this side's links.
    pub fn collection(self) -> &'static str {
        match self {
            Side::Local => "connections",
            Side::Peer => "peerConnections",
        }
    }
}

/// One Global Reach link of the private peering.
#[derive(Debug, Clone)]
pub struct GlobalReachConnection {
    pub side: Side,
    /// As the peering embeds it.
    pub embedded: CircuitConnection,
    /// `{peeringId}/connections/{name}` or `{peeringId}/peerConnections/{name}`.
    pub read: Collected<CircuitConnection>,
}

impl GlobalReachConnection {
    /// The one-by-one read when there is one, else the embedded copy.
    pub fn body(&self) -> &CircuitConnection {
        self.read.ok().unwrap_or(&self.embedded)
    }
    pub fn name(&self) -> &str {
        self.embedded.name()
    }
    /// `circuitConnectionStatus`, from whichever body carries it.
    pub fn status(&self) -> Option<&str> {
        self.body().properties.circuit_connection_status.as_deref().or(self.embedded.properties.circuit_connection_status.as_deref())
    }
}

/// The other circuit of a link, read when the credential can.
#[derive(Debug, Clone)]
pub struct PeerCircuit {
    pub id: String,
    pub circuit: Collected<ExpressRouteCircuit>,
    /// `{peerCircuitId}/peerings/AzurePrivatePeering` read on its own.
    pub private_peering: Collected<Peering>,
}

impl PeerCircuit {
    /// The peer's private peering: `None` when the circuit was not read,
    /// `Some(None)` when it was and has none.
    pub fn private(&self) -> Option<Option<&Peering>> {
        if let Collected::Ok(p) = &self.private_peering {
            return Some(Some(p));
        }
        let c = self.circuit.ok()?;
        let embedded = c.properties.peerings.as_deref().unwrap_or_default().iter().find(|p| p.is_private());
        match (embedded, &self.private_peering) {
            (Some(p), _) => Some(Some(p)),
            // A 404 on the peering of a circuit that was read: not configured.
            (None, Collected::Failed(f)) if f.status == Some(404) || f.is_peering_not_found() => Some(None),
            (None, Collected::Failed(_) | Collected::Unreadable(_)) => None,
            (None, _) if c.properties.peerings.is_none() => None,
            (None, _) => Some(None),
        }
    }
}

/// Global Reach on the circuit's private peering.
#[derive(Debug, Clone, Default)]
pub struct GlobalReach {
    pub connections: Vec<GlobalReachConnection>,
    /// Each other circuit once, in the order the links name them.
    pub peers: Vec<PeerCircuit>,
}

impl GlobalReach {
    pub fn is_used(&self) -> bool {
        !self.connections.is_empty()
    }
    pub fn peer(&self, conn: &GlobalReachConnection) -> Option<&PeerCircuit> {
        let id = normalize_path(&conn.embedded.peer_circuit_id()?);
        self.peers.iter().find(|p| normalize_path(&p.id) == id)
    }
}

/// The circuit's authorizations: embedded in its body, and listed.
#[derive(Debug, Clone)]
pub struct Authorizations {
    /// `properties.authorizations` of the circuit; `None` when the body
    /// does not carry the field.
    pub embedded: Option<Vec<Authorization>>,
    /// `{circuitId}/authorizations`.
    pub listing: Collected<Vec<Authorization>>,
}

impl Authorizations {
    /// The listing when read, else the embedded copy; `None` when neither.
    pub fn all(&self) -> Option<&[Authorization]> {
        self.listing.ok().map(Vec::as_slice).or(self.embedded.as_deref())
    }
    /// An authorization says a connection uses it.
    pub fn any_in_use(&self) -> Option<&Authorization> {
        self.all()?.iter().find(|a| a.in_use())
    }
}

/// `{peeringId}/connections/{name}` or `{peeringId}/peerConnections/{name}`.
pub fn connection_path(peering_id: &str, side: Side, name: &str) -> String {
    format!("{peering_id}/{}/{name}", side.collection())
}

/// `{circuitId}/authorizations`.
pub fn authorizations_path(circuit_id: &str) -> String {
    format!("{circuit_id}/authorizations")
}

/// `{circuitId}/peerings/AzurePrivatePeering`.
pub fn private_peering_path(circuit_id: &str) -> String {
    format!("{circuit_id}/peerings/AzurePrivatePeering")
}

/// Reads Global Reach of the private peering and the authorizations.
pub(crate) fn decode(index: &Index, circuit_id: &str, circuit: &ExpressRouteCircuit, private: Option<&Peering>) -> Result<(GlobalReach, Authorizations), SnapshotError> {
    let mut gr = GlobalReach::default();
    if let Some(p) = private {
        let peering_id = p.id.clone().unwrap_or_else(|| private_peering_path(circuit_id));
        let sides = [(Side::Local, &p.properties.connections), (Side::Peer, &p.properties.peered_connections)];
        for (side, list) in sides {
            for c in list.iter().flatten() {
                let name = c.name.clone().unwrap_or_default();
                let read = if name.is_empty() { Collected::NotCollected } else { index.collected(&connection_path(&peering_id, side, &name))? };
                gr.connections.push(GlobalReachConnection { side, embedded: c.clone(), read });
            }
        }
        let mut ids: Vec<String> = Vec::new();
        for c in &gr.connections {
            if let Some(id) = c.embedded.peer_circuit_id().or_else(|| c.read.ok().and_then(CircuitConnection::peer_circuit_id)) {
                if !ids.iter().any(|k| normalize_path(k) == normalize_path(&id)) {
                    ids.push(id);
                }
            }
        }
        for id in ids {
            gr.peers.push(PeerCircuit { circuit: index.collected(&id)?, private_peering: index.collected(&private_peering_path(&id))?, id });
        }
    }
    let auth = Authorizations { embedded: circuit.properties.authorizations.clone(), listing: index.list(&authorizations_path(circuit_id))? };
    Ok((gr, auth))
}
