//! Live collection from Azure Resource Manager: flags, credentials, the
//! progress display on stderr, and running the collector.

use crate::output::UserError;
use clap::Args;
use erdiag_azure::{ArmClient, ClientOptions, Cloud, Credential, Progress, Target};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
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
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = crate::args::seconds(crate::args::MAX_TIMEOUT_SECS))]
    pub timeout: u64,
    /// Overall deadline of the collection, in seconds.
    #[arg(long, default_value_t = 600, value_name = "SECONDS", value_parser = crate::args::seconds(crate::args::MAX_DEADLINE_SECS))]
    pub deadline: u64,
    /// Retries of a call on 429, 5xx and transport errors (with jittered exponential backoff).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = crate::args::count::<u32>(0, crate::args::MAX_RETRIES))]
    pub retries: u32,
    /// HTTP calls in flight at once.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = crate::args::count::<usize>(1, crate::args::MAX_CONCURRENCY))]
    pub concurrency: usize,
    /// No progress display.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

impl LiveArgs {
    pub fn wants_live(&self) -> bool {
        self.name.is_some() || self.service_key.is_some() || self.resource_group.is_some()
    }

    fn subscription(&self) -> Result<String, UserError> {
        if let Some(s) = self.subscription.clone().or_else(|| std::env::var("AZURE_SUBSCRIPTION_ID").ok().filter(|s| !s.is_empty())) {
            return Ok(s);
        }
        azure_cli_default_subscription().ok_or_else(|| {
            UserError::new("no subscription given").hint("pass --subscription ID, set AZURE_SUBSCRIPTION_ID, or `az account set -s ID`")
        })
    }

    pub fn target(&self) -> Result<Target, UserError> {
        let subscription = self.subscription()?;
        if let Some(k) = &self.service_key {
            return Ok(Target::ServiceKey { subscription, service_key: k.clone() });
        }
        match (&self.resource_group, &self.name) {
            (Some(g), Some(n)) => Ok(Target::Circuit { subscription, resource_group: g.clone(), name: n.clone() }),
            _ => Err(UserError::new("which circuit? give -g RESOURCE_GROUP and -n NAME, or --service-key KEY").hint("`erdiag diagnose --help` shows every way to name a circuit")),
        }
    }

    pub fn client(&self) -> Result<Arc<ArmClient>, UserError> {
        let cloud = match &self.arm_endpoint {
            Some(e) => {
                let mut url = url::Url::parse(e).map_err(|err| UserError::new(format!("--arm-endpoint {e}: {err}")))?;
                if !url.path().ends_with('/') {
                    let p = format!("{}/", url.path());
                    url.set_path(&p);
                }
                Cloud::Custom { endpoint: url, scope: self.arm_scope.clone() }
            }
            None => Cloud::from_name(&self.cloud).ok_or_else(|| {
                UserError::new(format!("unknown cloud `{}`", self.cloud)).hint("AzureCloud, AzureUSGovernment or AzureChinaCloud; --arm-endpoint for anything else")
            })?,
        };
        let mut extra = Vec::new();
        if let Some(p) = &self.ca_cert {
            extra.push(crate::io::read_input(p, crate::io::Input::Text)?.1);
        }
        let options = ClientOptions {
            cloud,
            api_version: self.api_version.clone(),
            per_call_timeout: Duration::from_secs(self.timeout.max(1)),
            deadline: Duration::from_secs(self.deadline.max(1)),
            concurrency: self.concurrency.max(1),
            max_retries: self.retries,
            extra_root_certs: extra,
            ..ClientOptions::default()
        };
        let credential = match &self.access_token {
            Some(t) => Credential::from_token(t.clone()),
            None => {
                let http = erdiag_azure::http_client(&options).map_err(|e| UserError::new(e.to_string()))?;
                Credential::from_environment(&options.cloud, &http).map_err(|e| UserError::new(e.to_string()).hint("`az login`, or pass --access-token"))?
            }
        };
        ArmClient::new(credential, options).map(Arc::new).map_err(|e| UserError::new(e.to_string()))
    }
}

/// The Azure CLI's default subscription, from its profile.
fn azure_cli_default_subscription() -> Option<String> {
    let dir = std::env::var_os("AZURE_CONFIG_DIR").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".azure")))?;
    let text = std::fs::read(dir.join("azureProfile.json")).ok()?;
    // The file starts with a UTF-8 byte-order mark.
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text);
    let v: serde_json::Value = serde_json::from_slice(text).ok()?;
    v["subscriptions"].as_array()?.iter().find(|s| s["isDefault"] == true)?["id"].as_str().map(str::to_string)
}

/// The progress display: one line on stderr with what is running, and a line
/// for each call that failed. Drawn only on a terminal and without -q.
pub struct Display {
    bar: Option<ProgressBar>,
    running: Mutex<BTreeMap<usize, (String, String)>>,
}

impl Display {
    pub fn new(quiet: bool) -> Arc<Display> {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(ProgressStyle::with_template("{spinner} {elapsed:>3} {pos} calls done · {msg}").unwrap());
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Arc::new(Display { bar, running: Mutex::new(BTreeMap::new()) })
    }

    fn redraw(&self) {
        if let Some(b) = &self.bar {
            let r = self.running.lock().unwrap();
            let mut labels: Vec<String> = r.values().take(3).map(|(l, w)| if w.is_empty() { l.clone() } else { format!("{l} ({w})") }).collect();
            if r.len() > 3 {
                labels.push(format!("+{} more", r.len() - 3));
            }
            b.set_message(format!("{} running: {}", r.len(), labels.join(", ")));
        }
    }

    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Display {
    fn start(&self, id: usize, label: &str) {
        self.running.lock().unwrap().insert(id, (label.to_string(), String::new()));
        self.redraw();
    }
    fn waiting(&self, id: usize, what: &str) {
        if let Some(e) = self.running.lock().unwrap().get_mut(&id) {
            e.1 = what.to_string();
        }
        self.redraw();
    }
    fn finish(&self, id: usize, ok: bool, detail: &str) {
        let label = self.running.lock().unwrap().remove(&id).map(|e| e.0).unwrap_or_default();
        if let Some(b) = &self.bar {
            b.inc(1);
            if !ok {
                b.println(format!("  failed: {label}: {detail}"));
            }
        }
        self.redraw();
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| UserError::new(format!("cannot start the async runtime: {e}")))
}

/// Collects the circuit; the snapshot document and a one-line summary.
pub fn collect(args: &LiveArgs) -> Result<(serde_json::Value, String), UserError> {
    let target = args.target()?;
    let client = args.client()?;
    let rt = runtime()?;
    let display = Display::new(args.quiet);
    let progress: Arc<dyn Progress> = display.clone();
    let started = std::time::Instant::now();
    let result = rt.block_on(erdiag_azure::collect(client, &target, progress));
    display.done();
    let c = result.map_err(|e| UserError::new(e.to_string()))?;
    let summary = format!("collected {} calls in {:.1}s, {} failed", c.calls, started.elapsed().as_secs_f64(), c.failed);
    Ok((c.snapshot, summary))
}
