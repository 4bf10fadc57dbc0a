use crate::globalreach;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// A Global Reach link between peering locations in different
    /// geopolitical regions joins two Premium circuits.
    ///
    /// ## Why it matters
    /// The Standard SKU connects within one geopolitical region only; global
    /// connectivity across geopolitical regions needs the ExpressRoute
    /// Premium add-on, on both circuits of a Global Reach link.
    ///
    /// ## Evidence
    /// `sku.tier` and `serviceProviderProperties.peeringLocation` of both
    /// circuits. erdiag maps a peering location to its geopolitical region
    /// with a table taken from Microsoft's "ExpressRoute connectivity
    /// partners and peering locations" (North America, South America,
    /// Europe, Asia and Australia Government so far,
    /// `erdiag_checks::globalreach::GEOPOLITICAL`); a location
    /// not in it, or a circuit not read, is `unknown`. Skipped without Global
    /// Reach.
    ///
    /// ## Remediation
    /// Enable the Premium add-on on the Standard circuit(s), or link circuits
    /// within one geopolitical region.
    ///
    /// ## References
    /// ExpressRoute connectivity partners and peering locations: "The
    /// Standard ExpressRoute SKU doesn't support connectivity across
    /// geopolitical regions; enable the Premium add-on for global
    /// connectivity"; ExpressRoute Global Reach (availability and SKUs).
    pub static GLOBAL_REACH_PREMIUM_REQUIRED = {
        id: "ER216", name: "global-reach-premium-required", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    globalreach::per_peer_link(c, cx, out, |x| {
        let (who, circuit, other) = (&x.who, x.circuit, x.other);
        let here = cx.state.circuit_name();
        let (Some(a), Some(b)) = (globalreach::peering_location(&cx.state.circuit), globalreach::peering_location(circuit)) else {
            return Finding::unknown(c, format!("{who}: a peering location is not in the circuit bodies (ER215)."));
        };
        let (Some(ra), Some(rb)) = (globalreach::geopolitical_region(a), globalreach::geopolitical_region(b)) else {
            let missing = if globalreach::geopolitical_region(a).is_none() { a } else { b };
            return Finding::unknown(c, format!("{who}: erdiag's table does not know the geopolitical region of {missing}."))
                .fix("Look the location up in Microsoft's \"ExpressRoute connectivity partners and peering locations\"; across geopolitical regions both circuits need Premium.");
        };
        let sku = |x: &erdiag_model::ExpressRouteCircuit| x.sku.as_ref().and_then(|s| s.tier.clone()).unwrap_or_else(|| "(tier absent)".into());
        let evidence = [format!("{here}: {a} ({ra}), sku {}", sku(&cx.state.circuit)), format!("{other}: {b} ({rb}), sku {}", sku(circuit))];
        if ra == rb {
            return Finding::pass(c, format!("{who}: both circuits are in {ra}; any SKU will do.")).evidence_all(evidence);
        }
        let standard: Vec<&str> = [(here, &cx.state.circuit), (other, circuit)].into_iter().filter(|(_, x)| !x.is_premium()).map(|(n, _)| n).collect();
        if standard.is_empty() {
            Finding::pass(c, format!("{who}: {ra} to {rb} across geopolitical regions, and both circuits are Premium.")).evidence_all(evidence)
        } else {
            Finding::fail(c, format!("{who}: {ra} to {rb} crosses geopolitical regions, but {} is not Premium.", standard.join(" and ")))
                .evidence_all(evidence)
                .fix(format!("Enable the ExpressRoute Premium add-on on {}, or link circuits within one geopolitical region.", standard.join(" and ")))
        }
    });
}
