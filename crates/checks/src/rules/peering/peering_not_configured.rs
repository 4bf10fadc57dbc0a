use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// The circuit has at least one peering, and an Azure private peering
    /// when a virtual network is connected to it.
    ///
    /// ## Why it matters
    /// A provisioned circuit carries nothing until a peering (eBGP between the
    /// CE or PE-MSEE and the MSEEs) is configured on it. Asking the MSEE for
    /// the tables of a peering that does not exist returns the guide's 400
    /// "The BGP Peering AzurePrivatePeering with Service Key … is not found".
    ///
    /// ## Evidence
    /// `properties.peerings` of the circuit, peering resources, and failed
    /// calls under `…/peerings/{name}` in the snapshot.
    ///
    /// ## Remediation
    /// Configure the peering (Create and modify routing for an ExpressRoute
    /// circuit). In the IPVPN model the provider configures it; in the portal
    /// use the refresh button if it is blank after they did.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate peering configuration".
    pub static PEERING_NOT_CONFIGURED = {
        id: "ER201", name: "peering-not-configured", layer: Peering, owner: Customer, points: [2, 5],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.state;
    let not_found: Vec<String> = s
        .failures_under_peering("AzurePrivatePeering")
        .into_iter()
        .filter(|(_, f)| f.is_peering_not_found())
        .map(|(p, f)| format!("{}: {f}", p.rsplit("/peerings/").next().unwrap_or(p)))
        .collect();
    let fix = "Configure Azure private peering on the circuit (primary and secondary /30 subnets, VLAN ID, peer ASN, optional MD5 key) — see 'Create and modify routing for an ExpressRoute circuit'. In the IPVPN model ask the provider to configure it.";
    if s.peerings.is_empty() && s.circuit.properties.peerings.is_none() && not_found.is_empty() {
        out.push(crate::facts::absent(c, s, crate::facts::Body::Circuit, "properties.peerings"));
        return;
    }
    if s.peerings.is_empty() {
        let listed = if s.circuit.properties.peerings.is_some() { "properties.peerings: []" } else { "properties.peerings: (absent)" };
        out.push(
            Finding::fail(c, "No peering is configured on the circuit: it carries no routes.")
                .evidence(listed)
                .evidence_all(not_found.into_iter().take(3))
                .fix(fix),
        );
        return;
    }
    let names: Vec<&str> = s.peerings.iter().map(|p| p.name()).collect();
    if s.private_peering().is_some() {
        out.push(Finding::pass(c, format!("Peerings configured: {}.", names.join(", "))));
    } else if !s.connections.is_empty() {
        out.push(
            Finding::fail(c, "A virtual network gateway is connected, but the circuit has no Azure private peering: the VNet has no path over the circuit.")
                .peering("AzurePrivatePeering")
                .evidence(format!("peerings: {}", names.join(", ")))
                .evidence_all(not_found.into_iter().take(3))
                .fix(fix),
        );
    } else {
        out.push(Finding::pass(c, format!("Peerings configured: {} (no private peering, no VNet connected).", names.join(", "))));
    }
}
