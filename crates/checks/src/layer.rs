//! The guide's layers: the steps of "Verify ExpressRoute connectivity", in
//! the order it takes them. A check belongs to one; findings, coverage and
//! the diagram are grouped by them. `Resiliency` is not a step of the
//! guide: it holds the checks that compare circuits of a fleet
//! (`registry::FLEET`), never run on one circuit.

use serde::Serialize;
use std::fmt;

/// The guide's layers, in the order it checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    Circuit,
    Peering,
    Arp,
    Bgp,
    Routes,
    Traffic,
    ConnectivityTest,
    Gateway,
    CustomerEdge,
    /// Across circuits: the redundancy of a fleet (ER0xx).
    Resiliency,
}

impl Layer {
    /// The guide's layers, in its order: the steps of a single circuit's
    /// report. `Resiliency` is not one of them.
    pub const ALL: [Layer; 9] = [
        Layer::Circuit,
        Layer::Peering,
        Layer::Arp,
        Layer::Bgp,
        Layer::Routes,
        Layer::Traffic,
        Layer::ConnectivityTest,
        Layer::Gateway,
        Layer::CustomerEdge,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Circuit => "circuit",
            Layer::Peering => "peering",
            Layer::Arp => "arp",
            Layer::Bgp => "bgp",
            Layer::Routes => "routes",
            Layer::Traffic => "traffic",
            Layer::ConnectivityTest => "connectivity-test",
            Layer::Gateway => "gateway",
            Layer::CustomerEdge => "customer-edge",
            Layer::Resiliency => "resiliency",
        }
    }
    /// The heading of the guide's step this layer follows.
    pub fn title(self) -> &'static str {
        match self {
            Layer::Circuit => "Verify circuit provisioning and state",
            Layer::Peering => "Validate peering configuration",
            Layer::Arp => "Validate ARP",
            Layer::Bgp => "Validate BGP on the MSEE",
            Layer::Routes => "Validate routes on the MSEE",
            Layer::Traffic => "Confirm the traffic flow",
            Layer::ConnectivityTest => "Test private peering connectivity",
            Layer::Gateway => "Verify availability of the virtual network gateway",
            Layer::CustomerEdge => "Cross-check the customer edge",
            Layer::Resiliency => "Resiliency across circuits",
        }
    }
    /// The first digit of its checks' IDs: the position in [`Layer::ALL`]
    /// from 1, and 0 for `Resiliency` (ER0xx).
    pub fn digit(self) -> u8 {
        Layer::ALL.iter().position(|l| *l == self).map_or(0, |i| i as u8 + 1)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
