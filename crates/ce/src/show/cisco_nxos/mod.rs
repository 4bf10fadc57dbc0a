//! cisco_nxos show outputs.

pub(crate) mod show_ip_bgp_summary_vrf;
pub(crate) mod show_ip_bgp_summary;
pub(crate) mod show_ip_bgp;
pub(crate) mod show_ip_bgp_neighbors;
pub(crate) mod show_ip_arp_detail_vrf_all;
pub(crate) mod show_ip_arp_detail;
pub(crate) mod show_ip_arp;
pub(crate) mod show_ip_route;
pub(crate) mod show_interface;
