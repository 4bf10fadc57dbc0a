//! FRRouting (vtysh) show outputs. ntc-templates has no FRR templates: the
//! field names follow ntc-templates' Cisco IOS ones where the columns are
//! the same (FRR's formats are close to IOS's), and the parsers are held to
//! fixtures written from FRR's documented output and the Batfish SONiC lab.

pub(crate) mod show_arp;
pub(crate) mod show_bgp_neighbors;
pub(crate) mod show_bgp_summary;
pub(crate) mod show_interface;
pub(crate) mod show_ip_bgp;
pub(crate) mod show_ip_route;
