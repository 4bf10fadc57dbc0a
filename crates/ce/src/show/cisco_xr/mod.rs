//! cisco_xr show outputs.

pub(crate) mod show_bgp_instance_all_summary;
pub(crate) mod show_bgp_vrf_all_ipv4_unicast_summary;
pub(crate) mod show_ip_bgp_summary;
pub(crate) mod show_bgp_neighbors;
pub(crate) mod show_arp;
pub(crate) mod show_ip_route;
pub(crate) mod show_bgp;
pub(crate) mod show_interfaces;
