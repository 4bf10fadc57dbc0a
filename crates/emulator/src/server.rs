//! The running server: `start`, the request log, and the one handler every
//! request goes through, in this order:
//!
//! 1. record the request (method, path, query, whether it had a bearer token)
//!    in the log, a ring of the most recent `log_capacity` requests;
//! 2. ARM paths (`/subscriptions…`, `/tenants`, `/providers…`): 401 without a
//!    bearer token (when required), then 400 without `api-version`;
//! 3. injected faults: latency, then the fault that decides the answer;
//! 4. the answer: ARM (`arm.rs`) or sign-in and metadata (`identity.rs`);
//! 5. ARM's tracing headers (`x-ms-request-id`, `x-ms-correlation-request-id`),
//!    and the answer's status into the log; the finished request goes to
//!    whoever watches ([`Running::watch`]).
//!
//! Connections are served by hyper's HTTP/1 with a header-read timeout
//! (`header_timeout`, also the keep-alive idle limit); `net.rs` bounds
//! their number and their idle time.

use crate::arm::{self, ArmRequest};
use crate::backend::Backend;
use crate::config::{Config, FaultKind};
use crate::error::Error;
use crate::faults::Faults;
use crate::identity::{self, Bearer};
use crate::lro::Operations;
use crate::net::{self, ConnInfo};
use crate::path::{ArmPath, Route};
use crate::reply::{code_for_status, Reply};
use crate::snapshot::SnapshotBackend;
use crate::tls;
use crate::util::guid;
use axum::extract::Request;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

/// Request bodies larger than this are refused (the emulator only reads
/// token requests; ARM's own limit is 4 MiB).
const MAX_BODY: usize = 4 * 1024 * 1024;
/// How long `shutdown` waits for open requests before it stops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

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

/// State shared by all requests.
pub(crate) struct Shared {
    pub backend: Arc<dyn Backend>,
    pub ops: Operations,
    pub faults: Faults,
    pub latency: Duration,
    pub retry_after: u64,
    require_token: bool,
    scheme: &'static str,
    local: SocketAddr,
    log: Mutex<Log>,
    finished: broadcast::Sender<Recorded>,
    body_timeout: Duration,
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

impl Shared {
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

/// A running emulator. Dropping it stops the server too (without waiting);
/// prefer [`Running::shutdown`].
pub struct Running {
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`, no trailing `/`.
    pub base_url: String,
    pub addr: SocketAddr,
    /// HTTPS only: the PEM of the certificate to trust, the emulator's own
    /// CA (made at start) that signed its server certificate. A client that
    /// trusts only this root can connect to `127.0.0.1`, `::1` and `localhost`.
    pub cert_pem: Option<String>,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    acceptor: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running").field("base_url", &self.base_url).field("tls", &self.cert_pem.is_some()).finish()
    }
}

impl Running {
    /// The requests received so far (the last `log_capacity` of them), in
    /// order of arrival, including operation polls and rejected requests.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log().entries.iter().cloned().collect()
    }

    /// Each request from now on, when its answer is made (or its connection
    /// dropped). A receiver that falls more than 1,024 behind misses the
    /// oldest and is told how many (`RecvError::Lagged`).
    pub fn watch(&self) -> broadcast::Receiver<Recorded> {
        self.shared.finished.subscribe()
    }

    /// `base_url` followed by `path_and_query` (which starts with `/`).
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url)
    }

    /// Stops accepting, lets open requests finish (up to a few seconds), and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
            // Wait for it to go, so that the listening socket is closed on return.
            let _ = acceptor.await;
        }
        if let Some(mut server) = self.server.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await.is_err() {
                server.abort();
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
        }
    }
}

/// Starts an emulator serving `config.snapshots` on `bind` (port 0: any free
/// port; see [`Running::addr`]).
pub async fn start(config: Config, bind: SocketAddr) -> Result<Running, Error> {
    let backend = SnapshotBackend::from_snapshots(&config.snapshots)?;
    start_with_backend(config, Arc::new(backend), bind).await
}

/// Starts an emulator serving `backend`; `config.snapshots` is not read.
pub async fn start_with_backend(config: Config, backend: Arc<dyn Backend>, bind: SocketAddr) -> Result<Running, Error> {
    let tls = if config.tls { Some(tls::setup()?) } else { None };
    let tcp = tokio::net::TcpListener::bind(bind).await.map_err(|source| Error::Bind { addr: bind, source })?;
    let local = tcp.local_addr().map_err(|source| Error::Bind { addr: bind, source })?;
    let limits = net::Limits { max_connections: config.max_connections, idle_timeout: config.idle_timeout };
    let (incoming, acceptor) = net::incoming(tcp, tls.as_ref().map(|t| t.acceptor.clone()), limits);
    let scheme = if tls.is_some() { "https" } else { "http" };
    // A wildcard bind is reached through loopback.
    let reachable = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), local.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), local.port()),
        _ => local,
    };
    let shared = Arc::new(Shared {
        backend,
        ops: Operations::default(),
        faults: Faults::new(&config.faults),
        latency: config.operation_latency,
        retry_after: config.retry_after,
        require_token: config.require_token,
        scheme,
        local: reachable,
        log: Mutex::new(Log { entries: VecDeque::new(), first: 0, capacity: config.log_capacity }),
        finished: broadcast::channel(1024).0,
        body_timeout: config.header_timeout,
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(incoming, shared.clone(), config.header_timeout, stopped));
    Ok(Running {
        base_url: format!("{scheme}://{reachable}"),
        addr: local,
        cert_pem: tls.map(|t| t.root_pem),
        shared,
        stop: Some(stop),
        server: Some(server),
        acceptor: Some(acceptor),
    })
}

/// Serves connections until `stopped`, then lets open ones finish their
/// current request (the caller bounds how long).
async fn serve(mut incoming: net::Incoming, shared: Arc<Shared>, header_timeout: Duration, mut stopped: oneshot::Receiver<()>) {
    let (stopping, stop_watch) = watch::channel(false);
    let mut conns = JoinSet::new();
    loop {
        let (conn, info) = tokio::select! {
            _ = &mut stopped => break,
            next = incoming.accept() => next,
        };
        while conns.try_join_next().is_some() {}
        let shared = shared.clone();
        let mut stop = stop_watch.clone();
        conns.spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let (shared, info) = (shared.clone(), info.clone());
                async move { Ok::<_, std::convert::Infallible>(handle(shared, info, request.map(axum::body::Body::new)).await) }
            });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(header_timeout);
            let served = http.serve_connection(hyper_util::rt::TokioIo::new(conn), service);
            tokio::pin!(served);
            tokio::select! {
                _ = served.as_mut() => {}
                _ = stop.changed() => {
                    served.as_mut().graceful_shutdown();
                    let _ = served.await;
                }
            }
        });
    }
    let _ = stopping.send(true);
    while conns.join_next().await.is_some() {}
}

/// How the answer leaves: whole, or cut by a fault.
enum Delivery {
    Whole,
    DropBefore,
    DropMidBody,
}

async fn handle(shared: Arc<Shared>, conn: ConnInfo, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bearer = identity::bearer(&parts.headers);
    let mut record = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        authorized: bearer == Bearer::Present,
        status: None,
    };
    let seq = shared.log().push(record.clone());
    let (reply, delivery) = match tokio::time::timeout(shared.body_timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => answer(&shared, &parts.method, parts.uri.path(), parts.uri.query().unwrap_or(""), &parts.headers, bearer, &bytes).await,
        Ok(Err(_)) => (
            Reply::arm_error(413, "RequestEntityTooLarge", format!("The request body is larger than {MAX_BODY} bytes or could not be read.")),
            Delivery::Whole,
        ),
        Err(_) => (Reply::arm_error(408, "RequestTimeout", "The request body did not arrive in time.").header("connection", "close"), Delivery::Whole),
    };
    let reply = trace_headers(reply, &parts.headers);
    match delivery {
        Delivery::Whole => {}
        Delivery::DropBefore => conn.cut.now(),
        Delivery::DropMidBody => conn.cut.after_head(reply.body.len() / 2),
    }
    record.status = matches!(delivery, Delivery::Whole).then_some(reply.status.as_u16());
    if let Some(entry) = shared.log().get_mut(seq) {
        entry.status = record.status;
    }
    // Nobody watching is not an error.
    let _ = shared.finished.send(record);
    reply.into_response()
}

/// ARM's tracing headers: a fresh request id; the client's correlation and
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
    shared: &Shared,
    method: &Method,
    raw_path: &str,
    raw_query: &str,
    headers: &HeaderMap,
    bearer: Bearer,
    body: &[u8],
) -> (Reply, Delivery) {
    let path = ArmPath::parse(raw_path);
    let query: Vec<(String, String)> = url::form_urlencoded::parse(raw_query.as_bytes()).into_owned().collect();
    let base = shared.base(headers);
    let is_arm = matches!(path.lower.first().map(String::as_str), Some("subscriptions" | "tenants" | "providers"));
    let route = if is_arm { Route::of(&path) } else { Route::Other };

    let mut api_version = String::new();
    if is_arm {
        if shared.require_token && bearer != Bearer::Present {
            return (identity::unauthorized(bearer, &base), Delivery::Whole);
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

    let get = *method == Method::GET || *method == Method::HEAD;
    let operation = is_arm && ((*method == Method::POST && route.is_action()) || (get && route.is_poll()));
    let applied = shared.faults.take(&path.original, method.as_str(), operation);
    if !applied.latency.is_zero() {
        tokio::time::sleep(applied.latency).await;
    }
    let injected = "(erdiag emulator: injected fault)";
    let normal = || {
        if is_arm {
            let req = ArmRequest {
                method,
                path: &path,
                route: &route,
                query: &query,
                headers,
                base: &base,
                api_version: &api_version,
                operation_fault: applied.operation.clone(),
            };
            arm::handle(shared, &req)
        } else if let Some(reply) = identity::route(method, &path, &query, headers, body, &base) {
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
        Some(FaultKind::DropConnection) => (Reply::empty(500), Delivery::DropBefore),
        Some(FaultKind::DropMidResponse) => {
            let mut reply = normal();
            if reply.body.len() < 2 {
                // Nothing to cut in half: send a body to cut.
                reply = Reply::arm_error(reply.status.as_u16(), code_for_status(reply.status.as_u16()), injected);
            }
            (reply, Delivery::DropMidBody)
        }
        Some(FaultKind::MalformedBody) => {
            let reply = normal();
            let mut body = if reply.body.len() >= 2 { reply.body.clone() } else { br#"{"value": [{"name": "truncated"}]}"#.to_vec() };
            body.truncate(body.len() / 2);
            (Reply::empty(200).header("content-type", crate::reply::JSON).body(body), Delivery::Whole)
        }
    }
}
