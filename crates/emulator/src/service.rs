//! The request pipeline, without sockets: every request the server accepts
//! goes through [`Service::respond`], in this order:
//!
//! 1. record the request (method, path, query, whether it had a bearer token)
//!    in the log, a ring of the most recent `log_capacity` requests;
//! 2. ARM paths (`/subscriptions…`, `/tenants`, `/providers…`): 401 without a
//!    bearer token (when required), then 400 without `api-version`;
//! 3. Resource Graph queries are answered (`graph.rs`, its own quota);
//! 4. a subscription's request takes a token from its bucket when throttling
//!    is on (`throttle.rs`: 429 when empty), then a forbidden subscription
//!    answers 403;
//! 5. injected faults: latency, then the fault that decides the answer;
//! 6. the answer: ARM (`arm.rs`) or sign-in and metadata (`identity.rs`),
//!    with the rate-limit headers of step 4;
//! 7. ARM's tracing headers (`x-ms-request-id`, `x-ms-correlation-request-id`),
//!    and the answer's status into the log; the finished request goes to
//!    whoever watches ([`Service::watch`]).
//!
//! What the connection does with the answer (send it whole, or cut it as a
//! fault asks: [`Delivery`]) is the server's (`server.rs`).

use crate::arm::{self, Arm, ArmRequest};
use crate::backend::Backend;
use crate::config::{Config, FaultKind};
use crate::faults::Faults;
use crate::graph::{self, Graph};
use crate::identity::{self, Bearer};
use crate::lro::Operations;
use crate::path::{subscription_of, top_level, ArmPath, ResourceId, Route};
use crate::reply::{code_for_status, Reply, JSON};
use crate::throttle::{region_of, Admission, BucketStats, Buckets};
use crate::util::guid;
use axum::extract::Request;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Request bodies larger than this are refused (the emulator only reads
/// token requests; ARM's own limit is 4 MiB).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// One request as the emulator received it. The `Authorization` header's
/// value is never kept: only whether it held a bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// The path as sent (not decoded).
    pub path: String,
    /// The query string as sent, without `?` (empty when none).
    pub query: String,
    /// The request carried `Authorization: Bearer <something>`.
    pub authorized: bool,
    /// Extension: the status answered; `None` while the answer is being
    /// made, or when a fault dropped the connection.
    pub status: Option<u16>,
}

/// How an answer leaves: whole, or cut by a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Whole,
    /// The connection closes before any byte of the answer.
    DropBefore,
    /// The connection closes after the answer's head and this many bytes of its body.
    DropMidBody { body_bytes: usize },
}

/// What answers requests: the ARM side, the faults still to inject, the
/// request log. One per emulator, shared by all its connections.
pub struct Service {
    arm: Arm,
    faults: Faults,
    require_token: bool,
    token_lifetime: u64,
    scheme: &'static str,
    local: SocketAddr,
    log: Mutex<Log>,
    finished: broadcast::Sender<Recorded>,
    body_timeout: Duration,
    graph: Graph,
    buckets: Option<Buckets>,
    /// Lower case.
    forbidden: Vec<String>,
}

/// The most recent requests, oldest first; each has a sequence number so
/// that its status can be filled in while it is still there.
struct Log {
    entries: VecDeque<Recorded>,
    /// Sequence number of `entries[0]`.
    first: u64,
    capacity: usize,
}

impl Log {
    fn push(&mut self, r: Recorded) -> u64 {
        if self.capacity == 0 {
            self.first += 1;
            return self.first - 1;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.first += 1;
        }
        self.entries.push_back(r);
        self.first + self.entries.len() as u64 - 1
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut Recorded> {
        seq.checked_sub(self.first).and_then(|i| self.entries.get_mut(i as usize))
    }
}

impl Service {
    /// A service for `config` (its snapshots are not read: `backend` serves)
    /// that names itself `http(s)://local` in its answers' URLs when a
    /// request has no usable `Host` header.
    pub fn new(config: &Config, backend: std::sync::Arc<dyn Backend>, https: bool, local: SocketAddr) -> Service {
        Service {
            arm: Arm { backend, ops: Operations::default(), latency: config.operation_latency, retry_after: config.retry_after },
            faults: Faults::new(&config.faults),
            require_token: config.require_token,
            token_lifetime: config.token_lifetime.as_secs().max(1),
            scheme: if https { "https" } else { "http" },
            local,
            log: Mutex::new(Log { entries: VecDeque::new(), first: 0, capacity: config.log_capacity }),
            finished: broadcast::channel(1024).0,
            body_timeout: config.header_timeout,
            graph: Graph::new(config.graph_quota, config.management_groups.clone()),
            buckets: config.throttle.map(Buckets::new),
            forbidden: config.forbidden.iter().map(|s| s.to_ascii_lowercase()).collect(),
        }
    }

    /// What each throttling bucket answered so far (empty when throttling is off).
    pub fn bucket_stats(&self) -> Vec<BucketStats> {
        self.buckets.as_ref().map(|b| b.stats(Instant::now())).unwrap_or_default()
    }

    /// The requests received so far (the last `log_capacity` of them), in
    /// order of arrival, including operation polls and rejected requests.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log().entries.iter().cloned().collect()
    }

    /// Each request from now on, when its answer is made (or its connection
    /// dropped). A receiver that falls more than 1,024 behind misses the
    /// oldest and is told how many (`RecvError::Lagged`).
    pub fn watch(&self) -> broadcast::Receiver<Recorded> {
        self.finished.subscribe()
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `scheme://host:port` as the client addressed us (its `Host` header),
    /// so that URLs in answers work through whatever name it used.
    fn base(&self, headers: &HeaderMap) -> String {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')));
        match host {
            Some(h) => format!("{}://{h}", self.scheme),
            None => format!("{}://{}", self.scheme, self.local),
        }
    }
}

impl Service {
    /// Answers one request: the response, and how the connection is to
    /// deliver it. Whatever the request holds, it gets an answer.
    pub async fn respond(&self, request: Request) -> (Response, Delivery) {
        let (parts, body) = request.into_parts();
        let bearer = identity::bearer(&parts.headers);
        let mut record = Recorded {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            authorized: bearer == Bearer::Present,
            status: None,
        };
        let seq = self.log().push(record.clone());
        let (reply, delivery) = match tokio::time::timeout(self.body_timeout, axum::body::to_bytes(body, MAX_BODY)).await {
            Ok(Ok(bytes)) => answer(self, &parts.method, parts.uri.path(), parts.uri.query().unwrap_or(""), &parts.headers, bearer, &bytes).await,
            Ok(Err(_)) => (
                Reply::arm_error(413, "RequestEntityTooLarge", format!("The request body is larger than {MAX_BODY} bytes or could not be read.")),
                Delivery::Whole,
            ),
            Err(_) => (Reply::arm_error(408, "RequestTimeout", "The request body did not arrive in time.").header("connection", "close"), Delivery::Whole),
        };
        let reply = trace_headers(reply, &parts.headers).header("date", erdiag_model::time::http_date(self.arm.backend.now()));
        record.status = matches!(delivery, Delivery::Whole).then_some(reply.status.as_u16());
        if let Some(entry) = self.log().get_mut(seq) {
            entry.status = record.status;
        }
        // Nobody watching is not an error.
        let _ = self.finished.send(record);
        (reply.into_response(), delivery)
    }
}

/// ARM's tracing headers (and, above, `Date` from the emulator's clock, as
/// ARM sends its own: a client reads "now" from it): a fresh request id; the client's correlation and
/// client request ids echoed (a fresh correlation id when it sent none).
fn trace_headers(reply: Reply, headers: &HeaderMap) -> Reply {
    let echo = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let mut reply = reply
        .header("x-ms-request-id", guid())
        .header("x-ms-correlation-request-id", echo("x-ms-correlation-request-id").unwrap_or_else(guid));
    if let Some(id) = echo("x-ms-client-request-id") {
        reply = reply.header("x-ms-client-request-id", id);
    }
    reply
}

async fn answer(
    service: &Service,
    method: &Method,
    raw_path: &str,
    raw_query: &str,
    headers: &HeaderMap,
    bearer: Bearer,
    body: &[u8],
) -> (Reply, Delivery) {
    let path = ArmPath::parse(raw_path);
    let query: Vec<(String, String)> = url::form_urlencoded::parse(raw_query.as_bytes()).into_owned().collect();
    let base = service.base(headers);
    let is_arm = matches!(path.lower.first().map(String::as_str), Some("subscriptions" | "tenants" | "providers"));
    let route = if is_arm { Route::of(&path) } else { Route::Other };

    let mut api_version = String::new();
    if is_arm {
        if service.require_token && bearer != Bearer::Present {
            return (identity::unauthorized(bearer, &base), Delivery::Whole);
        }
        if identity::token_expired(headers) {
            return (identity::expired(&base), Delivery::Whole);
        }
        match query.iter().find(|(k, _)| k.eq_ignore_ascii_case("api-version")).map(|(_, v)| v.trim()) {
            Some(v) if !v.is_empty() => api_version = v.to_string(),
            _ => {
                return (
                    Reply::arm_error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
                    Delivery::Whole,
                )
            }
        }
    }

    if route == Route::Graph {
        return (graph::answer(&service.graph, &*service.arm.backend, *method == Method::POST, headers, body, Instant::now()), Delivery::Whole);
    }
    let sub = subscription_of(&path.original).filter(|_| is_arm);
    let admission = match (&service.buckets, sub) {
        (Some(buckets), Some(sub)) => Some(buckets.admit(sub, &region_of(&*service.arm.backend, &path, &route), Instant::now())),
        _ => None,
    };
    let rated = |reply: Reply| admission.into_iter().flat_map(Admission::headers).fold(reply, |r, (name, value)| r.header(name, value));
    if let (Some(Admission::Throttled { retry_after, .. }), Some(sub)) = (admission, sub) {
        return (rated(throttled(sub, retry_after)), Delivery::Whole);
    }
    if let Some(sub) = sub.filter(|s| service.forbidden.contains(&s.to_ascii_lowercase())) {
        return (rated(forbidden(method, &path, sub)), Delivery::Whole);
    }
    let (reply, delivery) = decide(service, method, &path, &route, &query, headers, &base, &api_version, is_arm, body).await;
    (rated(reply), delivery)
}

/// ARM's answer when a subscription's bucket is empty.
fn throttled(sub: &str, retry_after: u64) -> Reply {
    Reply::arm_error(
        429,
        "SubscriptionRequestsThrottled",
        format!(
            "Number of 'read' requests for subscription '{sub}' exceeded. Please try again after '{retry_after}' seconds after additional tokens are available. \
             Refer to https://aka.ms/arm-throttling for additional information."
        ),
    )
    .header("retry-after", retry_after.to_string())
}

/// ARM's answer to a caller without a role in the subscription.
fn forbidden(method: &Method, path: &ArmPath, sub: &str) -> Reply {
    let scope = top_level(&path.original).unwrap_or_else(|| format!("/subscriptions/{sub}"));
    let kind = ResourceId::parse(&scope).ok().and_then(|r| r.provider_type()).unwrap_or_else(|| "Microsoft.Resources/subscriptions".to_string());
    let verb = if *method == Method::POST { "action" } else { "read" };
    Reply::arm_error(
        403,
        "AuthorizationFailed",
        format!(
            "The client 'erdiag-emulator' with object id '00000000-0000-0000-0000-000000000000' does not have authorization to perform action '{kind}/{verb}' \
             over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials."
        ),
    )
}

/// Injected faults, then the answer.
#[allow(clippy::too_many_arguments)]
async fn decide(
    service: &Service,
    method: &Method,
    path: &ArmPath,
    route: &Route,
    query: &[(String, String)],
    headers: &HeaderMap,
    base: &str,
    api_version: &str,
    is_arm: bool,
    body: &[u8],
) -> (Reply, Delivery) {
    let get = *method == Method::GET || *method == Method::HEAD;
    let operation = is_arm && ((*method == Method::POST && route.is_action()) || (get && route.is_poll()));
    let applied = service.faults.take(&path.original, method.as_str(), operation);
    if !applied.latency.is_zero() {
        tokio::time::sleep(applied.latency).await;
    }
    let injected = "(erdiag emulator: injected fault)";
    let normal = || {
        if is_arm {
            let req = ArmRequest {
                method,
                path,
                route,
                query,
                headers,
                base,
                api_version,
                operation_fault: applied.operation.clone(),
                body,
            };
            arm::handle(&service.arm, &req)
        } else if let Some(reply) = identity::route(method, path, query, headers, body, base, service.token_lifetime) {
            reply
        } else {
            Reply::arm_error(404, "NotFound", format!("The erdiag emulator serves nothing at {}.", path.original))
        }
    };
    match applied.terminal {
        None | Some(FaultKind::Latency { .. } | FaultKind::NeverFinishes | FaultKind::OperationFails) => (normal(), Delivery::Whole),
        Some(FaultKind::TooManyRequests { retry_after_secs }) => (
            Reply::arm_error(
                429,
                "TooManyRequests",
                format!("The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. {injected}"),
            )
            .header("retry-after", retry_after_secs.to_string()),
            Delivery::Whole,
        ),
        Some(FaultKind::ServerError { status }) => {
            let status = if (400..=599).contains(&status) { status } else { 500 };
            (Reply::arm_error(status, code_for_status(status), format!("An error occurred. {injected}")), Delivery::Whole)
        }
        Some(FaultKind::ExpiredToken) => (identity::expired(base), Delivery::Whole),
        Some(FaultKind::DropConnection) => (Reply::empty(500), Delivery::DropBefore),
        Some(FaultKind::DropMidResponse) => {
            let mut reply = normal();
            if reply.body.len() < 2 {
                // Nothing to cut in half: send a body to cut.
                reply = Reply::arm_error(reply.status.as_u16(), code_for_status(reply.status.as_u16()), injected);
            }
            let body_bytes = reply.body.len() / 2;
            (reply, Delivery::DropMidBody { body_bytes })
        }
        Some(FaultKind::MalformedBody) => {
            let reply = normal();
            let mut body = if reply.body.len() >= 2 { reply.body.clone() } else { br#"{"value": [{"name": "truncated"}]}"#.to_vec() };
            body.truncate(body.len() / 2);
            (Reply::empty(200).header("content-type", JSON).body(body), Delivery::Whole)
        }
    }
}
