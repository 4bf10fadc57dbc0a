//! The running server: [`start`], [`start_with_backend`] and [`Running`].
//! It accepts connections and hands every request to the [`Service`]
//! (`service.rs`), then delivers the answer as the service says: whole, or
//! cut by a fault.
//!
//! Connections are served by hyper's HTTP/1 with a header-read timeout
//! (`header_timeout`, also the keep-alive idle limit); `net.rs` bounds
//! their number and their idle time.

use crate::backend::Backend;
use crate::config::Config;
use crate::error::Error;
use crate::net::{self, ConnInfo};
use crate::service::{Delivery, Recorded, Service};
use crate::snapshot::SnapshotBackend;
use crate::timed::TimedBackend;
use crate::tls;
use axum::extract::Request;
use axum::response::Response;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

/// How long `shutdown` waits for open requests before it stops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

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
    service: Arc<Service>,
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
        self.service.requests()
    }

    /// Each request from now on, when its answer is made (or its connection
    /// dropped). A receiver that falls more than 1,024 behind misses the
    /// oldest and is told how many (`RecvError::Lagged`).
    pub fn watch(&self) -> broadcast::Receiver<Recorded> {
        self.service.watch()
    }

    /// What each throttling bucket (subscription, region) answered so far:
    /// reads and 429s. Empty when [`crate::Config::throttle`] is off.
    pub fn bucket_stats(&self) -> Vec<crate::BucketStats> {
        self.service.bucket_stats()
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
/// With a [`Config::timeline`], the snapshots are served as they stand at
/// the clock's time ([`crate::TimedBackend`]), the events anchored at the
/// clock's time now.
pub async fn start(config: Config, bind: SocketAddr) -> Result<Running, Error> {
    let backend: Arc<dyn Backend> = match &config.timeline {
        Some(timeline) => {
            let timeline = timeline.clone().starting_at(config.clock.now());
            Arc::new(TimedBackend::new(config.snapshots.clone(), timeline, config.clock.clone())?)
        }
        None => Arc::new(SnapshotBackend::from_snapshots(&config.snapshots)?),
    };
    start_with_backend(config, backend, bind).await
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
    let service = Arc::new(Service::new(&config, backend, tls.is_some(), reachable));
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(incoming, service.clone(), config.header_timeout, stopped));
    Ok(Running {
        base_url: format!("{scheme}://{reachable}"),
        addr: local,
        cert_pem: tls.map(|t| t.root_pem),
        service,
        stop: Some(stop),
        server: Some(server),
        acceptor: Some(acceptor),
    })
}

/// Serves connections until `stopped`, then lets open ones finish their
/// current request (the caller bounds how long).
async fn serve(mut incoming: net::Incoming, service: Arc<Service>, header_timeout: Duration, mut stopped: oneshot::Receiver<()>) {
    let (stopping, stop_watch) = watch::channel(false);
    let mut conns = JoinSet::new();
    loop {
        let (conn, info) = tokio::select! {
            _ = &mut stopped => break,
            next = incoming.accept() => next,
        };
        while conns.try_join_next().is_some() {}
        let service = service.clone();
        let mut stop = stop_watch.clone();
        conns.spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let (service, info) = (service.clone(), info.clone());
                async move { Ok::<_, std::convert::Infallible>(handle(&service, &info, request.map(axum::body::Body::new)).await) }
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

/// One request: the service's answer, delivered as it says.
async fn handle(service: &Service, conn: &ConnInfo, request: Request) -> Response {
    let (response, delivery) = service.respond(request).await;
    match delivery {
        Delivery::Whole => {}
        Delivery::DropBefore => conn.cut.now(),
        Delivery::DropMidBody { body_bytes } => conn.cut.after_head(body_bytes),
    }
    response
}
