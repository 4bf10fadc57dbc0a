//! ExpressRoute Direct: the port a circuit sits on (`Microsoft.Network/
//! expressRoutePorts`), its two links (link1 carries the primary path,
//! link2 the secondary) with their MACsec settings, and the Key Vault that
//! holds the MACsec CAK and CKN secrets (`Microsoft.KeyVault/vaults`, read
//! through ARM only: its firewall, access policies and RBAC mode, never a
//! secret) with the role assignments at the vault when it uses RBAC.

use crate::arm::SubResource;
use crate::device::DevicePath;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The api-version of `Microsoft.KeyVault/vaults` (the vault and the
/// subscription's list of vaults).
pub const KEYVAULT_API_VERSION: &str = "2023-07-01";
/// The api-version of `Microsoft.Authorization/roleAssignments`.
pub const AUTHORIZATION_API_VERSION: &str = "2022-04-01";

/// `Microsoft.Network/expressRoutePorts`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressRoutePort {
    pub id: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
    pub identity: Option<PortIdentity>,
    #[serde(default)]
    pub properties: PortProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortProperties {
    pub provisioning_state: Option<String>,
    pub peering_location: Option<String>,
    /// The bandwidth of each of the two links.
    pub bandwidth_in_gbps: Option<f64>,
    /// The bandwidth the port's circuits take, summed.
    pub provisioned_bandwidth_in_gbps: Option<f64>,
    /// `Dot1Q` or `QinQ`.
    pub encapsulation: Option<String>,
    /// `None` when the body does not carry them.
    pub links: Option<Vec<PortLink>>,
    pub circuits: Option<Vec<SubResource>>,
}

/// One of the port's two links (`link1`, `link2`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortLink {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: LinkProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkProperties {
    pub router_name: Option<String>,
    pub interface_name: Option<String>,
    pub patch_panel_id: Option<String>,
    pub rack_id: Option<String>,
    pub colo_location: Option<String>,
    pub connector_type: Option<String>,
    /// `Enabled` or `Disabled`: set by the customer.
    pub admin_state: Option<String>,
    pub mac_sec_config: Option<MacSecConfig>,
}

/// A link's `macSecConfig`. The secret identifiers are Key Vault URLs, not
/// secrets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MacSecConfig {
    pub ckn_secret_identifier: Option<String>,
    pub cak_secret_identifier: Option<String>,
    pub cipher: Option<String>,
    /// `Enabled` or `Disabled`.
    pub sci_state: Option<String>,
}

impl MacSecConfig {
    /// MACsec is configured on the link: a cipher or a secret is set.
    pub fn configured(&self) -> bool {
        let set = |s: &Option<String>| s.as_deref().is_some_and(|v| !v.trim().is_empty());
        set(&self.ckn_secret_identifier) || set(&self.cak_secret_identifier)
    }
}

/// The port's managed identity (the one that reads the MACsec secrets).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortIdentity {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub principal_id: Option<String>,
    pub user_assigned_identities: Option<BTreeMap<String, UserAssignedIdentity>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAssignedIdentity {
    pub principal_id: Option<String>,
    pub client_id: Option<String>,
}

impl PortIdentity {
    /// The principal ids of the identity (system- and user-assigned).
    pub fn principals(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.principal_id.as_deref().into_iter().collect();
        out.extend(self.user_assigned_identities.iter().flat_map(|m| m.values()).filter_map(|u| u.principal_id.as_deref()));
        out
    }
}

impl PortLink {
    pub fn name(&self) -> &str {
        self.name.as_deref().or_else(|| self.id.as_deref().map(crate::last_segment)).unwrap_or("link")
    }
    /// link1 carries the primary path, link2 the secondary.
    pub fn path(&self) -> Option<DevicePath> {
        match self.name().to_ascii_lowercase().as_str() {
            "link1" => Some(DevicePath::Primary),
            "link2" => Some(DevicePath::Secondary),
            _ => None,
        }
    }
    pub fn admin_disabled(&self) -> bool {
        self.properties.admin_state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("disabled"))
    }
    pub fn macsec(&self) -> Option<&MacSecConfig> {
        self.properties.mac_sec_config.as_ref().filter(|m| m.configured())
    }
    /// Where the link is, for the colo or the provider: router, interface,
    /// patch panel, rack, colo (only what the body carries).
    pub fn location_text(&self) -> String {
        let p = &self.properties;
        let parts: Vec<String> = [
            ("router", &p.router_name),
            ("interface", &p.interface_name),
            ("patch panel", &p.patch_panel_id),
            ("rack", &p.rack_id),
            ("colo", &p.colo_location),
            ("connector", &p.connector_type),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|s| !s.is_empty()).map(|v| format!("{k} {v}")))
        .collect();
        if parts.is_empty() {
            String::from("no location given by ARM")
        } else {
            parts.join(", ")
        }
    }
}

impl ExpressRoutePort {
    pub fn links(&self) -> &[PortLink] {
        self.properties.links.as_deref().unwrap_or_default()
    }
    pub fn link(&self, d: DevicePath) -> Option<&PortLink> {
        self.links().iter().find(|l| l.path() == Some(d))
    }
}

/// `Microsoft.KeyVault/vaults`, the fields that decide whether the port can
/// read its MACsec secrets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyVault {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub properties: VaultProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultProperties {
    pub enable_rbac_authorization: Option<bool>,
    pub network_acls: Option<NetworkAcls>,
    pub access_policies: Option<Vec<AccessPolicy>>,
    pub public_network_access: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkAcls {
    /// `Allow` or `Deny`.
    pub default_action: Option<String>,
    /// `AzureServices` or `None`.
    pub bypass: Option<String>,
    #[serde(default)]
    pub ip_rules: Vec<serde_json::Value>,
    #[serde(default)]
    pub virtual_network_rules: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicy {
    pub object_id: Option<String>,
    #[serde(default)]
    pub permissions: Permissions,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    #[serde(default)]
    pub secrets: Vec<String>,
}

/// `Microsoft.Authorization/roleAssignments`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub id: Option<String>,
    #[serde(default)]
    pub properties: RoleAssignmentProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentProperties {
    pub role_definition_id: Option<String>,
    pub principal_id: Option<String>,
    pub scope: Option<String>,
}

impl KeyVault {
    /// The firewall closes the vault to the port: default action `Deny`
    /// without the trusted-services bypass (ExpressRoute is a trusted
    /// service), or public network access disabled without that bypass.
    pub fn closed_to_trusted_services(&self) -> bool {
        let p = &self.properties;
        let bypass = p.network_acls.as_ref().and_then(|a| a.bypass.as_deref()).is_some_and(|b| b.split(',').any(|x| x.trim().eq_ignore_ascii_case("AzureServices")));
        let deny = p.network_acls.as_ref().and_then(|a| a.default_action.as_deref()).is_some_and(|a| a.eq_ignore_ascii_case("deny"));
        let public_off = p.public_network_access.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("disabled"));
        (deny || public_off) && !bypass
    }
    pub fn rbac(&self) -> bool {
        self.properties.enable_rbac_authorization == Some(true)
    }
    /// An access policy gives this principal `get` on secrets.
    pub fn policy_allows_get(&self, principal: &str) -> bool {
        self.properties.access_policies.iter().flatten().any(|a| {
            a.object_id.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(principal)) && a.permissions.secrets.iter().any(|s| s.eq_ignore_ascii_case("get") || s.eq_ignore_ascii_case("all"))
        })
    }
}

/// The built-in roles that let a principal read a secret's value: Key Vault
/// Administrator, Key Vault Secrets Officer, Key Vault Secrets User (their
/// ids are the same in every tenant).
pub const SECRET_READER_ROLES: &[(&str, &str)] = &[
    ("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator"),
    ("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer"),
    ("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User"),
];

/// The vault named by a secret identifier
/// (`https://VAULT.vault.azure.net/secrets/NAME[/VERSION]`), lower case.
pub fn vault_name(secret_identifier: &str) -> Option<String> {
    let rest = secret_identifier.trim().strip_prefix("https://")?;
    let host = rest.split('/').next()?;
    let (name, domain) = host.split_once('.')?;
    (domain.to_ascii_lowercase().starts_with("vault.") && !name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// The ARM paths of a Direct port's reads.
pub struct DirectPaths;

impl DirectPaths {
    /// The subscription's list of Key Vaults.
    pub fn vaults_in_subscription(subscription: &str) -> String {
        format!("/subscriptions/{subscription}/providers/Microsoft.KeyVault/vaults")
    }
    /// The role assignments at (and above) a vault.
    pub fn role_assignments(vault_id: &str) -> String {
        format!("{}/providers/Microsoft.Authorization/roleAssignments", vault_id.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_names_come_from_secret_identifiers() {
        assert_eq!(vault_name("https://kv-erd-ams.vault.azure.net/secrets/cak/0123").as_deref(), Some("kv-erd-ams"));
        assert_eq!(vault_name("https://KV1.vault.azure.net/secrets/ckn").as_deref(), Some("kv1"));
        assert_eq!(vault_name("https://example.com/secrets/ckn"), None);
        assert_eq!(vault_name("not a url"), None);
    }
}
