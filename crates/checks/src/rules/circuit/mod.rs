//! Step 1 of the guide: circuit provisioning and state.
pub mod circuit_not_enabled;
pub mod authorization_status;
pub mod circuit_provisioning_failed;
pub mod direct_light_level;
pub mod direct_link_admin_disabled;
pub mod direct_link_down;
pub mod direct_macsec_cipher;
pub mod direct_macsec_key_vault;
pub mod direct_macsec_one_link;
pub mod direct_port_oversubscribed;
pub mod express_route_direct;
pub mod provider_not_provisioned;
