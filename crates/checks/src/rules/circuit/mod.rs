//! Step 1 of the guide: circuit provisioning and state.
pub mod circuit_not_enabled;
pub mod authorization_status;
pub mod circuit_provisioning_failed;
pub mod express_route_direct;
pub mod provider_not_provisioned;
