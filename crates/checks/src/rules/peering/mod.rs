//! Step 2 of the guide: peering configuration.
pub mod asn_invalid;
pub mod global_reach_disconnected;
pub mod global_reach_one_sided;
pub mod global_reach_peer_peering_missing;
pub mod global_reach_prefix_invalid;
pub mod global_reach_prefix_overlap;
pub mod global_reach_premium_required;
pub mod global_reach_same_location;
pub mod ipv6_peering_disabled;
pub mod ipv6_peering_subnet_invalid;
pub mod microsoft_peering_no_route_filter;
pub mod microsoft_peering_prefixes_not_validated;
pub mod peering_addresses;
pub mod peering_not_configured;
pub mod peering_not_enabled;
pub mod peering_subnet_invalid;
pub mod vlan_invalid;
