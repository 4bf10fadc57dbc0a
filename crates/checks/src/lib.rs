//! The erdiag check engine.
//!
//! A check is a pure function of a [`CircuitState`] (and the user's options):
//! it reads, it never fetches. Checks live one to a file under `rules/`, each
//! declared with [`check!`] so that its doc comment is its documentation
//! (`erdiag explain ID`). [`registry::ALL`] is the one ordered list: run order
//! and report order, which follow the guide's steps.
//!
//! [`diagnose`] runs every check, then [`correlate`] marks consequences, picks
//! the root cause and the verdict.
//!
//! [`fleet::diagnose`] runs [`registry::FLEET`] across many circuits' compact
//! facts ([`fleet::CircuitFacts`]): the redundancy no single circuit shows.

#[macro_use]
mod check;
mod layer;
mod owner;
pub mod ce;
pub mod correlate;
pub mod coverage;
mod direct;
pub mod facts;
mod finding;
mod flaps;
pub mod fleet;
pub mod globalreach;
pub mod monitor;
pub mod registry;
pub mod report;
mod rules;
pub mod topology;
mod units;

pub use check::Check;
pub use layer::Layer;
pub use owner::Owner;
pub use coverage::{Coverage, Gap};
pub use finding::{Finding, RootCause, Status};
pub use report::{CircuitSummary, Report, Verdict, REPORT_FORMAT};
pub use topology::{DirectLinkTopology, DirectPortTopology, ElementStatus, LinkKind, Topology, ZoneKind};

use erdiag_model::{CircuitState, DevicePath, GatewayState, PeeringState, RouteSummaryEntry};
use std::net::IpAddr;

/// What the user asked beyond the snapshot.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Destinations to look up in each path's route table (`--dest`).
    pub destinations: Vec<IpAddr>,
    /// IDs of checks the user accepts unverified (`--accept-unverified`):
    /// their `unknown` no longer keeps the verdict from `healthy`.
    pub accepted: Vec<String>,
}

/// What every check sees.
pub struct Context<'a> {
    pub state: &'a CircuitState,
    pub options: &'a Options,
    /// The CE texts of each path (`inputs.ce`, indexed by
    /// `DevicePath::index`), parsed once: the customer-edge checks read
    /// these, never the texts.
    pub ce: &'a [ce::CeEvidence<'a>; 2],
}

/// The loops most checks share. Each scopes the findings its closure makes
/// (a closure that has nothing to say returns `None`) and keeps the order
/// of the state: peerings as read, primary before secondary.
impl Context<'_> {
    /// One finding per peering, scoped to it.
    pub fn per_peering(&self, out: &mut Vec<Finding>, mut f: impl FnMut(&PeeringState, &str) -> Option<Finding>) {
        for p in &self.state.peerings {
            let name = p.name();
            out.extend(f(p, name).map(|x| x.peering(name)));
        }
    }

    /// One finding per path of each peering, scoped to both.
    pub fn per_path(&self, out: &mut Vec<Finding>, mut f: impl FnMut(&PeeringState, DevicePath) -> Option<Finding>) {
        for p in &self.state.peerings {
            for d in DevicePath::BOTH {
                out.extend(f(p, d).map(|x| x.peering(p.name()).path(d)));
            }
        }
    }

    /// One finding per path whose MSEE session row was read (its
    /// route-table summary); a path without one is `bgp-session-down`'s to
    /// report.
    pub fn per_session(&self, out: &mut Vec<Finding>, mut f: impl FnMut(&PeeringState, DevicePath, &RouteSummaryEntry) -> Option<Finding>) {
        self.per_path(out, |p, d| f(p, d, facts::session(p, d)?));
    }

    /// One finding per connected gateway, on private peering when `peering`
    /// (the gateway checks that speak of the VNet's path), else circuit-wide.
    pub fn per_gateway(&self, out: &mut Vec<Finding>, peering: Option<&str>, mut f: impl FnMut(&GatewayState, &str) -> Option<Finding>) {
        for g in &self.state.gateways {
            out.extend(f(g, g.name()).map(|x| match peering {
                Some(p) => x.peering(p),
                None => x,
            }));
        }
    }
}


/// Runs every check in registry order and correlates the findings. CE texts
/// that cannot be read are left out and named by ER913; callers that must
/// refuse them read them first with [`ce::read`] and call [`diagnose_with`].
pub fn diagnose(state: &CircuitState, options: &Options) -> Report {
    diagnose_with(state, &ce::read_lenient(state), options)
}

/// [`diagnose`] with the CE texts already read ([`ce::read`]).
pub fn diagnose_with<'a>(state: &'a CircuitState, ce: &'a [ce::CeEvidence<'a>; 2], options: &'a Options) -> Report {
    let cx = Context { state, options, ce };
    let mut findings = Vec::new();
    for check in registry::ALL {
        if let check::Run::Circuit(run) = check.run {
            run(&cx, &mut findings);
        }
    }
    correlate::conclude(state, findings, &options.accepted)
}
