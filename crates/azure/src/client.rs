//! A read-only ARM client for exactly the calls the guide makes.
//!
//! Read-only by construction: a request can only be made from a
//! [`ReadOnlyCall`], whose constructors build a GET, one of the read-only
//! POST list actions (`arpTables`, `routeTables`, `routeTablesSummary` of a
//! peering and path; a gateway's `getBgpPeerStatus` and `getLearnedRoutes`),
//! which carry no body, or a Resource Graph query: the only POST with a body,
//! a JSON query sent to exactly `/providers/Microsoft.ResourceGraph/resources`
//! ([`is_resource_graph_query`]), which reads and changes nothing, or a list
//! of resource ids sent to exactly `/subscriptions/{id}/metrics:getBatch`
//! ([`is_metrics_batch`]) on Azure Monitor's regional metrics endpoint
//! (`https://{region}.metrics.monitor.azure.com`, token audience
//! `https://metrics.monitor.azure.com`; a custom ARM endpoint such as the
//! emulator serves it itself, with the same token). Polling a
//! long-running operation follows only URLs on the ARM endpoint's own host,
//! with GET. Nothing else can leave this module: `exchange` refuses any
//! other method, and a body anywhere else.
//!
//! Every exchange, operation polls included, is first admitted by the
//! throttle scheduler ([`crate::throttle`]) for its subscription and region
//! (the call's [`ReadOnlyCall::in_region`] hint), and only then takes one of
//! the `concurrency` permits: a subscription waiting for its bucket holds
//! nothing the others need.
//!
//! Every call ends in an [`Outcome`]: the body, or a failure with the HTTP
//! status and ARM's error body — never a panic, never an abort of the run.

use crate::auth::Credential;
use crate::cloud::Cloud;
use crate::progress::Progress;
use crate::throttle::{ClientStats, Key, Observation, Throttle};
use crate::tls::install_crypto_provider;
use erdiag_model::DevicePath;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Get,
    ListAction,
    /// POST of a query (`body`) to Resource Graph.
    ResourceGraph,
    /// POST of resource ids (`body`) to Azure Monitor's data-plane
    /// `metrics:getBatch`, on the region's metrics endpoint.
    MetricsBatch,
}

/// The one path a body may be POSTed to.
pub const RESOURCE_GRAPH_PATH: &str = "/providers/Microsoft.ResourceGraph/resources";
/// Resource Graph's api-version.
pub const RESOURCE_GRAPH_API_VERSION: &str = "2024-04-01";

/// The data-plane batch metrics API's api-version (`metricBatch.json`).
pub const METRICS_BATCH_API_VERSION: &str = "2024-02-01";
/// Resource ids one `metrics:getBatch` call may carry.
pub const METRICS_BATCH_MAX: usize = 50;

/// Whether a path is exactly `/subscriptions/{subscriptionId}/metrics:getBatch`
/// (ASCII case-insensitive): the one other path a body may be POSTed to.
pub fn is_metrics_batch(path: &str) -> bool {
    let segs: Vec<&str> = path.strip_prefix('/').unwrap_or("").split('/').collect();
    matches!(segs.as_slice(), [subs, id, op] if subs.eq_ignore_ascii_case("subscriptions") && !id.is_empty() && op.eq_ignore_ascii_case("metrics:getBatch"))
}

/// Whether a path is exactly Resource Graph's query endpoint (ASCII case-insensitive).
pub fn is_resource_graph_query(path: &str) -> bool {
    path.eq_ignore_ascii_case(RESOURCE_GRAPH_PATH)
}

/// The only thing [`ArmClient::call`] accepts. Its fields are private: a
/// call is made with the constructors below, so only GETs, the read-only
/// list actions and Resource Graph queries exist.
#[derive(Debug, Clone)]
pub struct ReadOnlyCall {
    kind: Kind,
    path: String,
    api_version: Option<String>,
    query: Vec<(String, String)>,
    /// The JSON query of a Resource Graph call; `None` for every other kind.
    body: Option<Vec<u8>>,
    /// The region whose bucket the call draws from (the throttle's key).
    region: Option<String>,
}

impl ReadOnlyCall {
    /// GET a resource or a collection at this ARM path.
    pub fn get(path: impl Into<String>) -> ReadOnlyCall {
        ReadOnlyCall { kind: Kind::Get, path: path.into(), api_version: None, query: Vec::new(), body: None, region: None }
    }
    /// GET with another api-version (Resource Health, generic resources) and query parameters.
    pub fn get_with(path: impl Into<String>, api_version: &str, query: &[(&str, &str)]) -> ReadOnlyCall {
        ReadOnlyCall {
            kind: Kind::Get,
            path: path.into(),
            api_version: Some(api_version.to_string()),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: None,
            region: None,
        }
    }
    fn action(path: String) -> ReadOnlyCall {
        debug_assert!(is_list_action(&path), "{path}");
        ReadOnlyCall { kind: Kind::ListAction, path, api_version: None, query: Vec::new(), body: None, region: None }
    }
    /// A Resource Graph query (`QueryRequest` of api-version 2024-04-01).
    pub fn resource_graph(request: &Value) -> ReadOnlyCall {
        ReadOnlyCall {
            kind: Kind::ResourceGraph,
            path: RESOURCE_GRAPH_PATH.to_string(),
            api_version: Some(RESOURCE_GRAPH_API_VERSION.to_string()),
            query: Vec::new(),
            body: Some(request.to_string().into_bytes()),
            region: None,
        }
    }
    /// Azure Monitor's `metrics:getBatch` for these resources (at most
    /// [`METRICS_BATCH_MAX`], of one subscription, region and type), with
    /// these query parameters (`metricnamespace`, `metricnames`, ...); sent
    /// to the metrics endpoint of `region`.
    pub fn metrics_batch(subscription: &str, region: &str, query: &[(&str, &str)], resource_ids: &[String]) -> ReadOnlyCall {
        ReadOnlyCall {
            kind: Kind::MetricsBatch,
            path: format!("/subscriptions/{subscription}/metrics:getBatch"),
            api_version: Some(METRICS_BATCH_API_VERSION.to_string()),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: Some(json!({ "resourceids": resource_ids }).to_string().into_bytes()),
            region: Some(region.to_string()),
        }
    }
    /// The same call, drawing from the throttle bucket of this region (the
    /// resource's `location`); its operation polls draw from it too.
    pub fn in_region(mut self, region: &str) -> ReadOnlyCall {
        self.region = Some(region.to_string());
        self
    }
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
    pub fn arp_table(circuit_id: &str, peering: &str, path: DevicePath) -> ReadOnlyCall {
        Self::action(erdiag_model::ArmPaths::new(circuit_id).arp_table(peering, path))
    }
    pub fn route_table(circuit_id: &str, peering: &str, path: DevicePath) -> ReadOnlyCall {
        Self::action(erdiag_model::ArmPaths::new(circuit_id).route_table(peering, path))
    }
    pub fn route_table_summary(circuit_id: &str, peering: &str, path: DevicePath) -> ReadOnlyCall {
        Self::action(erdiag_model::ArmPaths::new(circuit_id).route_table_summary(peering, path))
    }
    pub fn bgp_peer_status(gateway_id: &str) -> ReadOnlyCall {
        Self::action(erdiag_model::ArmPaths::bgp_peer_status(gateway_id))
    }
    pub fn learned_routes(gateway_id: &str) -> ReadOnlyCall {
        Self::action(erdiag_model::ArmPaths::learned_routes(gateway_id))
    }
    pub fn path(&self) -> &str {
        &self.path
    }
    pub fn is_post(&self) -> bool {
        self.kind != Kind::Get
    }
}

/// Whether a path is one of the read-only POST list actions.
pub fn is_list_action(path: &str) -> bool {
    let p = path.trim_end_matches('/').to_ascii_lowercase();
    let segs: Vec<&str> = p.rsplit('/').take(2).collect();
    match segs.as_slice() {
        [last, before] => {
            (matches!(*before, "arptables" | "routetables" | "routetablessummary") && matches!(*last, "primary" | "secondary"))
                || matches!(*last, "getbgppeerstatus" | "getlearnedroutes")
        }
        _ => false,
    }
}

/// How the message of a call the deadline stopped begins.
const DEADLINE: &str = "deadline of";

/// How a call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ok(Value),
    /// `status` is None for transport errors, deadlines and failed operations
    /// that carried no HTTP status; `error` is ARM's error body or a string.
    Failed { status: Option<u16>, error: Value },
}

impl Outcome {
    fn failed(status: Option<u16>, message: impl Into<String>) -> Outcome {
        Outcome::Failed { status, error: Value::String(message.into()) }
    }
    /// The call was stopped by the overall deadline (in flight, or before a
    /// retry that would have outlasted it).
    pub fn is_deadline(&self) -> bool {
        matches!(self, Outcome::Failed { status: None, error: Value::String(m) } if m.starts_with(DEADLINE))
    }
    /// A one-line description for progress output.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Ok(_) => "ok".into(),
            Outcome::Failed { status, error } => {
                let msg = error
                    .pointer("/error/message")
                    .and_then(Value::as_str)
                    .or_else(|| error.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| error.to_string());
                match status {
                    Some(s) => format!("HTTP {s}: {msg}"),
                    None => msg,
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub cloud: Cloud,
    pub api_version: String,
    /// Each HTTP exchange, including reading the body.
    pub per_call_timeout: Duration,
    /// The whole run, from the client's creation: a call still running
    /// (in flight, retrying or polling) when it passes ends as a failure.
    pub deadline: Duration,
    /// HTTP exchanges in flight at once.
    pub concurrency: usize,
    /// Retries of one exchange on 429, 5xx, transport errors and malformed bodies.
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Poll interval of a long-running operation that sends no Retry-After.
    pub default_poll_interval: Duration,
    /// Extra trusted root certificates (PEM), e.g. the emulator's.
    pub extra_root_certs: Vec<Vec<u8>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            cloud: Cloud::Public,
            api_version: crate::DEFAULT_API_VERSION.to_string(),
            per_call_timeout: Duration::from_secs(60),
            deadline: Duration::from_secs(600),
            concurrency: 16,
            max_retries: 3,
            backoff_base: Duration::from_millis(800),
            backoff_max: Duration::from_secs(30),
            default_poll_interval: Duration::from_secs(2),
            extra_root_certs: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("invalid certificate: {0}")]
    Certificate(String),
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

pub struct ArmClient {
    http: reqwest::Client,
    base: Url,
    scope: String,
    credential: Credential,
    options: ClientOptions,
    permits: Semaphore,
    throttle: Arc<Throttle>,
    /// When every call ends as a failure; [`ArmClient::restart_deadline`]
    /// moves it (a service's next run).
    deadline_at: std::sync::Mutex<Instant>,
    /// The latest `Date` header ARM sent, and when it arrived: ARM's clock.
    server_clock: std::sync::Mutex<Option<(erdiag_model::time::Unix, Instant)>>,
}

/// `deadline` from now; one too far to represent is no deadline (a century).
fn deadline_from_now(deadline: Duration) -> Instant {
    Instant::now().checked_add(deadline).unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400))
}

/// A 429 the scheduler waited out is not a failed attempt, up to this many
/// per exchange: throttling slows a fleet down, it does not fail its calls.
pub const MAX_THROTTLED_WAITS: u32 = 20;

/// One HTTP exchange's result, before interpretation.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl ArmClient {
    pub fn new(credential: Credential, options: ClientOptions) -> Result<ArmClient, ClientError> {
        let http = http_client(&options)?;
        Ok(ArmClient {
            http,
            base: options.cloud.endpoint(),
            scope: options.cloud.scope(),
            credential,
            permits: Semaphore::new(options.concurrency.clamp(1, Semaphore::MAX_PERMITS)),
            throttle: Arc::new(Throttle::default()),
            deadline_at: std::sync::Mutex::new(deadline_from_now(options.deadline)),
            options,
            server_clock: std::sync::Mutex::new(None),
        })
    }

    /// The deadline counted again from now: a long-running service (erdiag
    /// watch) calls it at the start of each poll, so that `--deadline` bounds
    /// one poll, not the service's life.
    pub fn restart_deadline(&self) {
        *self.deadline_at.lock().unwrap_or_else(|e| e.into_inner()) = deadline_from_now(self.options.deadline);
    }

    fn deadline_at(&self) -> Instant {
        *self.deadline_at.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Now by ARM's clock: its latest `Date` header plus the time since it
    /// arrived; `None` before an answer carried one. The metrics window and
    /// Resource Health are ARM's time, whatever the machine's clock says.
    pub fn server_now(&self) -> Option<erdiag_model::time::Unix> {
        let (date, at) = (*self.server_clock.lock().unwrap_or_else(|e| e.into_inner()))?;
        Some(date + at.elapsed().as_secs() as erdiag_model::time::Unix)
    }

    pub fn endpoint(&self) -> &Url {
        &self.base
    }

    /// What the client has done so far: requests, 429s, retries, waits for a bucket.
    pub fn stats(&self) -> ClientStats {
        self.throttle.stats()
    }

    /// The time left before the overall deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline_at().saturating_duration_since(Instant::now())
    }

    /// The overall deadline of this client's calls.
    pub fn deadline(&self) -> Duration {
        self.options.deadline
    }

    fn url_for(&self, call: &ReadOnlyCall) -> Result<Url, String> {
        let base = match call.kind {
            Kind::MetricsBatch => {
                let region = call.region.as_deref().unwrap_or("");
                self.options.cloud.metrics_endpoint(region).ok_or_else(|| format!("no metrics endpoint for region {region:?}"))?
            }
            _ => self.base.clone(),
        };
        let mut u = base.join(call.path.trim_start_matches('/')).map_err(|e| format!("bad path {}: {e}", call.path))?;
        {
            let mut q = u.query_pairs_mut();
            q.append_pair("api-version", call.api_version.as_deref().unwrap_or(&self.options.api_version));
            for (k, v) in &call.query {
                q.append_pair(k, v);
            }
        }
        Ok(u)
    }

    /// Makes a call to its end: the body, or a recorded failure. The
    /// deadline holds for everything inside, the token, the exchanges in
    /// flight, the retries and the polls: when it passes, the call ends as a
    /// failure at once.
    pub async fn call(&self, call: &ReadOnlyCall, id: usize, progress: &dyn Progress) -> Outcome {
        self.call_with_headers(call, id, progress).await.0
    }

    /// [`ArmClient::call`], with the headers of the last answer (none when
    /// no answer came): Resource Graph's quota is read from them.
    pub async fn call_with_headers(&self, call: &ReadOnlyCall, id: usize, progress: &dyn Progress) -> (Outcome, Option<HeaderMap>) {
        match tokio::time::timeout_at(tokio::time::Instant::from_std(self.deadline_at()), self.call_to_end(call, id, progress)).await {
            Ok(reply) => reply,
            Err(_) => (Outcome::failed(None, format!("{DEADLINE} {}s reached before the call finished", self.options.deadline.as_secs())), None),
        }
    }

    async fn call_to_end(&self, call: &ReadOnlyCall, id: usize, progress: &dyn Progress) -> (Outcome, Option<HeaderMap>) {
        let url = match self.url_for(call) {
            Ok(u) => u,
            Err(e) => return (Outcome::failed(None, e), None),
        };
        let key = match call.kind {
            Kind::ResourceGraph => Key::ResourceGraph,
            _ => Key::for_path(&call.path, call.region.as_deref()),
        };
        let answered = |r: Result<Exchange, Outcome>| match r {
            Ok(x) => {
                if let Some(date) = x.headers.get(reqwest::header::DATE).and_then(|v| v.to_str().ok()).and_then(erdiag_model::time::parse_http_date) {
                    *self.server_clock.lock().unwrap_or_else(|e| e.into_inner()) = Some((date, Instant::now()));
                }
                let headers = x.headers.clone();
                (interpret(x), Some(headers))
            }
            Err(o) => (o, None),
        };
        match call.kind {
            Kind::Get => answered(self.exchange(Method::GET, url, None, &key, id, progress).await),
            Kind::ListAction => {
                if !is_list_action(&call.path) {
                    return (Outcome::failed(None, format!("refused: {} is not a read-only list action", call.path)), None);
                }
                match self.exchange(Method::POST, url, None, &key, id, progress).await {
                    Ok(x) if x.status == StatusCode::ACCEPTED => (self.poll(x, &key, id, progress).await, None),
                    other => answered(other),
                }
            }
            Kind::ResourceGraph | Kind::MetricsBatch => answered(self.exchange(Method::POST, url, call.body.as_deref(), &key, id, progress).await),
        }
    }

    /// Follows a 202 to the operation's final body, as ARM clients do:
    /// the Azure-AsyncOperation status until terminal, then the Location
    /// result; or the Location alone until it stops answering 202.
    async fn poll(&self, accepted: Exchange, key: &Key, id: usize, progress: &dyn Progress) -> Outcome {
        let header_url = |h: &HeaderMap, name: &str| -> Option<Result<Url, String>> {
            let v = h.get(name)?.to_str().ok()?;
            Some(self.base.join(v).map_err(|e| format!("bad {name} header: {e}")).and_then(|u| self.same_host(u)))
        };
        let status_url = header_url(&accepted.headers, "azure-asyncoperation");
        let location = header_url(&accepted.headers, "location");
        let mut wait = retry_after(&accepted.headers).unwrap_or(self.options.default_poll_interval);
        match (status_url, location) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => Outcome::failed(None, e),
            (Some(Ok(status_url)), location) => {
                loop {
                    progress.waiting(id, "operation in progress");
                    if let Err(o) = self.sleep(wait, "the operation was still in progress").await {
                        return o;
                    }
                    let x = match self.exchange(Method::GET, status_url.clone(), None, key, id, progress).await {
                        Ok(x) => x,
                        Err(o) => return o,
                    };
                    if !x.status.is_success() {
                        return interpret(x);
                    }
                    let body: Value = match serde_json::from_slice(&x.body) {
                        Ok(v) => v,
                        Err(e) => return Outcome::failed(Some(x.status.as_u16()), format!("malformed operation status: {e}")),
                    };
                    match body.get("status").and_then(Value::as_str).unwrap_or("") {
                        s if s.eq_ignore_ascii_case("Succeeded") => break,
                        s if s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Canceled") => {
                            let error = body.get("error").cloned().map(|e| json!({ "error": e })).unwrap_or_else(|| Value::String(format!("the operation ended {s}")));
                            return Outcome::Failed { status: None, error };
                        }
                        _ => wait = retry_after(&x.headers).unwrap_or(self.options.default_poll_interval),
                    }
                }
                match location {
                    Some(Ok(loc)) => self.poll_location(loc, Duration::ZERO, key, id, progress).await,
                    _ => Outcome::failed(None, "the operation succeeded but named no Location to read its result from"),
                }
            }
            (None, Some(Ok(loc))) => self.poll_location(loc, wait, key, id, progress).await,
            (None, None) => Outcome::failed(Some(202), "202 Accepted without Location or Azure-AsyncOperation"),
        }
    }

    async fn poll_location(&self, loc: Url, first_wait: Duration, key: &Key, id: usize, progress: &dyn Progress) -> Outcome {
        let mut wait = first_wait;
        loop {
            if !wait.is_zero() {
                progress.waiting(id, "operation in progress");
                if let Err(o) = self.sleep(wait, "the operation was still in progress").await {
                    return o;
                }
            }
            match self.exchange(Method::GET, loc.clone(), None, key, id, progress).await {
                Ok(x) if x.status == StatusCode::ACCEPTED => {
                    wait = retry_after(&x.headers).unwrap_or(self.options.default_poll_interval);
                }
                Ok(x) => return interpret(x),
                Err(o) => return o,
            }
        }
    }

    /// Refuses to send the token anywhere but the ARM endpoint.
    fn same_host(&self, u: Url) -> Result<Url, String> {
        if u.scheme() == self.base.scheme() && u.host_str() == self.base.host_str() && u.port_or_known_default() == self.base.port_or_known_default() {
            Ok(u)
        } else {
            Err(format!("refused to follow an operation URL on another host ({})", u.host_str().unwrap_or("?")))
        }
    }

    async fn sleep(&self, d: Duration, what: &str) -> Result<(), Outcome> {
        if Instant::now().checked_add(d).is_none_or(|t| t > self.deadline_at()) {
            return Err(Outcome::failed(None, format!("{DEADLINE} {}s reached: {what}", self.options.deadline.as_secs())));
        }
        tokio::time::sleep(d).await;
        Ok(())
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.options.backoff_base.saturating_mul(1u32 << attempt.min(16)).min(self.options.backoff_max);
        // Jitter: anywhere between half and all of the exponential step.
        let ms = exp.as_millis() as u64;
        Duration::from_millis(ms / 2 + jitter(ms / 2 + 1))
    }

    /// Whether this request may leave the client: a GET or a bodiless POST
    /// of a read-only list action, or a body POSTed to exactly Resource
    /// Graph's query endpoint or to a subscription's `metrics:getBatch`.
    fn read_only(&self, method: &Method, url: &Url, body: Option<&[u8]>) -> bool {
        let path = url.path().strip_prefix(self.base.path().trim_end_matches('/')).unwrap_or(url.path());
        match (method, body) {
            (&Method::GET, None) => true,
            (&Method::POST, None) => is_list_action(path),
            (&Method::POST, Some(_)) => is_resource_graph_query(path) || is_metrics_batch(path),
            _ => false,
        }
    }

    /// One HTTP exchange with retries on 429, 5xx, transport errors and
    /// malformed bodies, honouring Retry-After, within the deadline. Each
    /// attempt is admitted by the throttle scheduler for `key` first, then
    /// takes a concurrency permit. A 429 holds the key for its Retry-After
    /// (or Resource Graph's quota reset) and, up to [`MAX_THROTTLED_WAITS`]
    /// times, is not one of the `max_retries` attempts.
    async fn exchange(&self, method: Method, url: Url, body: Option<&[u8]>, key: &Key, id: usize, progress: &dyn Progress) -> Result<Exchange, Outcome> {
        debug_assert!(self.read_only(&method, &url, body), "{method} {url}");
        if !self.read_only(&method, &url, body) {
            return Err(Outcome::failed(None, format!("refused: {method} {} is not read-only", url.path())));
        }
        let mut attempt = 0u32;
        let mut throttled_waits = 0u32;
        let mut signed_in_again = false;
        // The data-plane metrics API has its own audience; a fixed token (or
        // a custom cloud's one scope) serves both.
        let metrics_scope;
        let scope = if method == Method::POST && is_metrics_batch(url.path()) {
            metrics_scope = self.options.cloud.metrics_scope();
            &metrics_scope
        } else {
            &self.scope
        };
        loop {
            let token = match self.credential.token(scope).await {
                Ok(t) => t,
                Err(e) => return Err(Outcome::failed(None, format!("cannot get a token: {e}"))),
            };
            let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.secret())).map_err(|_| Outcome::failed(None, "the access token is not a valid header value"))?;
            auth.set_sensitive(true);
            let admission = self.throttle.admit(key).await;
            let result = {
                let _permit = self.permits.acquire().await.expect("the semaphore is never closed");
                let req = self.http.request(method.clone(), url.clone()).header(AUTHORIZATION, auth).header("accept", "application/json");
                let req = match (&method, body) {
                    (_, Some(b)) => req.header("content-type", "application/json").body(b.to_vec()),
                    (&Method::POST, None) => req.header("content-length", "0"),
                    _ => req,
                };
                match req.send().await {
                    Ok(r) => {
                        let status = r.status();
                        let headers = r.headers().clone();
                        r.bytes().await.map(|b| Exchange { status, headers, body: b.to_vec() }).map_err(|e| transport(&e))
                    }
                    Err(e) => Err(transport(&e)),
                }
            };
            let throttled = matches!(&result, Ok(x) if x.status == StatusCode::TOO_MANY_REQUESTS);
            let hold = match &result {
                Ok(x) if throttled => retry_after(&x.headers).or_else(|| quota_resets_after(&x.headers)).unwrap_or_else(|| self.backoff(throttled_waits)),
                _ => Duration::ZERO,
            };
            admission.complete(match &result {
                Ok(x) => Observation {
                    hold: (*key == Key::ResourceGraph && !throttled).then(|| quota_spent(&x.headers)).flatten(),
                    ..Observation::from_headers(&x.headers, x.status.as_u16(), hold)
                },
                Err(_) => Observation::default(),
            });
            // A token that expired (or was revoked) while it was held: sign
            // in again once, as a long-running watch must.
            if matches!(&result, Ok(x) if x.status == StatusCode::UNAUTHORIZED) && !signed_in_again && self.credential.invalidate().await {
                signed_in_again = true;
                progress.waiting(id, "HTTP 401: the token was refused; signing in again");
                continue;
            }
            if throttled && throttled_waits < MAX_THROTTLED_WAITS {
                // The scheduler holds the key for `hold`: the next admission waits it out.
                if Instant::now().checked_add(hold).is_none_or(|t| t > self.deadline_at()) {
                    return result.map_err(|e| Outcome::failed(None, e));
                }
                throttled_waits += 1;
                self.throttle.count_retry();
                progress.waiting(id, &format!("HTTP 429; throttled, retry in {:.1}s", hold.as_secs_f64()));
                continue;
            }
            let (retry, why, hint) = match &result {
                Ok(x) if x.status == StatusCode::TOO_MANY_REQUESTS || x.status.is_server_error() => {
                    (true, format!("HTTP {}", x.status.as_u16()), retry_after(&x.headers))
                }
                Ok(x) if x.status.is_success() && x.status != StatusCode::ACCEPTED && serde_json::from_slice::<Value>(&x.body).is_err() && !x.body.is_empty() => {
                    (true, "malformed JSON body".to_string(), None)
                }
                Ok(_) => (false, String::new(), None),
                // A certificate that is not trusted will not become trusted by retrying.
                Err(e) if e.contains("certificate") => (false, e.clone(), None),
                Err(e) => (true, e.clone(), None),
            };
            if !retry || attempt >= self.options.max_retries {
                return match result {
                    Ok(x) => Ok(x),
                    Err(e) => Err(Outcome::failed(None, format!("{e} (after {} attempt(s))", attempt + 1))),
                };
            }
            let wait = hint.unwrap_or_else(|| self.backoff(attempt));
            progress.waiting(id, &format!("{why}; retry {} in {:.1}s", attempt + 1, wait.as_secs_f64()));
            if let Err(o) = self.sleep(wait, &format!("retrying after {why}")).await {
                return match result {
                    Ok(x) => Ok(x),
                    Err(_) => Err(o),
                };
            }
            self.throttle.count_retry();
            attempt += 1;
        }
    }
}

/// A number in 0..n, different for every call (randomly seeded hasher over a
/// counter): enough to spread retries, no generator crate needed.
fn jitter(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish() % n.max(1)
}

fn transport(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the response"
    } else {
        "transport error"
    };
    // reqwest's Display names the URL, never headers.
    let mut msg = format!("{kind}: {e}");
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    msg
}

/// A `Retry-After` header in seconds, capped at five minutes.
pub fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s.min(300)));
    }
    None
}

/// When Resource Graph's answer says the user's quota is spent
/// (`x-ms-user-quota-remaining: 0`): how long until it resets (a second
/// when it does not say: its windows are seconds long).
fn quota_spent(h: &HeaderMap) -> Option<Duration> {
    let remaining = h.get("x-ms-user-quota-remaining")?.to_str().ok()?.trim().parse::<u64>().ok()?;
    (remaining == 0).then(|| quota_resets_after(h).unwrap_or(Duration::from_secs(1)))
}

/// Resource Graph's `x-ms-user-quota-resets-after` (`hh:mm:ss`); capped at five minutes.
pub fn quota_resets_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get("x-ms-user-quota-resets-after")?.to_str().ok()?.trim();
    let parts: Vec<u64> = v.split(':').map(|p| p.parse::<u64>().ok()).collect::<Option<_>>()?;
    let secs = match parts.as_slice() {
        [h, m, s] if *m < 60 && *s < 60 => h * 3600 + m * 60 + s,
        _ => return None,
    };
    Some(Duration::from_secs(secs.min(300)))
}

fn interpret(x: Exchange) -> Outcome {
    let body: Option<Value> = if x.body.is_empty() { None } else { serde_json::from_slice(&x.body).ok() };
    if x.status.is_success() {
        match body {
            Some(v) => Outcome::Ok(v),
            None if x.body.is_empty() => Outcome::failed(Some(x.status.as_u16()), "empty response body"),
            None => Outcome::failed(Some(x.status.as_u16()), "malformed JSON body"),
        }
    } else {
        let error = body.unwrap_or_else(|| Value::String(String::from_utf8_lossy(&x.body).chars().take(500).collect::<String>()));
        let error = if error.as_str() == Some("") { Value::String(x.status.canonical_reason().unwrap_or("error").to_string()) } else { error };
        Outcome::Failed { status: Some(x.status.as_u16()), error }
    }
}

/// The HTTP client of ARM calls, also lent to the credential for its token
/// endpoint (Entra ID): the same roots (`extra_root_certs`), timeouts and
/// proxy rules.
pub fn http_client(options: &ClientOptions) -> Result<reqwest::Client, ClientError> {
    install_crypto_provider();
    let mut b = reqwest::Client::builder()
        .user_agent(concat!("erdiag/", env!("CARGO_PKG_VERSION")))
        .timeout(options.per_call_timeout)
        .connect_timeout(options.per_call_timeout.min(Duration::from_secs(15)))
        .redirect(reqwest::redirect::Policy::none());
    let mut extra = Vec::new();
    for pem in &options.extra_root_certs {
        extra.push(reqwest::Certificate::from_pem(pem).map_err(|e| ClientError::Certificate(e.to_string()))?);
    }
    if !extra.is_empty() {
        b = b.tls_certs_merge(extra);
    }
    if options.cloud.endpoint().host_str().is_some_and(|h| h == "localhost" || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())) {
        // Loopback (the emulator) never goes through a proxy.
        b = b.no_proxy();
    }
    b.build().map_err(|e| ClientError::Http(e.to_string()))
}

/// The client shared across tasks.
pub type SharedClient = Arc<ArmClient>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_read_only_actions_are_list_actions() {
        let c = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c";
        assert!(is_list_action(&format!("{c}/peerings/AzurePrivatePeering/arpTables/primary")));
        assert!(is_list_action(&format!("{c}/peerings/AzurePrivatePeering/routeTablesSummary/secondary")));
        assert!(is_list_action("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/g/getLearnedRoutes"));
        assert!(!is_list_action(c));
        assert!(!is_list_action(&format!("{c}/peerings/AzurePrivatePeering")));
        assert!(!is_list_action("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/g/reset"));
        assert!(!is_list_action(&format!("{c}/peerings/AzurePrivatePeering/arpTables/tertiary")));
    }

    #[test]
    fn only_resource_graph_and_metrics_batch_take_a_body() {
        let options = ClientOptions { cloud: Cloud::Custom { endpoint: Url::parse("https://arm.example/").unwrap(), scope: "x".into() }, ..Default::default() };
        let c = ArmClient::new(Credential::from_token("t".into()), options).unwrap();
        let url = |p: &str| Url::parse(&format!("https://arm.example{p}?api-version=1")).unwrap();
        let arp = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c/peerings/AzurePrivatePeering/arpTables/primary";
        let body: Option<&[u8]> = Some(b"{}");
        assert!(c.read_only(&Method::POST, &url(RESOURCE_GRAPH_PATH), body));
        assert!(c.read_only(&Method::POST, &url("/PROVIDERS/microsoft.resourcegraph/RESOURCES"), body));
        assert!(c.read_only(&Method::POST, &url(arp), None));
        assert!(c.read_only(&Method::GET, &url(arp), None));
        assert!(!c.read_only(&Method::POST, &url(arp), body), "a list action carries no body");
        assert!(!c.read_only(&Method::POST, &url(&format!("{RESOURCE_GRAPH_PATH}/x")), body));
        assert!(!c.read_only(&Method::POST, &url("/providers/Microsoft.ResourceGraph/resourceChanges"), body));
        assert!(!c.read_only(&Method::POST, &url(RESOURCE_GRAPH_PATH), None));
        assert!(!c.read_only(&Method::GET, &url(arp), body));
        assert!(!c.read_only(&Method::PUT, &url(RESOURCE_GRAPH_PATH), body));
        let batch = "/subscriptions/s1/metrics:getBatch";
        assert!(c.read_only(&Method::POST, &url(batch), body));
        assert!(c.read_only(&Method::POST, &url("/subscriptions/s1/METRICS:GETBATCH"), body));
        assert!(!c.read_only(&Method::POST, &url(batch), None), "a batch carries its resource ids");
        assert!(!c.read_only(&Method::PUT, &url(batch), body));
        assert!(!c.read_only(&Method::DELETE, &url(batch), None));
        // Any other POST with a body is still refused, even one ending alike.
        assert!(!c.read_only(&Method::POST, &url("/subscriptions/s1/resourceGroups/g/metrics:getBatch"), body));
        assert!(!c.read_only(&Method::POST, &url("/subscriptions/s1/providers/Microsoft.Insights/metrics"), body));
        assert!(!c.read_only(&Method::POST, &url("/subscriptions/s1/metrics:getBatchx"), body));
        assert!(!c.read_only(&Method::POST, &url("/subscriptions//metrics:getBatch"), body));
        assert!(!c.read_only(&Method::POST, &url("/subscriptions/s1/resourceGroups/g/providers/Microsoft.Network/expressRouteCircuits/c/delete"), body));
        assert!(ReadOnlyCall::resource_graph(&json!({"query": "Resources"})).is_post());
    }

    #[test]
    fn quota_reset_in_hh_mm_ss() {
        let mut h = HeaderMap::new();
        h.insert("x-ms-user-quota-resets-after", HeaderValue::from_static("00:00:03"));
        assert_eq!(quota_resets_after(&h), Some(Duration::from_secs(3)));
        h.insert("x-ms-user-quota-resets-after", HeaderValue::from_static("01:02:03"));
        assert_eq!(quota_resets_after(&h), Some(Duration::from_secs(300)));
        h.insert("x-ms-user-quota-resets-after", HeaderValue::from_static("3s"));
        assert_eq!(quota_resets_after(&h), None);
    }

    #[test]
    fn retry_after_in_seconds() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("100000"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(300)));
    }
}

#[cfg(test)]
mod metrics_batch_tests {
    use super::*;

    #[test]
    fn the_batch_goes_to_the_regional_metrics_endpoint_or_the_custom_one() {
        assert_eq!(Cloud::Public.metrics_endpoint("westeurope").unwrap().as_str(), "https://westeurope.metrics.monitor.azure.com/");
        assert_eq!(Cloud::Public.metrics_scope(), "https://metrics.monitor.azure.com/.default");
        assert!(Cloud::Public.metrics_endpoint("evil.example/x").is_none());
        assert!(Cloud::Public.metrics_endpoint("").is_none());
        let custom = Cloud::Custom { endpoint: Url::parse("http://127.0.0.1:9/").unwrap(), scope: "s".into() };
        assert_eq!(custom.metrics_endpoint("westeurope").unwrap().as_str(), "http://127.0.0.1:9/");
        let options = ClientOptions { cloud: custom, ..Default::default() };
        let c = ArmClient::new(Credential::from_token("t".into()), options).unwrap();
        let call = ReadOnlyCall::metrics_batch("s1", "westeurope", &[("metricnames", "BitsInPerSecond")], &["/subscriptions/s1/x".to_string()]);
        let u = c.url_for(&call).unwrap();
        assert_eq!(u.path(), "/subscriptions/s1/metrics:getBatch");
        assert!(u.query().unwrap().contains("api-version=2024-02-01"));
        assert!(c.read_only(&Method::POST, &u, call.body.as_deref()));
        assert_eq!(call.body.as_deref(), Some(&br#"{"resourceids":["/subscriptions/s1/x"]}"#[..]));
    }
}
