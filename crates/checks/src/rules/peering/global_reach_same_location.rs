use crate::globalreach;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The two circuits of each Global Reach link are in different peering
    /// locations. It warns, never fails.
    ///
    /// ## Why it matters
    /// Global Reach connects sites through Microsoft's network across
    /// locations; Microsoft supports it between circuits "created at
    /// different peering locations". Two circuits in the same location gain
    /// nothing from it (the sites can meet at that location directly).
    ///
    /// ## Evidence
    /// `serviceProviderProperties.peeringLocation` of this circuit and of the
    /// other one (read when the credential can; else `unknown`). An
    /// ExpressRoute Direct circuit's location is its port's, not in the
    /// circuit body: `unknown`. Skipped without Global Reach.
    ///
    /// ## Remediation
    /// None needed for traffic; reconsider whether the link is wanted, or
    /// link a circuit in another location.
    ///
    /// ## References
    /// Configure ExpressRoute Global Reach: "as long as they're located in the
    /// supported countries/regions and were created at different peering
    /// locations".
    pub static GLOBAL_REACH_SAME_LOCATION = {
        id: "ER215", name: "global-reach-same-location", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    globalreach::per_peer_link(c, cx, out, |x| {
        let (who, circuit, other) = (&x.who, x.circuit, x.other);
        match (globalreach::peering_location(&cx.state.circuit), globalreach::peering_location(circuit)) {
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => Finding::warn(c, format!("{who}: both circuits are in {a}: Global Reach brings no benefit within one peering location."))
                .evidence(format!("peeringLocation: {a} (this circuit), {b} ({other})"))
                .fix("Reconsider the link: sites behind two circuits in one location can meet there directly; Global Reach is for sites behind different locations."),
            (Some(a), Some(b)) => Finding::pass(c, format!("{who}: {a} and {b} are different peering locations.")).evidence(format!("peeringLocation: {a} (this circuit), {b} ({other})")),
            (a, b) => Finding::unknown(c, format!(
                "{who}: the peering location of {} is not in the circuit body (an ExpressRoute Direct circuit's is its port's).",
                if a.is_none() { "this circuit" } else if b.is_none() { other } else { "?" }
            )),
        }
    });
}
