//! The checks, one per file, grouped by the guide's steps.
pub mod arp;
pub mod bgp;
pub mod circuit;
pub mod connectivity;
pub mod customer_edge;
pub mod gateway;
pub mod peering;
pub mod routes;
pub mod traffic;
