use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The circuit's `circuitProvisioningState` (the portal's **Circuit status**) is `Enabled`.
    ///
    /// ## Why it matters
    /// The circuit status is the Microsoft side of the circuit. Until it is
    /// `Enabled`, the MSEEs hold no configuration for it and nothing above
    /// layer 1 can work: no ARP, no BGP, no traffic.
    ///
    /// ## Evidence
    /// `properties.circuitProvisioningState` of the circuit resource.
    ///
    /// ## Remediation
    /// The guide: "If Circuit status is stuck in Not enabled, contact Microsoft
    /// Support." Quote the service key.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Verify circuit provisioning and state".
    pub static CIRCUIT_NOT_ENABLED = {
        id: "ER101", name: "circuit-not-enabled", layer: Circuit, owner: Microsoft, points: [5],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let key = cx.state.circuit.properties.service_key.as_deref().unwrap_or("(unknown)");
    out.push(match cx.state.circuit.properties.circuit_provisioning_state.as_deref() {
        None => crate::facts::absent(c, cx.state, crate::facts::Body::Circuit, "properties.circuitProvisioningState"),
        Some(s) if s.eq_ignore_ascii_case("Enabled") => Finding::pass(c, "Circuit status is Enabled.")
            .evidence(format!("circuitProvisioningState: {s}")),
        Some(s) => Finding::fail(c, format!("Circuit status is {s}, not Enabled: Microsoft has not enabled the circuit."))
            .evidence(format!("circuitProvisioningState: {s}"))
            .fix(format!("Contact Microsoft Support with the service key {key}: a circuit stuck in {s} can only be enabled by Microsoft.")),
    });
}
