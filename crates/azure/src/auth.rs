//! Where the bearer token comes from.
//!
//! In order: a token given with `--access-token` or `AZURE_ACCESS_TOKEN`;
//! a workload identity (`AZURE_FEDERATED_TOKEN_FILE` with `AZURE_CLIENT_ID`
//! and `AZURE_TENANT_ID`); a service principal (`AZURE_CLIENT_ID`,
//! `AZURE_CLIENT_SECRET`, `AZURE_TENANT_ID`); a managed identity, only when
//! the environment says there is one (App Service, Functions and Container
//! Apps set `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`; on a VM, opt in with
//! `AZURE_USE_MSI` or name the IMDS host with
//! `AZURE_POD_IDENTITY_AUTHORITY_HOST`); else the developer tools' login
//! (`az login`, then `azd auth login`).
//!
//! Entra ID is `AZURE_AUTHORITY_HOST` when set (an Azure Stack Hub, the
//! emulator), else the cloud's. Token requests go through the same HTTP
//! client as ARM calls ([`crate::client::http_client`]): the same trusted
//! roots and timeouts.
//!
//! A token is a secret: this module never formats one, and error messages
//! carry only the token endpoint's `error`/`error_description`.

use crate::cloud::Cloud;
use azure_core::credentials::{Secret, TokenCredential};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of bearer tokens for ARM.
#[derive(Clone)]
pub enum Credential {
    /// A token the user already has. Used as is until ARM rejects it.
    Static(Arc<Secret>),
    /// One of the Azure SDK's credentials (they cache and refresh).
    Sdk { credential: Arc<dyn TokenCredential>, kind: &'static str },
    /// The managed identity of the Azure resource erdiag runs on.
    ManagedIdentity(Arc<ManagedIdentity>),
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

    /// Picks a credential from the environment, as described in the module
    /// docs. `http` carries token requests to Entra ID (see
    /// [`crate::client::http_client`]).
    pub fn from_environment(cloud: &Cloud, http: &reqwest::Client) -> Result<Credential, CredentialError> {
        use azure_identity::*;
        if let Some(t) = env("AZURE_ACCESS_TOKEN") {
            return Ok(Credential::from_token(t));
        }
        let err = |what: &'static str| move |e: azure_core::Error| CredentialError { what, message: e.to_string() };
        let mut client_options = azure_core::http::ClientOptions::default();
        client_options.cloud = cloud.sdk_cloud().map(Arc::new);
        client_options.transport = Some(azure_core::http::Transport::new(Arc::new(http.clone())));
        if env("AZURE_FEDERATED_TOKEN_FILE").is_some() && env("AZURE_CLIENT_ID").is_some() {
            let options = WorkloadIdentityCredentialOptions {
                credential_options: ClientAssertionCredentialOptions { client_options },
                ..Default::default()
            };
            let c = WorkloadIdentityCredential::new(Some(options)).map_err(err("a workload identity"))?;
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
        if let Some(mi) = ManagedIdentity::from_environment()? {
            return Ok(Credential::ManagedIdentity(Arc::new(mi)));
        }
        let c = DeveloperToolsCredential::new(None).map_err(err("the Azure CLI login"))?;
        Ok(Credential::Sdk { credential: c, kind: "Azure CLI / Azure Developer CLI login" })
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Credential::Static(_) => "access token given by the user",
            Credential::Sdk { kind, .. } => kind,
            Credential::ManagedIdentity(mi) => mi.describe(),
        }
    }

    /// After ARM refused the last token (401): forgets a cached token, and
    /// says whether asking again may bring another one (never for a token
    /// given by the user).
    pub(crate) async fn invalidate(&self) -> bool {
        match self {
            Credential::Static(_) => false,
            // The SDK's credentials renew on their own schedule: asking again
            // returns a token renewed since, if any.
            Credential::Sdk { .. } => true,
            Credential::ManagedIdentity(mi) => {
                *mi.cached.lock().await = None;
                true
            }
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
            Credential::ManagedIdentity(mi) => mi.token(scope).await.map_err(|e| format!("{}: {e}", mi.describe())),
        }
    }
}

/// The two ways a managed identity hands out tokens.
enum Style {
    /// App Service, Functions, Container Apps: `IDENTITY_ENDPOINT`, with
    /// `IDENTITY_HEADER` as `X-IDENTITY-HEADER`.
    AppService { header: Secret },
    /// A VM's Instance Metadata Service, with `Metadata: true`.
    Imds,
}

/// The default IMDS host (`AZURE_POD_IDENTITY_AUTHORITY_HOST` overrides it,
/// as in the Azure SDKs for Python and .NET).
const IMDS_HOST: &str = "http://169.254.169.254";
/// A token is renewed this long before it expires.
const RENEW_BEFORE: u64 = 300;

/// A managed identity: its token endpoint and the last token it gave.
pub struct ManagedIdentity {
    http: reqwest::Client,
    endpoint: url::Url,
    style: Style,
    /// `AZURE_CLIENT_ID`: a user-assigned identity.
    client_id: Option<String>,
    cached: tokio::sync::Mutex<Option<(Arc<Secret>, u64)>>,
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl ManagedIdentity {
    /// The managed identity the environment declares, if any: never a
    /// guess (a blind IMDS call from a laptop waits for its timeout).
    pub fn from_environment() -> Result<Option<ManagedIdentity>, CredentialError> {
        let what = "a managed identity";
        let bad = |message: String| CredentialError { what, message };
        let (endpoint, style) = match (env("IDENTITY_ENDPOINT"), env("IDENTITY_HEADER")) {
            (Some(endpoint), Some(header)) => {
                let url = url::Url::parse(&endpoint).map_err(|e| bad(format!("IDENTITY_ENDPOINT is not a URL: {e}")))?;
                (url, Style::AppService { header: Secret::new(header) })
            }
            (Some(_), None) => {
                return Err(bad("IDENTITY_ENDPOINT is set without IDENTITY_HEADER (Azure Arc and Service Fabric identities are not supported)".into()))
            }
            _ => {
                let host = env("AZURE_POD_IDENTITY_AUTHORITY_HOST");
                if host.is_none() && env("AZURE_USE_MSI").is_none() {
                    return Ok(None);
                }
                let host = host.unwrap_or_else(|| IMDS_HOST.into());
                let url = url::Url::parse(&format!("{}/metadata/identity/oauth2/token", host.trim_end_matches('/')))
                    .map_err(|e| bad(format!("AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL: {e}")))?;
                (url, Style::Imds)
            }
        };
        crate::tls::install_crypto_provider();
        // The endpoint is local to the machine: never through a proxy.
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(Some(ManagedIdentity { http, endpoint, style, client_id: env("AZURE_CLIENT_ID"), cached: Default::default() }))
    }

    pub fn describe(&self) -> &'static str {
        match self.style {
            Style::AppService { .. } => "managed identity (App Service)",
            Style::Imds => "managed identity (IMDS)",
        }
    }

    async fn token(&self, scope: &str) -> Result<Arc<Secret>, String> {
        let mut cached = self.cached.lock().await;
        if let Some((token, expires)) = cached.as_ref() {
            if unix_now() + RENEW_BEFORE < *expires {
                return Ok(token.clone());
            }
        }
        let resource = scope.strip_suffix("/.default").unwrap_or(scope);
        let mut url = self.endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("api-version", if matches!(self.style, Style::Imds) { "2018-02-01" } else { "2019-08-01" });
            q.append_pair("resource", resource);
            if let Some(id) = &self.client_id {
                q.append_pair("client_id", id);
            }
        }
        let request = match &self.style {
            Style::AppService { header } => self.http.get(url).header("X-IDENTITY-HEADER", header.secret()),
            Style::Imds => self.http.get(url).header("Metadata", "true"),
        };
        let response = request.send().await.map_err(|e| format!("{}: {}", self.endpoint, e.without_url()))?;
        let status = response.status();
        let body: serde_json::Value = response.json().await.map_err(|e| format!("HTTP {status}: the answer is not JSON: {}", e.without_url()))?;
        let text = |k: &str| body.get(k).and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_u64().map(|n| n.to_string())));
        if !status.is_success() {
            let why = [text("error"), text("error_description").or_else(|| text("message"))].into_iter().flatten().collect::<Vec<_>>().join(": ");
            return Err(format!("HTTP {status}{}", if why.is_empty() { String::new() } else { format!(": {why}") }));
        }
        let Some(token) = text("access_token").filter(|t| !t.is_empty()) else {
            return Err(format!("HTTP {status}: no access_token in the answer"));
        };
        let expires = text("expires_on").and_then(|e| e.parse::<u64>().ok()).or_else(|| text("expires_in").and_then(|e| e.parse::<u64>().ok()).map(|s| unix_now() + s)).unwrap_or(0);
        let token = Arc::new(Secret::new(token));
        *cached = Some((token.clone(), expires));
        Ok(token)
    }
}
