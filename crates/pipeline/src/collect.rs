//! Sources → a snapshot document: live from Azure Resource Manager, a
//! built-in scenario served by the in-process ARM emulator, or the live lab
//! through the same emulator. Every path collects over HTTP with the same
//! collector (`erdiag_azure::collect`), read-only.
//!
//! [`collect`] is async and holds no global state: a caller may run many at
//! once on its own runtime, and dropping the future stops the collection.
//! Progress goes to the [`Progress`] given, nothing is printed.

use crate::{lab, scenarios, Error, ErrorKind};
use erdiag_azure::{ArmClient, ClientOptions, Cloud, Credential, Progress, Target};
use erdiag_emulator::{Backend, Config};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where a snapshot comes from.
pub enum Source {
    /// An `erdiag-snapshot/1` document already read (a file, standard
    /// input), with the label its errors start with (a path, `<stdin>`).
    Snapshot { label: String, bytes: Vec<u8> },
    /// Azure Resource Manager, live.
    Live(Box<LiveSource>),
    /// Azure Resource Manager through a client the caller already has: one
    /// client (its connection pool, token and limit of calls in flight)
    /// shared by the many circuits of a fleet.
    Client { client: Arc<ArmClient>, target: Target },
    /// A built-in scenario, served on loopback by the ARM emulator and
    /// collected over HTTP as a live diagnosis would; `latency` is how long
    /// each long-running operation takes.
    Scenario { name: String, latency: Duration },
    /// The live lab (`erdiag lab up`) of this name, through the emulator,
    /// with its CE router's outputs as inputs.
    Lab { name: String },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Snapshot { label, bytes } => f.debug_struct("Snapshot").field("label", label).field("bytes", &bytes.len()).finish(),
            Source::Live(live) => f.debug_tuple("Live").field(live).finish(),
            Source::Client { target, .. } => f.debug_struct("Client").field("target", target).finish_non_exhaustive(),
            Source::Scenario { name, latency } => f.debug_struct("Scenario").field("name", name).field("latency", latency).finish(),
            Source::Lab { name } => f.debug_struct("Lab").field("name", name).finish(),
        }
    }
}

/// A circuit in Azure Resource Manager and how to reach it.
#[derive(Debug)]
pub struct LiveSource {
    pub target: Target,
    pub options: ClientOptions,
    pub credential: CredentialChoice,
    /// What to read besides ARM's state (Azure Monitor, Resource Health).
    pub collect: erdiag_azure::CollectOptions,
}

/// How to sign in to ARM.
pub enum CredentialChoice {
    /// A bearer token the caller already has.
    AccessToken(String),
    /// Workload identity, service principal, managed identity, then the
    /// Azure CLI login (`erdiag_azure::Credential::from_environment`).
    Environment,
}

impl std::fmt::Debug for CredentialChoice {
    /// Never the token itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialChoice::AccessToken(_) => f.write_str("AccessToken(<redacted>)"),
            CredentialChoice::Environment => f.write_str("Environment"),
        }
    }
}

/// How a snapshot was collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// Read from a snapshot document, nothing collected.
    Snapshot,
    Azure,
    Emulator,
    /// The lab of this name, through the emulator.
    Lab(String),
}

/// A collected snapshot document, and how the collection went.
#[derive(Debug)]
pub struct Collected {
    pub snapshot: serde_json::Value,
    /// HTTP calls made, and how many of them failed (recorded in the
    /// snapshot's `failures`; checks that needed them say `unknown`).
    pub calls: usize,
    pub failed: usize,
    pub elapsed: Duration,
    pub via: Via,
}

impl Collected {
    /// One line about the collection: `collected 14 calls in 1.2s, 0 failed`.
    pub fn summary(&self) -> String {
        let secs = self.elapsed.as_secs_f64();
        match &self.via {
            Via::Snapshot => "read a snapshot, nothing collected".to_string(),
            Via::Azure => format!("collected {} calls in {secs:.1}s, {} failed", self.calls, self.failed),
            Via::Emulator => format!("collected {} calls over HTTP from the ARM emulator in {secs:.1}s, {} failed", self.calls, self.failed),
            Via::Lab(name) => format!("collected {} calls over HTTP from the ARM emulator in {secs:.1}s, {} failed (lab `{name}`)", self.calls, self.failed),
        }
    }
}

/// Collects a snapshot from `source`.
pub async fn collect(source: &Source, progress: Arc<dyn Progress>) -> Result<Collected, Error> {
    match source {
        Source::Snapshot { label, bytes } => {
            let bytes = crate::snapshot_text(label, bytes.clone())?;
            crate::read_snapshot(label, &bytes)?;
            let snapshot = serde_json::from_slice(&bytes).map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
            Ok(Collected { snapshot, calls: 0, failed: 0, elapsed: Duration::ZERO, via: Via::Snapshot })
        }
        Source::Live(live) => from_azure(live.client()?, &live.target, &live.collect, progress).await,
        Source::Client { client, target } => from_azure(client.clone(), target, &erdiag_azure::CollectOptions::default(), progress).await,
        Source::Scenario { name, latency } => {
            let sc = scenarios::get(name)?;
            through_emulator(sc, *latency, progress).await
        }
        Source::Lab { name } => {
            let lab = erdiag_lab::Lab::new(name).map_err(lab::error)?;
            let (backend, id) = lab::backend_of(&lab)?;
            let mut c = through_backend(Config::new(Vec::new()), Arc::new(backend), &id, progress).await?;
            lab::attach_ce(&lab, &mut c.snapshot);
            c.via = Via::Lab(lab.name.clone());
            Ok(c)
        }
    }
}

async fn from_azure(client: Arc<ArmClient>, target: &Target, options: &erdiag_azure::CollectOptions, progress: Arc<dyn Progress>) -> Result<Collected, Error> {
    let started = Instant::now();
    let c = erdiag_azure::collect_with(client, target, None, options, progress).await.map_err(collection_error)?;
    Ok(Collected { snapshot: c.snapshot, calls: c.calls, failed: c.failed, elapsed: started.elapsed(), via: Via::Azure })
}

/// A source to its report: [`collect`], then [`crate::diagnose`] (a
/// snapshot source is diagnosed from its bytes as they are).
pub async fn diagnose_source(source: &Source, options: &crate::Options, progress: Arc<dyn Progress>) -> Result<crate::Report, Error> {
    if let Source::Snapshot { label, bytes } = source {
        return crate::diagnose(label, &crate::snapshot_text(label, bytes.clone())?, options);
    }
    let label = match source {
        Source::Scenario { name, .. } => format!("scenario {name} (collected)"),
        Source::Lab { .. } => "the lab's state".to_string(),
        _ => "the collected state".to_string(),
    };
    let c = collect(source, progress).await?;
    crate::diagnose_document(&label, &c.snapshot, options)
}

fn collection_error(e: erdiag_azure::CollectError) -> Error {
    let hint = match &e {
        erdiag_azure::CollectError::Deadline { secs, .. } => Some(format!("raise --deadline (it was {secs} s): the circuit is read first, and everything else only once it is")),
        _ => None,
    };
    let error = Error::new(ErrorKind::Collection, e.to_string()).caused_by(e);
    match hint {
        Some(h) => error.with_hint(h),
        None => error,
    }
}

impl LiveSource {
    /// The ARM client: the options, signed in with the credential chosen.
    pub fn client(&self) -> Result<Arc<ArmClient>, Error> {
        client(&self.options, &self.credential)
    }
}

/// An ARM client with these options, signed in with the credential chosen
/// (one client for a whole fleet).
pub fn client(options: &ClientOptions, credential: &CredentialChoice) -> Result<Arc<ArmClient>, Error> {
    let credential = match credential {
        CredentialChoice::AccessToken(t) => Credential::from_token(t.clone()),
        CredentialChoice::Environment => {
            let http = erdiag_azure::http_client(options).map_err(|e| Error::system(e.to_string()))?;
            Credential::from_environment(&options.cloud, &http)
                .map_err(|e| Error::new(ErrorKind::Collection, e.to_string()).with_hint("`az login`, or pass --access-token"))?
        }
    };
    ArmClient::new(credential, options.clone()).map(Arc::new).map_err(|e| Error::system(e.to_string()))
}

/// The cloud to talk to: an ARM endpoint given (a trailing `/` added, the
/// token audience `scope`), else a cloud by name (AzureCloud,
/// AzureUSGovernment, AzureChinaCloud).
pub fn cloud(arm_endpoint: Option<&str>, scope: &str, name: &str) -> Result<Cloud, Error> {
    match arm_endpoint {
        Some(e) => {
            let mut url = url::Url::parse(e).map_err(|err| Error::usage(format!("--arm-endpoint {e}: {err}")).caused_by(err))?;
            if !url.path().ends_with('/') {
                let p = format!("{}/", url.path());
                url.set_path(&p);
            }
            Ok(Cloud::Custom { endpoint: url, scope: scope.to_string() })
        }
        None => Cloud::from_name(name).ok_or_else(|| {
            Error::usage(format!("unknown cloud `{name}`")).with_hint("AzureCloud, AzureUSGovernment or AzureChinaCloud; --arm-endpoint for anything else")
        }),
    }
}

/// The subscription: the one given, else AZURE_SUBSCRIPTION_ID, else the
/// Azure CLI's default subscription (its profile in AZURE_CONFIG_DIR or
/// ~/.azure).
pub fn subscription(given: Option<&str>) -> Result<String, Error> {
    if let Some(s) = given.map(str::to_string).or_else(|| std::env::var("AZURE_SUBSCRIPTION_ID").ok().filter(|s| !s.is_empty())) {
        return Ok(s);
    }
    azure_cli_default_subscription()
        .ok_or_else(|| Error::usage("no subscription given").with_hint("pass --subscription ID, set AZURE_SUBSCRIPTION_ID, or `az account set -s ID`"))
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

/// Serves a scenario on loopback, collects it over HTTP as a live
/// diagnosis would, and returns the collected snapshot (with the scenario's
/// user-supplied inputs carried over, and its `provenance`: the bodies
/// served are the ones it describes). A scenario with a timeline is served
/// as time moves, its events anchored now: what its snapshot's
/// `collectedAt` was to them, now is; so are the times of its `inputs.observed`.
async fn through_emulator(sc: &scenarios::Scenario, latency: Duration, progress: Arc<dyn Progress>) -> Result<Collected, Error> {
    let value: serde_json::Value = serde_json::from_slice(sc.snapshot).map_err(|e| Error::input(format!("scenario: {e}")).caused_by(e))?;
    let id = value["circuitId"].as_str().unwrap_or_default().to_string();
    let mut config = Config::new(vec![value.clone()]);
    config.operation_latency = latency;
    let scenario_error = |e: erdiag_emulator::Error| Error::input(format!("scenario: {e}")).caused_by(e);
    let now = config.clock.now();
    let backend: Arc<dyn Backend> = match sc.timeline(now) {
        Some(timeline) => Arc::new(erdiag_emulator::TimedBackend::new(config.snapshots.clone(), timeline, config.clock.clone()).map_err(scenario_error)?),
        None => Arc::new(erdiag_emulator::SnapshotBackend::from_snapshots(&config.snapshots).map_err(scenario_error)?),
    };
    let mut c = through_backend(config, backend, &id, progress).await?;
    for carried in ["inputs", "provenance"] {
        if let Some(v) = value.get(carried) {
            c.snapshot[carried] = v.clone();
        }
    }
    if sc.timeline.is_some() {
        let then = value["collectedAt"].as_str().and_then(|t| erdiag_model::time::parse_rfc3339(t).ok());
        if let (Some(then), Some(observed)) = (then, c.snapshot.pointer_mut("/inputs/observed")) {
            shift_observed(observed, now - then);
        }
    }
    Ok(c)
}

/// Moves every time of an `inputs.observed` by `by` seconds.
fn shift_observed(observed: &mut serde_json::Value, by: i64) {
    let shift = |v: &mut serde_json::Value| {
        if let Some(t) = v.as_str().and_then(|t| erdiag_model::time::parse_rfc3339(t).ok()) {
            *v = serde_json::Value::String(erdiag_model::time::unix_rfc3339(t + by));
        }
    };
    for key in ["from", "to"] {
        if let Some(v) = observed.get_mut(key) {
            shift(v);
        }
    }
    for poll in observed.get_mut("polls").and_then(serde_json::Value::as_array_mut).into_iter().flatten() {
        if let Some(v) = poll.get_mut("at") {
            shift(v);
        }
    }
}

/// Serves a backend on loopback and collects circuit `id` from it over HTTP,
/// as a live diagnosis would.
async fn through_backend(mut config: Config, backend: Arc<dyn Backend>, id: &str, progress: Arc<dyn Progress>) -> Result<Collected, Error> {
    let circuit = erdiag_model::ResourceId::parse(id).ok();
    let Some((subscription, resource_group, name)) = circuit.as_ref().and_then(erdiag_model::ResourceId::resource_parts) else {
        return Err(Error::input(format!("scenario: circuitId {id:?} is not a circuit resource id")));
    };
    let target = Target::Circuit { subscription: subscription.into(), resource_group: resource_group.into(), name: name.into() };
    config.retry_after = 0;
    let started = Instant::now();
    let em = erdiag_emulator::start_with_backend(config, backend, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|e| Error::system(e.to_string()).caused_by(e))?;
    let endpoint = url::Url::parse(&format!("{}/", em.base_url)).expect("the emulator's base URL");
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint, scope: "https://management.azure.com/.default".into() },
        max_retries: 2,
        backoff_base: Duration::from_millis(20),
        default_poll_interval: Duration::from_millis(100),
        deadline: Duration::from_secs(120),
        ..Default::default()
    };
    let client = match ArmClient::new(Credential::from_token("erdiag-demo".into()), options) {
        Ok(c) => c,
        Err(e) => {
            em.shutdown().await;
            return Err(Error::system(e.to_string()));
        }
    };
    let r = erdiag_azure::collect(Arc::new(client), &target, progress).await;
    em.shutdown().await;
    let c = r.map_err(collection_error)?;
    Ok(Collected { snapshot: c.snapshot, calls: c.calls, failed: c.failed, elapsed: started.elapsed(), via: Via::Emulator })
}
