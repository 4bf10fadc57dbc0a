use crate::{Check, Context, Finding, Owner};

check! {
    /// ## What it checks
    /// The circuit's `serviceProviderProvisioningState` (the portal's
    /// **Provider status**) is `Provisioned`.
    ///
    /// ## Why it matters
    /// The provider provisions the layer-2 connection between the customer
    /// edge and the MSEEs (network points 3 and 4). `NotProvisioned`,
    /// `Provisioning` or `Deprovisioning` means that connection is not there,
    /// so no peering can come up.
    ///
    /// ## Evidence
    /// `properties.serviceProviderProvisioningState` of the circuit resource.
    ///
    /// ## Remediation
    /// The guide: "If Provider status is stuck in Not provisioned, contact
    /// your service provider." Give them the service key. On ExpressRoute
    /// Direct there is no provider: the state follows the port, so Microsoft
    /// support owns it.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Verify circuit provisioning and state".
    pub static PROVIDER_NOT_PROVISIONED = {
        id: "ER102", name: "provider-not-provisioned", layer: Circuit, owner: Provider, points: [3, 4],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let circuit = &cx.state.circuit;
    let key = circuit.properties.service_key.as_deref().unwrap_or("(unknown)");
    let provider = circuit
        .properties
        .service_provider_properties
        .as_ref()
        .and_then(|p| p.service_provider_name.clone())
        .unwrap_or_else(|| "your provider".to_string());
    let f = match circuit.properties.service_provider_provisioning_state.as_deref() {
        None => crate::facts::absent(c, cx.state, crate::facts::Body::Circuit, "properties.serviceProviderProvisioningState"),
        Some(s) if s.eq_ignore_ascii_case("Provisioned") => {
            Finding::pass(c, "Provider status is Provisioned.").evidence(format!("serviceProviderProvisioningState: {s}"))
        }
        Some(s) => {
            let f = Finding::fail(c, format!("Provider status is {s}, not Provisioned: the provider has not completed the layer-2 connection."))
                .evidence(format!("serviceProviderProvisioningState: {s}"));
            if circuit.is_direct() {
                f.owner(Owner::Microsoft).points(&[5]).fix(format!(
                    "This circuit is on ExpressRoute Direct, where no provider takes part: check the port's links, then contact Microsoft Support with the service key {key}."
                ))
            } else {
                f.fix(format!("Contact {provider} with the service key {key} and ask them to complete provisioning of the circuit."))
            }
        }
    };
    out.push(f);
}
