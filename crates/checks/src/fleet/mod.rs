//! Checks across circuits: the redundancy of a fleet, which no single
//! circuit's diagnosis can see — whether a gateway's circuits sit in two
//! peering locations, carry the same prefixes, weigh as intended, fit their
//! ExpressRoute Direct port.
//!
//! Each circuit is reduced once to its [`CircuitFacts`] (`facts.rs`); the
//! checks of [`registry::FLEET`] (layer `resiliency`, ER0xx, one file each
//! beside this one) read the [`Fleet`] those facts make, grouped by virtual
//! network gateway, and push [`Finding`]s that name their circuits and
//! gateway (`Finding::circuits`, `Finding::gateway`). Like every check, a
//! fact not read gives `unknown`, never `pass`. Groups and circuits are
//! taken in ARM id order, so the findings do not depend on the order the
//! circuits were collected in.

pub(crate) mod context;
pub mod facts;

pub mod ce_bfd_missing;
pub mod direct_port_oversubscribed;
pub mod gateway_not_zone_redundant;
pub mod gateway_single_peering_location;
pub mod paths_carry_different_prefixes;
pub mod prefix_limit_headroom;
pub mod redundant_circuits_asymmetric_prefixes;
pub mod routing_weights;

pub use context::{list, prefixes, Fleet, Group, Member, LIST_CAP};
pub use facts::{CeBfd, CircuitFacts, Fact, GatewayBody, GatewayLink, PathFacts, PeeringFacts, PortFacts, Routes, Session};

use crate::check::Run;
use crate::{registry, Finding};

/// Runs every check of [`registry::FLEET`] across these circuits and ports.
pub fn diagnose(circuits: &[CircuitFacts], ports: &[PortFacts]) -> Vec<Finding> {
    let fleet = Fleet::new(circuits, ports);
    let mut out = Vec::new();
    for check in registry::FLEET {
        if let Run::Fleet(run) = check.run {
            run(&fleet, &mut out);
        }
    }
    out
}
