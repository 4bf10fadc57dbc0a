#![no_main]
//! Fuzzes the emulator's request handling without sockets: up to eight
//! requests, each routed by `Service::respond` (log, token and
//! `api-version` checks, faults, ARM or sign-in answer) against three
//! scenarios and a fault on some paths. Any panic is a failure; so is an
//! answer whose status is not a valid HTTP status or a log that lost a
//! request.
//!
//! Input: requests separated by a line `~~~`, each
//!
//! ```text
//! METHOD TARGET
//! Name: value
//!
//! BODY
//! ```
//!
//! where TARGET `@location` or `@async` is the path and query of the last
//! answer's `Location` or `Azure-AsyncOperation` header (so that a started
//! operation can be polled). A method, target or header the HTTP layer
//! would refuse is replaced by a valid one (or left out), as hyper would
//! never hand it to the service.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use erdiag_emulator::{Config, Fault, FaultKind, Service, SnapshotBackend};
use std::sync::{Arc, OnceLock};

const SCENARIOS: [&str; 3] = [
    include_str!("../../../../scenarios/healthy-private-microsoft/snapshot.json"),
    include_str!("../../../../scenarios/gateway-forbidden/snapshot.json"),
    include_str!("../../../../scenarios/route-table-call-failed/snapshot.json"),
];
const MAX_REQUESTS: usize = 8;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    config: Config,
    backend: Arc<SnapshotBackend>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let snapshots = SCENARIOS.iter().map(|s| serde_json::from_str(s).expect("scenario parses")).collect();
        let mut config = Config::new(snapshots);
        config.faults = vec![
            Fault::new("arptables/secondary", FaultKind::NeverFinishes),
            Fault::new("routetablessummary", FaultKind::OperationFails),
            Fault::new("stats", FaultKind::MalformedBody).times(2),
            Fault::new("connections", FaultKind::DropMidResponse).method("GET"),
            Fault::new("routetables/secondary", FaultKind::TooManyRequests { retry_after_secs: 1 }).times(1),
            Fault::new("fault-5xx", FaultKind::ServerError { status: 503 }),
            Fault::new("fault-drop", FaultKind::DropConnection),
            Fault::new("fault-status", FaultKind::ServerError { status: 99 }),
        ];
        let backend = Arc::new(SnapshotBackend::from_snapshots(&config.snapshots).expect("scenarios load"));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
        Fixture { runtime, config, backend }
    })
}

/// One request of the input, made valid the way the HTTP layer would have
/// made it (or refused it).
fn request(text: &[u8], last: &Option<(String, String)>) -> Request<Body> {
    let (head, body) = match text.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&text[..i], &text[i + 2..]),
        None => (text, &b""[..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default();
    let (method, target) = first.split_once(' ').unwrap_or((first, "/"));
    let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
    let target = match (target.trim(), last) {
        ("@location", Some((location, _))) => location.as_str(),
        ("@async", Some((_, status))) => status.as_str(),
        (t, _) => t,
    };
    let mut builder = Request::builder().method(method).uri(target);
    if builder.uri_ref().is_none() {
        builder = Request::builder().uri("/");
    }
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.trim().as_bytes()), HeaderValue::from_str(value.trim())) {
            builder = builder.header(n, v);
        }
    }
    builder.body(Body::from(body.to_vec())).unwrap_or_else(|_| Request::new(Body::empty()))
}

/// The requests of the input: its parts between lines `~~~`.
fn split(mut data: &[u8]) -> impl Iterator<Item = &[u8]> {
    const SEP: &[u8] = b"\n~~~\n";
    std::iter::from_fn(move || {
        if data.is_empty() {
            return None;
        }
        let (part, rest) = match data.windows(SEP.len()).position(|w| w == SEP) {
            Some(i) => (&data[..i], &data[i + SEP.len()..]),
            None => (data, &b""[..]),
        };
        data = rest;
        Some(part)
    })
}

/// The path and query of a URL the emulator wrote in a header.
fn path_of(response: &axum::response::Response, header: &str) -> String {
    let url = response.headers().get(header).and_then(|v| v.to_str().ok()).unwrap_or("/");
    match url.find("://").map(|i| i + 3) {
        Some(i) => url[i..].find('/').map_or("/".to_string(), |j| url[i + j..].to_string()),
        None => url.to_string(),
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let service = Service::new(&f.config, f.backend.clone(), false, "127.0.0.1:9".parse().unwrap());
    let mut last = None;
    let mut sent = 0;
    for text in split(data).take(MAX_REQUESTS) {
        let request = request(text, &last);
        let (response, _) = f.runtime.block_on(service.respond(request));
        sent += 1;
        assert!((100..=599).contains(&response.status().as_u16()));
        last = Some((path_of(&response, "location"), path_of(&response, "azure-asyncoperation")));
        let _ = f.runtime.block_on(axum::body::to_bytes(response.into_body(), usize::MAX));
    }
    assert_eq!(service.requests().len(), sent, "every request is in the log");
});
