//! Helpers shared by the emulator's integration tests: scenario loading, a
//! loopback-only HTTP client with short timeouts, and bounded polling.

#![allow(dead_code)]

use erdiag_emulator::{start, Config, Running};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

pub const API: &str = "api-version=2024-05-01";
pub const BEARER: &str = "Bearer test-token-not-a-secret";

/// `scenarios/NAME/snapshot.json` of the repository.
pub fn scenario(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

pub fn circuit_id(snapshot: &Value) -> String {
    snapshot["circuitId"].as_str().expect("circuitId").to_string()
}

/// The body a snapshot holds for `path` (exact key).
pub fn resource<'a>(snapshot: &'a Value, path: &str) -> &'a Value {
    snapshot["resources"].get(path).unwrap_or_else(|| panic!("{path} not in the snapshot"))
}

pub async fn serve(config: Config) -> Running {
    start(config, "127.0.0.1:0".parse().unwrap()).await.expect("emulator starts")
}

/// The healthy-private scenario served with its configuration set by `tune`:
/// the emulator, the circuit's id and the snapshot.
pub async fn healthy(tune: impl FnOnce(&mut Config)) -> (Running, String, Value) {
    let snap = scenario("healthy-private");
    let mut config = Config::new(vec![snap.clone()]);
    tune(&mut config);
    (serve(config).await, circuit_id(&snap), snap)
}

/// TLS in tests uses rustls with ring, as erdiag does.
pub fn crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A plain-HTTP client that never uses a proxy and gives up quickly.
pub fn client() -> reqwest::Client {
    crypto();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("client")
}

/// A client that trusts only `pem`.
pub fn tls_client(pem: &str) -> reqwest::Client {
    crypto();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(2))
        .tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM parses")])
        .build()
        .expect("client")
}

/// `path?api-version=…` on the emulator.
pub fn arm(running: &Running, path: &str) -> String {
    running.url(&format!("{path}?{API}"))
}

pub async fn get(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client.get(url).header("authorization", BEARER).send().await.expect("GET answered")
}

pub async fn post(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client.post(url).header("authorization", BEARER).header("content-length", "0").send().await.expect("POST answered")
}

pub async fn json(response: reqwest::Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .expect("ASCII header")
        .to_string()
}

/// GETs `url` until `done(status, body)` holds, at most `tries` times,
/// `pause` apart. Returns the last status and body.
pub async fn poll(
    client: &reqwest::Client,
    url: &str,
    tries: usize,
    pause: Duration,
    done: impl Fn(u16, &str) -> bool,
) -> (u16, String) {
    let mut last = (0, String::new());
    for _ in 0..tries {
        let r = get(client, url).await;
        last = (r.status().as_u16(), r.text().await.expect("body"));
        if done(last.0, &last.1) {
            return last;
        }
        tokio::time::sleep(pause).await;
    }
    last
}

/// `$ERDIAG_CORPUS/folder`, the conformance corpus; `None` (with a notice
/// naming `what` is skipped) when the variable is not set — a failure under CI.
pub fn corpus(folder: &str, what: &str) -> Option<PathBuf> {
    erdiag_testsupport::corpus(folder, &format!("the {what} conformance test"))
}
