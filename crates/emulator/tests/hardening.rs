//! Nobody can hold the emulator down: half-sent requests and idle
//! connections are closed, the connections served at once are bounded, the
//! request log is a ring of bounded size, and `HEAD` gets ARM's
//! check-existence answers.

mod common;
use common::*;
use erdiag_emulator::Config;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SCENARIO: &str = "healthy-private-microsoft";

fn config(header_timeout: Duration, max_connections: usize) -> Config {
    let mut c = Config::new(vec![scenario(SCENARIO)]);
    c.header_timeout = header_timeout;
    c.max_connections = max_connections;
    c
}

/// Connects and sends the start of a request, never its end.
async fn half_open(addr: std::net::SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /subscriptions?api-version=2022-12-01 HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    s
}

/// Reads until the server closes (true) or `within` passes (false).
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline.into(), s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn half_sent_requests_are_closed_after_the_header_timeout() {
    let em = serve(config(Duration::from_millis(500), 64)).await;
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(half_open(em.addr).await);
    }
    for s in &mut held {
        assert!(closed_within(s, Duration::from_secs(5)).await, "a half-sent request kept its connection");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn idle_keep_alive_connections_and_stalled_bodies_are_closed() {
    let em = serve(config(Duration::from_millis(500), 64)).await;
    // A whole request, answered, then nothing more.
    let mut s = TcpStream::connect(em.addr).await.unwrap();
    s.write_all(b"GET /metadata/endpoints?api-version=2022-09-01 HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    assert!(closed_within(&mut s, Duration::from_secs(5)).await, "an idle keep-alive connection stayed open");
    // Headers announcing a body that never comes.
    let mut s = TcpStream::connect(em.addr).await.unwrap();
    s.write_all(b"POST /common/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant_type").await.unwrap();
    let mut answer = Vec::new();
    let started = Instant::now();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut answer)).await;
    assert!(started.elapsed() < Duration::from_secs(5), "a stalled body kept its connection");
    assert!(answer.starts_with(b"HTTP/1.1 408"), "{}", String::from_utf8_lossy(&answer));
    em.shutdown().await;
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_one() {
    let em = serve(config(Duration::from_secs(30), 2)).await;
    let first = half_open(em.addr).await;
    let _second = half_open(em.addr).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let http = client();
    let url = em.url("/metadata/endpoints?api-version=2022-09-01");
    let waiting = tokio::spawn(async move { http.get(&url).send().await.map(|r| r.status().as_u16()) });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!waiting.is_finished(), "a third connection was served beyond the limit of two");
    drop(first);
    let status = tokio::time::timeout(Duration::from_secs(4), waiting).await.expect("served once a connection closed").unwrap().unwrap();
    assert_eq!(status, 200);
    em.shutdown().await;
}

#[tokio::test]
async fn the_request_log_keeps_only_the_most_recent() {
    let mut c = config(Duration::from_secs(10), 64);
    c.log_capacity = 5;
    let em = serve(c).await;
    let mut watch = em.watch();
    let http = client();
    for i in 0..20 {
        http.get(em.url(&format!("/nothing/{i}"))).send().await.unwrap();
    }
    let log = em.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(log.last().unwrap().path, "/nothing/19");
    assert_eq!(log[0].path, "/nothing/15");
    assert!(log.iter().all(|r| r.status == Some(404)));
    let first = watch.recv().await.unwrap();
    assert_eq!((first.path.as_str(), first.status), ("/nothing/0", Some(404)));
    em.shutdown().await;
}

#[tokio::test]
async fn head_answers_as_arm_check_existence() {
    let snapshot = scenario(SCENARIO);
    let id = circuit_id(&snapshot);
    let group = id.split("/providers/").next().unwrap().to_string();
    let sub = group.split("/resourceGroups/").next().unwrap().to_string();
    let em = serve(config(Duration::from_secs(10), 64)).await;
    let http = client();
    let head = |path: String| {
        let http = http.clone();
        let url = em.url(&format!("{path}?{API}"));
        async move {
            let r = http.head(&url).header("authorization", BEARER).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.bytes().await.unwrap().len())
        }
    };
    assert_eq!(head(id.clone()).await, (204, 0), "an existing circuit");
    assert_eq!(head(group.clone()).await, (204, 0), "an existing resource group");
    assert_eq!(head(format!("{group}/providers/Microsoft.Network/expressRouteCircuits/no-such-circuit")).await.0, 404);
    assert_eq!(head(format!("{sub}/providers/Microsoft.Network/expressRouteCircuits")).await.0, 405, "a collection");
    let get = http.get(em.url(&format!("{id}?{API}"))).header("authorization", BEARER).send().await.unwrap();
    assert_eq!(get.status(), 200, "GET is unchanged");
    em.shutdown().await;
}
