//! The one ordered list of checks: run order and report order, following the
//! guide's steps. IDs are stable: a retired check's ID is never reused.
//! [`FLEET`] lists the checks across circuits (layer `resiliency`, ER0xx),
//! run by [`crate::fleet::diagnose`], never by a single circuit's diagnosis.

use crate::check::Check;
use crate::fleet::{
    ce_bfd_missing, direct_port_oversubscribed, gateway_not_zone_redundant, gateway_single_peering_location, paths_carry_different_prefixes,
    prefix_limit_headroom, redundant_circuits_asymmetric_prefixes, routing_weights,
};
use crate::rules::*;

pub static ALL: &[&Check] = &[
    &circuit::circuit_not_enabled::CIRCUIT_NOT_ENABLED,
    &circuit::provider_not_provisioned::PROVIDER_NOT_PROVISIONED,
    &circuit::circuit_provisioning_failed::CIRCUIT_PROVISIONING_FAILED,
    &circuit::express_route_direct::EXPRESS_ROUTE_DIRECT,
    &circuit::authorization_status::AUTHORIZATION_STATUS,
    &circuit::direct_link_admin_disabled::DIRECT_LINK_ADMIN_DISABLED,
    &circuit::direct_link_down::DIRECT_LINK_DOWN,
    &circuit::direct_light_level::DIRECT_LIGHT_LEVEL,
    &circuit::direct_macsec_one_link::DIRECT_MACSEC_ONE_LINK,
    &circuit::direct_macsec_cipher::DIRECT_MACSEC_CIPHER,
    &circuit::direct_macsec_key_vault::DIRECT_MACSEC_KEY_VAULT,
    &circuit::direct_port_oversubscribed::DIRECT_PORT_OVER_PROVISIONED,
    &peering::peering_not_configured::PEERING_NOT_CONFIGURED,
    &peering::peering_not_enabled::PEERING_NOT_ENABLED,
    &peering::peering_subnet_invalid::PEERING_SUBNET_INVALID,
    &peering::vlan_invalid::VLAN_INVALID,
    &peering::asn_invalid::ASN_INVALID,
    &peering::microsoft_peering_prefixes_not_validated::MICROSOFT_PEERING_PREFIXES_NOT_VALIDATED,
    &peering::microsoft_peering_no_route_filter::MICROSOFT_PEERING_NO_ROUTE_FILTER,
    &peering::peering_addresses::PEERING_ADDRESSES,
    &peering::ipv6_peering_subnet_invalid::IPV6_PEERING_SUBNET_INVALID,
    &peering::ipv6_peering_disabled::IPV6_PEERING_DISABLED,
    &peering::global_reach_prefix_invalid::GLOBAL_REACH_PREFIX_INVALID,
    &peering::global_reach_peer_peering_missing::GLOBAL_REACH_PEER_PEERING_MISSING,
    &peering::global_reach_one_sided::GLOBAL_REACH_ONE_SIDED,
    &peering::global_reach_disconnected::GLOBAL_REACH_DISCONNECTED,
    &peering::global_reach_prefix_overlap::GLOBAL_REACH_PREFIX_OVERLAP,
    &peering::global_reach_same_location::GLOBAL_REACH_SAME_LOCATION,
    &peering::global_reach_premium_required::GLOBAL_REACH_PREMIUM_REQUIRED,
    &arp::arp_on_prem_entry_missing::ARP_ON_PREM_ENTRY_MISSING,
    &arp::arp_flaps::ARP_FLAPS,
    &bgp::bgp_session_down::BGP_SESSION_DOWN,
    &bgp::bgp_no_prefixes_received::BGP_NO_PREFIXES_RECEIVED,
    &bgp::bgp_prefix_limit_exceeded::BGP_PREFIX_LIMIT_EXCEEDED,
    &bgp::bgp_flaps::BGP_FLAPS,
    &bgp::ipv6_bgp_session_down::IPV6_BGP_SESSION_DOWN,
    &bgp::ipv6_no_prefixes_received::IPV6_NO_PREFIXES_RECEIVED,
    &routes::routes_paths_differ::ROUTES_PATHS_DIFFER,
    &routes::routes_overlap_vnet::ROUTES_OVERLAP_VNET,
    &routes::routes_default_route::ROUTES_DEFAULT_ROUTE,
    &routes::routes_destination_lookup::ROUTES_DESTINATION_LOOKUP,
    &traffic::traffic_one_way::TRAFFIC_ONE_WAY,
    &traffic::traffic_none::TRAFFIC_NONE,
    &traffic::traffic_single_path::TRAFFIC_SINGLE_PATH,
    &traffic::traffic_utilization_high::TRAFFIC_UTILIZATION_HIGH,
    &traffic::traffic_qos_drops::TRAFFIC_QOS_DROPS,
    &connectivity::connectivity_test_failed::CONNECTIVITY_TEST_FAILED,
    &connectivity::tcp_probe_loss::TCP_PROBE_LOSS,
    &gateway::gateway_connection_missing::GATEWAY_CONNECTION_MISSING,
    &gateway::gateway_not_provisioned::GATEWAY_NOT_PROVISIONED,
    &gateway::gateway_bgp_peer_down::GATEWAY_BGP_PEER_DOWN,
    &gateway::gateway_routes_not_learned::GATEWAY_ROUTES_NOT_LEARNED,
    &gateway::gateway_unhealthy::GATEWAY_UNHEALTHY,
    &gateway::gateway_sku_undersized::GATEWAY_SKU_UNDERSIZED,
    &gateway::gateway_cpu_high::GATEWAY_CPU_HIGH,
    &gateway::gateway_route_change_storm::GATEWAY_ROUTE_CHANGE_STORM,
    &gateway::gateway_ipv6_no_peering::GATEWAY_IPV6_NO_PEERING,
    &gateway::vwan_hub_routing_failed::VWAN_HUB_ROUTING_FAILED,
    &gateway::vwan_connection_missing::VWAN_CONNECTION_MISSING,
    &gateway::vwan_scale_units_undersized::VWAN_SCALE_UNITS_UNDERSIZED,
    &gateway::vwan_non_vwan_traffic_blocked::VWAN_NON_VWAN_TRAFFIC_BLOCKED,
    &gateway::fastpath_unsupported_sku::FASTPATH_UNSUPPORTED_SKU,
    &gateway::fastpath_private_link_needs_direct::FASTPATH_PRIVATE_LINK_NEEDS_DIRECT,
    &customer_edge::ce_vlan_mismatch::CE_VLAN_MISMATCH,
    &customer_edge::ce_ip_mismatch::CE_IP_MISMATCH,
    &customer_edge::ce_asn_mismatch::CE_ASN_MISMATCH,
    &customer_edge::ce_md5_mismatch::CE_MD5_MISMATCH,
    &customer_edge::ce_bfd_disabled::CE_BFD_DISABLED,
    &customer_edge::ce_neighbor_shutdown::CE_NEIGHBOR_SHUTDOWN,
    &customer_edge::ce_bgp_session_down::CE_BGP_SESSION_DOWN,
    &customer_edge::ce_arp_msee_missing::CE_ARP_MSEE_MISSING,
    &customer_edge::ce_advertised_prefixes::CE_ADVERTISED_PREFIXES,
    &customer_edge::ce_default_route_to_microsoft::CE_DEFAULT_ROUTE_TO_MICROSOFT,
    &customer_edge::ce_interface_state::CE_INTERFACE_STATE,
    &customer_edge::ce_vnet_best_path::CE_VNET_BEST_PATH,
    &customer_edge::ce_ipv6_neighbor_mismatch::CE_IPV6_NEIGHBOR_MISMATCH,
    &customer_edge::ce_macsec_state_mismatch::CE_MACSEC_STATE_MISMATCH,
    &customer_edge::ce_macsec_cipher_mismatch::CE_MACSEC_CIPHER_MISMATCH,
    &customer_edge::ce_macsec_sci_mismatch::CE_MACSEC_SCI_MISMATCH,
    &customer_edge::ce_input_not_understood::CE_INPUT_NOT_UNDERSTOOD,
];

/// The checks across circuits, in run order (which is the order of the
/// fleet's findings).
pub static FLEET: &[&Check] = &[
    &gateway_single_peering_location::GATEWAY_SINGLE_PEERING_LOCATION,
    &paths_carry_different_prefixes::PATHS_CARRY_DIFFERENT_PREFIXES,
    &redundant_circuits_asymmetric_prefixes::REDUNDANT_CIRCUITS_ASYMMETRIC_PREFIXES,
    &prefix_limit_headroom::PREFIX_LIMIT_HEADROOM,
    &routing_weights::ROUTING_WEIGHTS,
    &direct_port_oversubscribed::DIRECT_PORT_OVERSUBSCRIBED,
    &gateway_not_zone_redundant::GATEWAY_NOT_ZONE_REDUNDANT,
    &ce_bfd_missing::CE_BFD_MISSING,
];

/// Every check, a single circuit's then the fleet's.
pub fn every() -> impl Iterator<Item = &'static Check> {
    ALL.iter().chain(FLEET).copied()
}

/// Finds a check by ID (`ER301`) or name (`arp-on-prem-entry-missing`),
/// case-insensitively, among [`ALL`] and [`FLEET`].
pub fn find(key: &str) -> Option<&'static Check> {
    every().find(|c| c.id.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for c in every() {
            assert!(ids.insert(c.id), "duplicate id {}", c.id);
            assert!(names.insert(c.name), "duplicate name {}", c.name);
            assert!(c.id.len() == 5 && c.id.starts_with("ER") && c.id[2..].chars().all(|x| x.is_ascii_digit()), "{}", c.id);
            assert!(c.name.chars().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '-') && c.name.starts_with(|x: char| x.is_ascii_lowercase()), "{}", c.name);
            // The first digit after ER names the layer, in the guide's order.
            let digit = c.id.as_bytes()[2] - b'0';
            assert_eq!(digit, c.layer.digit(), "{} is in the wrong layer range", c.id);
            assert!(c.points.iter().all(|p| (1..=7).contains(p)), "{}", c.id);
        }
    }

    #[test]
    fn every_check_is_documented_with_the_same_headings() {
        for c in every() {
            let doc = c.documentation();
            for h in ["## What it checks", "## Why it matters", "## Evidence", "## Remediation", "## References"] {
                assert!(doc.contains(h), "{} lacks {h}", c.id);
            }
        }
    }

    #[test]
    fn registry_runs_in_layer_order() {
        let layers: Vec<_> = ALL.iter().map(|c| c.layer).collect();
        let mut sorted = layers.clone();
        sorted.sort();
        assert_eq!(layers, sorted);
    }

    #[test]
    fn find_knows_the_checks_across_circuits_too() {
        assert_eq!(find("er001").map(|c| c.name), Some("gateway-single-peering-location"));
        assert_eq!(find("Routing-Weights").map(|c| c.id), Some("ER005"));
        assert_eq!(find("ER301").map(|c| c.layer), Some(crate::Layer::Arp));
    }

    #[test]
    fn each_list_runs_its_own_kind_of_check() {
        use crate::check::Run;
        assert!(ALL.iter().all(|c| matches!(c.run, Run::Circuit(_)) && c.layer != crate::Layer::Resiliency));
        assert!(FLEET.iter().all(|c| matches!(c.run, Run::Fleet(_)) && c.layer == crate::Layer::Resiliency));
    }
}
