use super::{Fact, Fleet};
use crate::{Check, Finding};

check! {
    /// ## What it checks
    /// For each virtual network gateway of the fleet's circuits, in a region
    /// with availability zones, the gateway's SKU is zone-redundant: one of
    /// the `…AZ` SKUs (`ErGw1AZ`, `ErGw2AZ`, `ErGw3AZ`) or `ErGwScale`.
    ///
    /// ## Why it matters
    /// A gateway of a non-zonal SKU (`Standard`, `HighPerformance`,
    /// `UltraPerformance`, `ErGw1`–`ErGw3`) runs in one zone's datacenters:
    /// losing that zone cuts the VNet from every circuit, however redundant
    /// the circuits are. In a region with zones, a zone-redundant SKU spreads
    /// the gateway's instances across them.
    ///
    /// ## Evidence
    /// The gateway's `properties.sku.name` and `location`; the regions with
    /// availability zones, a list kept in this file (with its source and
    /// date). A gateway not read, or lacking either field, is `unknown`.
    ///
    /// ## Remediation
    /// Migrate the gateway to a zone-redundant SKU (the gateway migration
    /// in the portal, or a new `ErGw…AZ` / `ErGwScale` gateway).
    ///
    /// ## References
    /// About ExpressRoute virtual network gateways
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways);
    /// Create a zone-redundant virtual network gateway
    /// (https://learn.microsoft.com/azure/vpn-gateway/create-zone-redundant-vnet-gateway);
    /// Azure regions list (https://learn.microsoft.com/azure/reliability/regions-list).
    pub static GATEWAY_NOT_ZONE_REDUNDANT = {
        id: "ER007", name: "gateway-not-zone-redundant", layer: Resiliency, owner: Customer, points: [6],
    };
}

/// Azure public and government regions with availability zones, by
/// programmatic name. Source: Microsoft Learn, "Azure regions list"
/// (learn.microsoft.com/azure/reliability/regions-list) and "Availability
/// zone service and regional support", as read in December 2026. A region
/// that gains zones later is read as having none: the check then passes it,
/// and this list needs the new name.
pub const ZONE_REGIONS: &[&str] = &[
    "australiaeast",
    "austriaeast",
    "belgiumcentral",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "chinanorth3",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "mexicocentral",
    "newzealandnorth",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "usgovvirginia",
    "westeurope",
    "westus2",
    "westus3",
];

/// Whether a region (programmatic name or display name) has availability zones.
pub fn has_zones(region: &str) -> bool {
    let r: String = region.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    ZONE_REGIONS.contains(&r.as_str())
}

/// Whether a gateway SKU is zone-redundant.
pub fn zone_redundant(sku: &str) -> bool {
    let s = sku.to_ascii_lowercase();
    s.ends_with("az") || s == "ergwscale"
}

fn run(c: &Check, fleet: &Fleet, out: &mut Vec<Finding>) {
    fleet.per_gateway(out, |g| {
        let name = g.name();
        let body = match &g.body {
            Fact::Read(b) => b,
            Fact::Unread(why) => return Some(Finding::unknown(c, format!("Gateway {name}: {why}."))),
        };
        let (Some(sku), Some(loc)) = (body.sku.as_deref(), body.location.as_deref()) else {
            let field = if body.sku.is_none() { "properties.sku.name" } else { "location" };
            return Some(Finding::unknown(c, format!("Gateway {name}: {field} is not in the input, so it cannot be checked."))
                .fix(format!("Give the gateway's full body: `az network vnet-gateway show --ids {} -o json`.", g.id)));
        };
        let ev = format!("sku {sku}, location {loc}");
        Some(
            if zone_redundant(sku) {
                Finding::pass(c, format!("Gateway {name} is zone-redundant ({sku})."))
            } else if has_zones(loc) {
                Finding::warn(c, format!("Gateway {name} ({sku}) is not zone-redundant, in {loc}, a region with availability zones: losing one zone cuts the VNet from all its circuits."))
                    .fix(format!("Migrate gateway {name} to a zone-redundant SKU (ErGw1AZ, ErGw2AZ, ErGw3AZ or ErGwScale)."))
            } else {
                Finding::pass(c, format!("Gateway {name} ({sku}) is in {loc}, a region without availability zones."))
            }
            .evidence(ev),
        )
    });
}
