use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The circuit resource's ARM `provisioningState` is `Succeeded`.
    ///
    /// ## Why it matters
    /// `Failed` means the last change to the circuit (a SKU, bandwidth or
    /// peering update) did not apply: what Azure shows may not be what the
    /// MSEEs run. `Updating` means a change is in flight and every other
    /// reading may be about to change.
    ///
    /// ## Evidence
    /// `properties.provisioningState` of the circuit resource.
    ///
    /// ## Remediation
    /// Re-apply the last change (for example an update with the same
    /// settings); if it fails again, open a Microsoft support request.
    ///
    /// ## References
    /// Create and modify an ExpressRoute circuit.
    pub static CIRCUIT_PROVISIONING_FAILED = {
        id: "ER103", name: "circuit-provisioning-failed", layer: Circuit, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    out.push(match cx.state.circuit.properties.provisioning_state.as_deref() {
        None => crate::facts::absent(c, cx.state, crate::facts::Body::Circuit, "properties.provisioningState"),
        Some(s) if s.eq_ignore_ascii_case("Succeeded") => Finding::pass(c, "The circuit resource is provisioned (Succeeded)."),
        Some(s) if s.eq_ignore_ascii_case("Failed") => Finding::fail(c, "The last change to the circuit resource failed (provisioningState Failed).")
            .evidence(format!("provisioningState: {s}"))
            .fix("Re-apply the last change to the circuit (an update with the same settings); if it fails again, open a Microsoft support request."),
        Some(s) => Finding::warn(c, format!("The circuit resource is {s}: a change is in progress, readings may change."))
            .evidence(format!("provisioningState: {s}"))
            .fix("Wait for the operation to finish and diagnose again."),
    });
}
