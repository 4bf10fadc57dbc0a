//! What a check is: a stable ID, a kebab-case name that names the problem, a
//! layer of the guide, the default owner of the fix, the network points of the
//! guide's diagram it is about, its documentation and its function.

use crate::finding::{Finding, Status};
use crate::layer::Layer;
use crate::owner::Owner;
use crate::fleet::context::Fleet;
use crate::Context;
use std::fmt;

/// What a check reads: one circuit's state, or the facts of a fleet.
#[derive(Clone, Copy)]
pub enum Run {
    /// A check of [`crate::registry::ALL`], run on one circuit.
    Circuit(fn(&Context, &mut Vec<Finding>)),
    /// A check of [`crate::registry::FLEET`], run across circuits.
    Fleet(fn(&Fleet, &mut Vec<Finding>)),
}

/// A check. Declared with [`check!`]; listed in [`crate::registry::ALL`]
/// or, across circuits, [`crate::registry::FLEET`].
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
    /// It judges the metrics window, not the moment of the snapshot (a flap
    /// an hour ago): its failures are root causes only when nothing fails
    /// now, and they explain no failure of the present.
    pub past: bool,
    /// The doc comment: What it checks / Why it matters / Evidence /
    /// Remediation / References.
    pub doc: &'static str,
    pub run: Run,
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

/// Declares a check whose doc comment is its documentation. A check of
/// layer `Resiliency` runs on the [`Fleet`], every other on one circuit's
/// [`Context`].
///
/// `breaks_path`, `explainable` and `past` are `false` unless given, `explains` is
/// empty unless given. Without `run:`, the check runs the `run` function of
/// its module, which is handed the check itself, so that the findings it
/// makes carry this check's identity and no other's:
/// `fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>)` (`fleet:
/// &Fleet` for a `Resiliency` check). With `run: path`, it runs
/// `path(cx, out)` (`path(fleet, out)`).
macro_rules! check {
    (@or $value:literal, $default:literal) => {
        $value
    };
    (@or , $default:literal) => {
        $default
    };
    (@run Resiliency $NAME:ident) => {
        $crate::check::Run::Fleet({
            fn with_check(fleet: &$crate::fleet::context::Fleet, out: &mut Vec<$crate::Finding>) {
                run(&$NAME, fleet, out)
            }
            with_check
        })
    };
    (@run $layer:ident $NAME:ident) => {
        $crate::check::Run::Circuit({
            fn with_check(cx: &$crate::Context, out: &mut Vec<$crate::Finding>) {
                run(&$NAME, cx, out)
            }
            with_check
        })
    };
    (@run Resiliency $NAME:ident $run:path) => {
        $crate::check::Run::Fleet($run)
    };
    (@run $layer:ident $NAME:ident $run:path) => {
        $crate::check::Run::Circuit($run)
    };
    (
        $(#[doc = $doc:literal])*
        pub static $NAME:ident = {
            id: $id:literal,
            name: $name:literal,
            layer: $layer:ident,
            owner: $owner:ident,
            points: [$($p:literal),*],
            $(breaks_path: $breaks:literal,)?
            $(explainable: $expl:literal,)?
            $(explains: [$($ex:ident),*],)?
            $(past: $past:literal,)?
            $(run: $run:path $(,)?)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $NAME: $crate::check::Check = $crate::check::Check {
            id: $id,
            name: $name,
            layer: $crate::layer::Layer::$layer,
            owner: $crate::owner::Owner::$owner,
            points: &[$($p),*],
            breaks_path: check!(@or $($breaks)?, false),
            explainable: check!(@or $($expl)?, false),
            explains: &[$($($crate::layer::Layer::$ex),*)?],
            past: check!(@or $($past)?, false),
            doc: concat!($($doc, "\n"),*),
            run: check!(@run $layer $NAME $($run)?),
        };
    };
}

/// A finding is made by the check that concludes it: it takes the check's
/// ID, name, layer, owner, network points and correlation flags.
impl Finding {
    pub fn new(check: &Check, status: Status, message: impl Into<String>) -> Finding {
        Finding {
            check: check.id,
            name: check.name,
            status,
            layer: check.layer,
            owner: check.owner,
            network_points: check.points.to_vec(),
            peering: None,
            path: None,
            message: message.into(),
            evidence: Vec::new(),
            remediation: None,
            consequence_of: None,
            breaks_path: check.breaks_path && status == Status::Fail,
            explainable: check.explainable,
            explains: check.explains,
            past: check.past,
            not_used: false,
            circuits: Vec::new(),
            gateway: None,
            ipv6_only: false,
        }
    }
    pub fn pass(check: &Check, message: impl Into<String>) -> Finding {
        Finding::new(check, Status::Pass, message)
    }
    pub fn fail(check: &Check, message: impl Into<String>) -> Finding {
        Finding::new(check, Status::Fail, message)
    }
    pub fn warn(check: &Check, message: impl Into<String>) -> Finding {
        Finding::new(check, Status::Warn, message)
    }
    pub fn unknown(check: &Check, message: impl Into<String>) -> Finding {
        Finding::new(check, Status::Unknown, message)
    }
    pub fn skip(check: &Check, message: impl Into<String>) -> Finding {
        Finding::new(check, Status::Skip, message)
    }
    /// The `skip` of a check about a feature the circuit does not use
    /// (`Not used: …`).
    pub fn not_used(check: &Check, why: impl std::fmt::Display) -> Finding {
        Finding { not_used: true, ..Finding::new(check, Status::Skip, format!("Not used: {why}")) }
    }
    pub fn consequence_of(mut self, check: &Check) -> Finding {
        self.consequence_of = Some(check.id.to_string());
        self
    }
}
