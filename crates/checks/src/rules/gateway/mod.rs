//! Step 7 of the guide: the virtual network gateway and its connection.
pub mod gateway_bgp_peer_down;
pub mod gateway_connection_missing;
pub mod gateway_not_provisioned;
pub mod gateway_routes_not_learned;
pub mod gateway_sku_undersized;
pub mod gateway_unhealthy;
