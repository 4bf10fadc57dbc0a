//! cisco_ios show outputs.

pub(crate) mod show_ip_bgp_summary;
pub(crate) mod show_ip_bgp;
pub(crate) mod show_ip_bgp_neighbors;
pub(crate) mod show_ip_arp;
pub(crate) mod show_arp;
pub(crate) mod show_ip_route;
pub(crate) mod show_ip_interface_brief;
pub(crate) mod show_interfaces;
