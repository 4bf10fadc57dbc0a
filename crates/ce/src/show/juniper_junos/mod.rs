//! juniper_junos show outputs.

pub(crate) mod show_bgp_summary;
pub(crate) mod show_interfaces;
pub(crate) mod show_arp_no_resolve;
pub(crate) mod show_route_summary;
