//! arista_eos show outputs.

pub(crate) mod show_ip_bgp;
pub(crate) mod show_ip_bgp_summary;
pub(crate) mod show_interfaces;
pub(crate) mod show_ip_arp;
pub(crate) mod show_ip_route;
