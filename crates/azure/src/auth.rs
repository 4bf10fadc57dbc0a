//! Where the bearer token comes from.
//!
//! In order: a token given with `--access-token` or `AZURE_ACCESS_TOKEN`;
//! a workload identity (`AZURE_FEDERATED_TOKEN_FILE` with `AZURE_CLIENT_ID`
//! and `AZURE_TENANT_ID`); a service principal (`AZURE_CLIENT_ID`,
//! `AZURE_CLIENT_SECRET`, `AZURE_TENANT_ID`); a managed identity
//! (`IDENTITY_ENDPOINT`, `MSI_ENDPOINT` or `AZURE_USE_MSI`); else the
//! developer tools' login (`az login`, then `azd auth login`).
//!
//! A token is a secret: this module never formats one.

use crate::cloud::Cloud;
use azure_core::credentials::{Secret, TokenCredential};
use std::sync::Arc;

/// A source of bearer tokens for ARM.
#[derive(Clone)]
pub enum Credential {
    /// A token the user already has. Used as is until ARM rejects it.
    Static(Arc<Secret>),
    /// One of the Azure SDK's credentials (they cache and refresh).
    Sdk { credential: Arc<dyn TokenCredential>, kind: &'static str },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot set up {what}: {message}")]
pub struct CredentialError {
    pub what: &'static str,
    pub message: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Credential {
    pub fn from_token(token: String) -> Credential {
        Credential::Static(Arc::new(Secret::new(token.trim().to_string())))
    }

    /// Picks a credential from the environment, as described in the module docs.
    pub fn from_environment(cloud: &Cloud) -> Result<Credential, CredentialError> {
        use azure_identity::*;
        if let Some(t) = env("AZURE_ACCESS_TOKEN") {
            return Ok(Credential::from_token(t));
        }
        let err = |what: &'static str| move |e: azure_core::Error| CredentialError { what, message: e.to_string() };
        let mut client_options = azure_core::http::ClientOptions::default();
        client_options.cloud = cloud.sdk_cloud().map(Arc::new);
        if env("AZURE_FEDERATED_TOKEN_FILE").is_some() && env("AZURE_CLIENT_ID").is_some() {
            let c = WorkloadIdentityCredential::new(None).map_err(err("a workload identity"))?;
            return Ok(Credential::Sdk { credential: c, kind: "workload identity" });
        }
        if let (Some(id), Some(secret), Some(tenant)) = (env("AZURE_CLIENT_ID"), env("AZURE_CLIENT_SECRET"), env("AZURE_TENANT_ID")) {
            let c = ClientSecretCredential::new(
                &tenant,
                id,
                Secret::new(secret),
                Some(ClientSecretCredentialOptions { client_options, ..Default::default() }),
            )
            .map_err(err("a service principal"))?;
            return Ok(Credential::Sdk { credential: c, kind: "service principal" });
        }
        if env("IDENTITY_ENDPOINT").is_some() || env("MSI_ENDPOINT").is_some() || env("AZURE_USE_MSI").is_some() {
            let options = ManagedIdentityCredentialOptions {
                user_assigned_id: env("AZURE_CLIENT_ID").map(UserAssignedId::ClientId),
                client_options,
                ..Default::default()
            };
            let c = ManagedIdentityCredential::new(Some(options)).map_err(err("a managed identity"))?;
            return Ok(Credential::Sdk { credential: c, kind: "managed identity" });
        }
        let c = DeveloperToolsCredential::new(None).map_err(err("the Azure CLI login"))?;
        Ok(Credential::Sdk { credential: c, kind: "Azure CLI / Azure Developer CLI login" })
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Credential::Static(_) => "access token given by the user",
            Credential::Sdk { kind, .. } => kind,
        }
    }

    /// A bearer token for `scope`. The error says which credential failed,
    /// never what a token was.
    pub(crate) async fn token(&self, scope: &str) -> Result<Arc<Secret>, String> {
        match self {
            Credential::Static(t) => Ok(t.clone()),
            Credential::Sdk { credential, kind } => credential
                .get_token(&[scope], None)
                .await
                .map(|t| Arc::new(t.token))
                .map_err(|e| format!("{kind}: {e}")),
        }
    }
}
