//! What a check is: a stable ID, a kebab-case name that names the problem, a
//! layer of the guide, the default owner of the fix, the network points of the
//! guide's diagram it is about, its documentation and its function.

use crate::finding::Finding;
use crate::Context;
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
}

impl Layer {
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
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who owns the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    Customer,
    Provider,
    Microsoft,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Customer => "customer",
            Owner::Provider => "provider",
            Owner::Microsoft => "microsoft",
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check. Declared with [`check!`]; listed in [`crate::registry::ALL`].
pub struct Check {
    /// Stable ID (`ER` + layer digit + number). Never reused, never renamed.
    pub id: &'static str,
    /// Kebab-case name of the problem it finds.
    pub name: &'static str,
    pub layer: Layer,
    /// Default owner of the fix; a finding may name another.
    pub owner: Owner,
    /// Network points (1–7 of the guide's diagram) it is about.
    pub points: &'static [u8],
    /// A failure of this check takes the path it is on out of service.
    pub breaks_path: bool,
    /// A failure of this check may be the consequence of a failure in a lower
    /// layer on the same peering and path (BGP Idle where ARP is empty).
    pub explainable: bool,
    /// Higher-layer evidence that explains lower-layer failures on the same
    /// peering and path: a CE subinterface tagged with the wrong VLAN is why
    /// the MSEE's ARP entry is Incomplete. Empty for most checks.
    pub explains: &'static [Layer],
    /// The doc comment: What it checks / Why it matters / Evidence /
    /// Remediation / References.
    pub doc: &'static str,
    pub run: fn(&Context, &mut Vec<Finding>),
}

impl Check {
    /// The documentation with rustdoc's leading space removed.
    pub fn documentation(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_string()
    }
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id, self.name)
    }
}

/// Declares a check whose doc comment is its documentation.
macro_rules! check {
    (
        $(#[doc = $doc:literal])*
        pub static $NAME:ident = {
            id: $id:literal,
            name: $name:literal,
            layer: $layer:ident,
            owner: $owner:ident,
            points: [$($p:literal),*],
            breaks_path: $breaks:literal,
            explainable: $expl:literal,
            $(explains: [$($ex:ident),*],)?
            run: $run:path $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $NAME: $crate::check::Check = $crate::check::Check {
            id: $id,
            name: $name,
            layer: $crate::check::Layer::$layer,
            owner: $crate::check::Owner::$owner,
            points: &[$($p),*],
            breaks_path: $breaks,
            explainable: $expl,
            explains: &[$($($crate::check::Layer::$ex),*)?],
            doc: concat!($($doc, "\n"),*),
            run: $run,
        };
    };
}
