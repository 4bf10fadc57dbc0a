use crate::{Check, Context, Finding, Owner};

check! {
    /// ## What it checks
    /// Each peering's `state` is `Enabled` and its `provisioningState` is
    /// `Succeeded`.
    ///
    /// ## Why it matters
    /// A disabled peering is shut on the MSEEs: no BGP session, no routes. A
    /// failed provisioning means the configuration Azure shows did not reach
    /// the MSEEs.
    ///
    /// ## Evidence
    /// `properties.state`, `properties.provisioningState` and
    /// `properties.lastModifiedBy` of each peering.
    ///
    /// ## Remediation
    /// Enable the peering. If enabling it fails, the guide says: check that
    /// the primary and secondary subnets match the CE/PE-MSEE configuration,
    /// and that VlanId, AzureASN and PeerASN match on both sides.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate peering configuration".
    pub static PEERING_NOT_ENABLED = {
        id: "ER202", name: "peering-not-enabled", layer: Peering, owner: Customer, points: [2, 5],
        breaks_path: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, name| {
        let props = &p.peering.properties;
        let owner = if p.peering.managed_by_provider() { Owner::Provider } else { Owner::Customer };
        let state = props.state.as_deref();
        let prov = props.provisioning_state.as_deref();
        let ev = vec![
            format!("state: {}", state.unwrap_or("(absent)")),
            format!("provisioningState: {}", prov.unwrap_or("(absent)")),
            format!("lastModifiedBy: {}", props.last_modified_by.as_deref().unwrap_or("(absent)")),
        ];
        let f = match (state, prov) {
            (Some(s), _) if !s.eq_ignore_ascii_case("Enabled") => Finding::fail(c, format!("{name} is {s}: the MSEEs keep its BGP sessions shut."))
                .fix("Enable the peering. If enabling fails, check that the /30 subnets, VlanId, AzureASN and PeerASN match the CE/PE-MSEE configuration."),
            (_, Some(pv)) if pv.eq_ignore_ascii_case("Failed") => Finding::fail(c, format!("The last change to {name} failed to provision: the MSEEs may not run what Azure shows."))
                .fix("Re-apply the peering configuration; check that the /30 subnets, VlanId, AzureASN and PeerASN match the CE/PE-MSEE configuration."),
            (_, Some(pv)) if !pv.eq_ignore_ascii_case("Succeeded") => Finding::warn(c, format!("{name} is {pv}: a change is in progress."))
                .fix("Wait for the change to finish and diagnose again."),
            (None, _) => crate::facts::absent(c, cx.state, crate::facts::Body::Peering(name), "properties.state"),
            _ => Finding::pass(c, format!("{name} is Enabled and provisioned.")),
        };
        Some(f.owner(owner).evidence_all(ev))
    });
}
