use crate::direct::{label, links, on_link, port};
use crate::facts;
use crate::{Check, Context, Finding};
use erdiag_model::direct::{vault_name, PortLink, SECRET_READER_ROLES};
use erdiag_model::{Collected, DirectState};

check! {
    /// ## What it checks
    /// On an ExpressRoute Direct port with MACsec, whether the port can read
    /// its CAK and CKN from the Key Vault their secret identifiers name
    /// (`https://VAULT.vault.azure.net/secrets/…`): the vault's firewall
    /// (`networkAcls.defaultAction` `Deny`, or public network access
    /// disabled, without the trusted-services bypass `AzureServices`)
    /// fails; the port's managed identity must be allowed to get secrets, by
    /// an access policy (`accessPolicies[].objectId` with `get` on secrets)
    /// or, with `enableRbacAuthorization`, by a role assignment at the vault
    /// of Key Vault Secrets User, Secrets Officer or Administrator. A vault
    /// that could not be read, or role assignments not read, are `unknown`.
    ///
    /// ## Why it matters
    /// Microsoft's routers fetch the MACsec keys through the port's identity.
    /// A vault closed by its firewall, or an identity without access, keeps
    /// the keys from the router: the secure channel does not come up (at the
    /// next rekey or link reset), and the link carries nothing. ExpressRoute
    /// is a trusted Microsoft service, so a firewalled vault must allow
    /// trusted services. A link down on that path (ER111) is then its
    /// consequence, as are the path's ARP and BGP failures.
    ///
    /// ## Evidence
    /// The port's `identity` and links' `macSecConfig`; the vault's ARM body
    /// (`properties.networkAcls`, `publicNetworkAccess`,
    /// `enableRbacAuthorization`, `accessPolicies`), found in the list of the
    /// port's subscription's vaults (`Microsoft.KeyVault/vaults`,
    /// api-version 2023-07-01); with RBAC the role assignments at the vault
    /// (`Microsoft.Authorization/roleAssignments`, api-version 2022-04-01).
    /// Read through ARM only: never the vault's data plane, never a secret.
    ///
    /// ## Remediation
    /// In the vault's Networking settings allow trusted Microsoft services to
    /// bypass the firewall; give the port's user-assigned identity `get` on
    /// secrets (an access policy, or the Key Vault Secrets User role at the
    /// vault).
    ///
    /// ## References
    /// Configure MACsec on ExpressRoute Direct ports
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-howto-macsec);
    /// About ExpressRoute encryption, "Can I use Key Vault firewall"
    /// (https://learn.microsoft.com/azure/expressroute/expressroute-about-encryption);
    /// Key Vault firewalls and virtual networks, trusted services
    /// (https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints).
    pub static DIRECT_MACSEC_KEY_VAULT = {
        id: "ER115", name: "direct-macsec-key-vault-unreadable", layer: Circuit, owner: Customer, points: [2, 5], explains: [Circuit],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let (direct, port) = match port(c, cx.state) {
        Ok(p) => p,
        Err(f) => return out.push(*f),
    };
    let name = port.name.as_deref().unwrap_or("the port");
    let principals = port.identity.as_ref().map(|i| i.principals()).unwrap_or_default();
    let mut any = false;
    for link in links(port) {
        let Some(m) = link.macsec() else { continue };
        any = true;
        let mut vaults: Vec<String> = [&m.cak_secret_identifier, &m.ckn_secret_identifier].into_iter().flatten().filter_map(|s| vault_name(s)).collect();
        vaults.dedup();
        let f = match vaults.first() {
            None => Finding::fail(c, format!("{} of port {name}: its MACsec secret identifiers name no Key Vault (https://VAULT.vault.azure.net/secrets/NAME).", label(link)))
                .fix("Set the CKN and CAK secret identifiers to the secrets' Key Vault URLs."),
            Some(v) => judge(c, direct, link, v, &principals, name),
        };
        on_link(cx.state, link, f, out);
    }
    if !any {
        out.push(Finding::not_used(c, format!("MACsec is configured on no link of port {name}.")));
    }
}

fn judge(c: &Check, direct: &DirectState, link: &PortLink, vault: &str, principals: &[&str], port: &str) -> Finding {
    let Some(state) = direct.vault(vault) else {
        return Finding::unknown(c, format!("Key Vault {vault} of {} was not read.", label(link)));
    };
    facts::when_read(c, &state.vault, || format!("Key Vault {vault} (of port {port}'s MACsec secrets)"), |kv| {
        let acl = kv.properties.network_acls.as_ref();
        let fw = format!(
            "{vault}: defaultAction {}, bypass {}, publicNetworkAccess {}",
            acl.and_then(|a| a.default_action.as_deref()).unwrap_or("(not stated)"),
            acl.and_then(|a| a.bypass.as_deref()).unwrap_or("(not stated)"),
            kv.properties.public_network_access.as_deref().unwrap_or("(not stated)")
        );
        if kv.closed_to_trusted_services() {
            return Finding::fail(c, format!("Key Vault {vault} denies port {port}: its firewall is closed without the trusted-services bypass, so the port cannot read its MACsec keys."))
                .evidence(format!("{}: CKN and CAK in Key Vault {vault}", label(link)))
                .evidence(fw)
                .fix(format!("In Key Vault {vault}'s Networking settings, allow trusted Microsoft services to bypass the firewall (bypass AzureServices)."));
        }
        if principals.is_empty() {
            return Finding::fail(c, format!("Port {port} has no managed identity: it cannot read its MACsec keys from Key Vault {vault}."))
                .evidence(fw)
                .fix("Give the port a user-assigned identity (Set-AzExpressRoutePort -Identity) and allow it to get the secrets.");
        }
        let who = principals.join(", ");
        if kv.rbac() {
            return match &state.role_assignments {
                Collected::Ok(rows) => {
                    let granted = rows.iter().find_map(|r| {
                        let p = r.properties.principal_id.as_deref()?;
                        let role = r.properties.role_definition_id.as_deref()?.rsplit('/').next()?;
                        let named = SECRET_READER_ROLES.iter().find(|(id, _)| id.eq_ignore_ascii_case(role))?;
                        principals.iter().any(|x| x.eq_ignore_ascii_case(p)).then_some(named.1)
                    });
                    match granted {
                        Some(role) => Finding::pass(c, format!("Key Vault {vault} is open to port {port}: trusted services pass its firewall and the port's identity holds {role}.")).evidence(fw),
                        None => Finding::fail(c, format!("Key Vault {vault} uses RBAC and no role assignment at it lets the port's identity ({who}) read secrets."))
                            .evidence(fw)
                            .fix(format!("Assign Key Vault Secrets User at Key Vault {vault} to the port's identity ({who}).")),
                    }
                }
                other => facts::unread(c, other, &format!("the role assignments of Key Vault {vault} (it uses RBAC)")),
            };
        }
        if principals.iter().any(|p| kv.policy_allows_get(p)) {
            Finding::pass(c, format!("Key Vault {vault} is open to port {port}: trusted services pass its firewall and an access policy gives the port's identity get on secrets.")).evidence(fw)
        } else {
            Finding::fail(c, format!("No access policy of Key Vault {vault} gives the port's identity ({who}) get on secrets."))
                .evidence(fw)
                .fix(format!("Add an access policy to Key Vault {vault} with Get on secrets for the port's identity ({who})."))
        }
    })
}
