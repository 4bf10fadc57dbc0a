//! Step 4 of the guide, first half: the MSEE's BGP sessions.
pub mod bgp_flaps;
pub mod bgp_no_prefixes_received;
pub mod bgp_prefix_limit_exceeded;
pub mod bgp_session_down;
pub mod ipv6_no_prefixes_received;
pub mod ipv6_bgp_session_down;
