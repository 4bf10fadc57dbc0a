//! The flags that name a circuit in Azure ([`LiveArgs`]) and say how to
//! reach ARM ([`Connection`]: the cloud, the token, the HTTP limits, shared
//! with `fleet`), and the [`LiveSource`] they make.

use crate::files::{read_input, Input};
use clap::Args;
use erdiag_pipeline::{ClientOptions, CredentialChoice, Error, LiveSource, Target};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Debug, Clone, Default)]
pub struct LiveArgs {
    /// Subscription ID [env: AZURE_SUBSCRIPTION_ID; default: the Azure CLI's default subscription].
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,
    /// Resource group of the circuit.
    #[arg(short = 'g', long = "resource-group", value_name = "NAME")]
    pub resource_group: Option<String>,
    /// Name of the circuit.
    #[arg(short = 'n', long = "name", value_name = "CIRCUIT", conflicts_with = "service_key")]
    pub name: Option<String>,
    /// Find the circuit by its service key among the subscription's circuits.
    #[arg(long, value_name = "KEY")]
    pub service_key: Option<String>,
    #[command(flatten)]
    pub connection: Connection,
    /// HTTP calls in flight at once.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = super::bounds::count::<usize>(1, super::bounds::MAX_CONCURRENCY))]
    pub concurrency: usize,
    #[command(flatten)]
    pub metrics: super::common::MetricsArgs,
    #[command(flatten)]
    pub quiet: super::common::Quiet,
}

impl LiveArgs {
    pub fn wants_live(&self) -> bool {
        self.name.is_some() || self.service_key.is_some() || self.resource_group.is_some()
    }

    pub fn target(&self) -> Result<Target, Error> {
        let subscription = erdiag_pipeline::subscription(self.subscription.as_deref())?;
        if let Some(k) = &self.service_key {
            return Ok(Target::ServiceKey { subscription, service_key: k.clone() });
        }
        match (&self.resource_group, &self.name) {
            (Some(g), Some(n)) => Ok(Target::Circuit { subscription, resource_group: g.clone(), name: n.clone() }),
            _ => Err(Error::usage("which circuit? give -g RESOURCE_GROUP and -n NAME, or --service-key KEY").with_hint("`erdiag diagnose --help` shows every way to name a circuit")),
        }
    }

    /// The circuit, the client options and the credential the flags give
    /// (the certificate of --ca-cert read here).
    pub fn source(&self) -> Result<LiveSource, Error> {
        let target = self.target()?;
        let options = self.connection.options(self.concurrency)?;
        Ok(LiveSource { target, options, credential: self.connection.credential(), collect: self.metrics.options() })
    }
}

/// How to reach ARM: the cloud or endpoint, the token, the HTTP limits.
#[derive(Args, Debug, Clone, Default)]
pub struct Connection {
    /// A bearer token for ARM you already have (`az account get-access-token --query accessToken -o tsv`).
    /// Without it: workload identity, service principal (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID),
    /// managed identity, then the Azure CLI login.
    #[arg(long, env = "AZURE_ACCESS_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub access_token: Option<String>,
    /// Azure cloud: AzureCloud, AzureUSGovernment or AzureChinaCloud.
    #[arg(long, env = "AZURE_CLOUD", default_value = "AzureCloud", value_name = "NAME")]
    pub cloud: String,
    /// Any other ARM endpoint (an Azure Stack Hub, or `erdiag emulate`).
    #[arg(long, env = "ERDIAG_ARM_ENDPOINT", value_name = "URL")]
    pub arm_endpoint: Option<String>,
    /// The token audience for --arm-endpoint.
    #[arg(long, value_name = "SCOPE", default_value = "https://management.azure.com/.default")]
    pub arm_scope: String,
    /// Trust this PEM certificate too (the one `erdiag emulate` writes).
    #[arg(long, env = "ERDIAG_CA_CERT", value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Microsoft.Network api-version.
    #[arg(long, default_value = erdiag_azure::DEFAULT_API_VERSION, value_name = "VERSION")]
    pub api_version: String,
    /// Timeout of each HTTP call, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = super::bounds::seconds(super::bounds::MAX_TIMEOUT_SECS))]
    pub timeout: u64,
    /// Overall deadline of the collection, in seconds.
    #[arg(long, default_value_t = 600, value_name = "SECONDS", value_parser = super::bounds::seconds(super::bounds::MAX_DEADLINE_SECS))]
    pub deadline: u64,
    /// Retries of a call on 429, 5xx and transport errors (with jittered exponential backoff).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = super::bounds::count::<u32>(0, super::bounds::MAX_RETRIES))]
    pub retries: u32,
}

impl Connection {
    /// The client options, with `concurrency` HTTP calls in flight (the
    /// certificate of --ca-cert read here).
    pub fn options(&self, concurrency: usize) -> Result<ClientOptions, Error> {
        let cloud = erdiag_pipeline::cloud(self.arm_endpoint.as_deref(), &self.arm_scope, &self.cloud)?;
        let mut extra = Vec::new();
        if let Some(p) = &self.ca_cert {
            extra.push(read_input(p, Input::Text)?.1);
        }
        Ok(ClientOptions {
            cloud,
            api_version: self.api_version.clone(),
            per_call_timeout: Duration::from_secs(self.timeout.max(1)),
            deadline: Duration::from_secs(self.deadline.max(1)),
            concurrency: concurrency.max(1),
            max_retries: self.retries,
            extra_root_certs: extra,
            ..ClientOptions::default()
        })
    }

    /// How to sign in: the token given, else the environment's chain.
    pub fn credential(&self) -> CredentialChoice {
        match &self.access_token {
            Some(t) => CredentialChoice::AccessToken(t.clone()),
            None => CredentialChoice::Environment,
        }
    }
}
