use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Which connectivity model the circuit uses: through a provider (network
    /// points 3 and 4 exist) or ExpressRoute Direct (the customer's routers
    /// connect straight to the MSEE ports; points 3 and 4 are absent). It
    /// never fails: it tells the other checks and the reader whom a layer-2
    /// problem belongs to.
    ///
    /// ## Why it matters
    /// The guide: "In the direct connectivity model, there are no network
    /// points 3 and 4." On a provider circuit a layer-2 fault may be the
    /// provider's; on Direct it is the customer's or Microsoft's.
    ///
    /// ## Evidence
    /// `properties.expressRoutePort`, `serviceProviderProperties`, `sku`.
    ///
    /// ## Remediation
    /// None: informational.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Overview".
    pub static EXPRESS_ROUTE_DIRECT = {
        id: "ER104", name: "express-route-direct", layer: Circuit, owner: Customer, points: [2, 3, 4, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let circuit = &cx.state.circuit;
    let bw = circuit.bandwidth_mbps().map(|b| format!("{b} Mbps")).unwrap_or_else(|| "unknown bandwidth".into());
    let sku = circuit.sku.as_ref().and_then(|s| s.name.clone()).unwrap_or_else(|| "unknown SKU".into());
    if circuit.is_direct() {
        let port = circuit.properties.express_route_port.as_ref().and_then(|p| p.id.as_deref()).unwrap_or_default();
        out.push(
            Finding::pass(c, format!("ExpressRoute Direct, {bw}, {sku}: no provider zone, network points 3 and 4 are absent."))
                .points(&[2, 5])
                .evidence(format!("expressRoutePort: {}", erdiag_model::last_segment(port))),
        );
    } else {
        let sp = circuit.properties.service_provider_properties.as_ref();
        let name = sp.and_then(|s| s.service_provider_name.as_deref()).unwrap_or("unknown provider");
        let loc = sp.and_then(|s| s.peering_location.as_deref()).unwrap_or("unknown location");
        out.push(Finding::pass(c, format!("Provider circuit via {name} at {loc}, {bw}, {sku}.")));
    }
}
