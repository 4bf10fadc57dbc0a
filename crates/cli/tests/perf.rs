//! `perf client` and `perf server` end to end on 127.0.0.1: every stage
//! against `erdiag perf server` and against Debian's `iperf3 -s`, `iperf3 -c`
//! against `erdiag perf server`, Ctrl-C, refusals. Stages last 1 s or less.
//! The iperf3 tests skip with a notice when iperf3 is absent, except under CI.

mod net;

use net::{bin, iperf3_available, iperf3_server, perf_server};
use erdiag_probe::{perf_client, perf_server as server, PerfConfig, PerfReport, Stop};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// Runs the client binary over every default stage (0, 1, 6, 16, 32 streams)
/// and checks the document.
fn all_stages_against(port: u16, extra: &[&str]) -> PerfReport {
    let started = Instant::now();
    let out = bin()
        .args(["perf", "client", "127.0.0.1", "-p", &port.to_string(), "--stage-seconds", "1", "--latency-interval", "50ms", "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
    let r: PerfReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.format, "erdiag-perf/1");
    assert!(!r.interrupted);
    let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["No load", "1 Session", "6 Sessions", "16 Sessions", "32 Sessions"]);
    for st in &r.stages {
        assert_eq!(st.error, None, "{}", st.name);
        if st.streams == 0 {
            assert_eq!((st.bits_per_second, st.bytes), (None, 0));
        } else {
            assert!(st.bits_per_second.is_some_and(|b| b > 1e6), "{}: {:?}", st.name, st.bits_per_second);
            assert!(st.bytes > 0 && st.seconds > 0.5, "{st:?}");
        }
        // About 20 probes a second for 1 s, none lost on loopback.
        assert!(st.latency.sent >= 5, "{}: {:?}", st.name, st.latency);
        assert_eq!(st.latency.lost, 0, "{}: {:?}", st.name, st.latency);
        assert!(st.latency.median_ms.is_some());
    }
    assert!(err.contains("[5/5] 32 Sessions: "), "{err}");
    r
}

#[test]
fn every_stage_against_erdiag_perf_server() {
    let (mut srv, port) = perf_server();
    all_stages_against(port, &[]);
    // The table, in the other direction, fewer stages.
    let out = bin()
        .args(["perf", "client", "127.0.0.1", "-p", &port.to_string(), "--streams", "0,2", "--stage-seconds", "0.5", "--reverse", "--detailed", "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("(download, 0.5 s per stage"), "{text}");
    let header = text.lines().find(|l| l.starts_with("Name")).unwrap();
    assert_eq!(header.split_whitespace().collect::<Vec<_>>(), ["Name", "Bandwidth", "Loss", "P50", "P90", "P95", "Min", "Max"]);
    assert!(text.lines().any(|l| l.starts_with("No load") && l.contains("N/A") && l.contains(" 0% ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("2 Sessions") && l.contains("bit/s")), "{text}");
    assert_eq!(out.stderr.len(), 0);

    // Ctrl-C stops the server cleanly; it logged one line per test.
    srv.signal("-INT");
    assert_eq!(srv.wait_for(Duration::from_secs(5)).code(), Some(0));
    let mut log = String::new();
    std::io::Read::read_to_string(srv.0.stderr.as_mut().unwrap(), &mut log).unwrap();
    // Five stages, then the reverse run's no-load stage (always client to server) and its 2-stream stage.
    assert_eq!(log.lines().filter(|l| l.starts_with("test received from 127.0.0.1:")).count(), 6, "{log}");
    assert_eq!(log.lines().filter(|l| l.starts_with("test sent to 127.0.0.1:")).count(), 1, "{log}");
    assert!(!log.contains("ended early"), "{log}");
}

#[test]
fn every_stage_against_iperf3() {
    if !iperf3_available("every_stage_against_iperf3") {
        return;
    }
    let (_iperf, port) = iperf3_server();
    all_stages_against(port, &[]);
    // And the server sending (-R), as iperf3 -R does.
    let out = bin()
        .args(["perf", "client", "127.0.0.1", "-p", &port.to_string(), "--streams", "0,2", "--stage-seconds", "0.5", "-R", "-o", "json", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r: PerfReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.direction, "download");
    assert!(r.stages[1].bits_per_second.is_some_and(|b| b > 1e6), "{:?}", r.stages[1]);
}

#[test]
fn iperf3_client_against_erdiag_perf_server() {
    if !iperf3_available("iperf3_client_against_erdiag_perf_server") {
        return;
    }
    let (_srv, port) = perf_server();
    let out = std::process::Command::new("iperf3")
        .args(["-c", "127.0.0.1", "-p", &port.to_string(), "-t", "1", "-P", "2", "-J"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let received = v["end"]["sum_received"]["bytes"].as_f64().unwrap();
    let sent = v["end"]["sum_sent"]["bytes"].as_f64().unwrap();
    assert!(received > 0.0 && received <= sent, "{received} {sent}");
    // UDP is refused with iperf3's own error.
    let out = std::process::Command::new("iperf3").args(["-c", "127.0.0.1", "-p", &port.to_string(), "-t", "1", "-u"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not implemented"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_interrupts_the_stage_and_tells_the_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let (server_stop, stop) = Stop::new();
    let l2 = logs.clone();
    let srv = tokio::spawn(server::serve(listener, stop, server::Limits::default(), move |log| l2.lock().unwrap().push(log)));

    let cfg = PerfConfig {
        host: "127.0.0.1".into(),
        port,
        latency_port: None,
        stages: vec![1, 2, 4],
        stage_duration: Duration::from_millis(500),
        latency_interval: Duration::from_millis(50),
        latency_timeout: Duration::from_secs(1),
        source: Some("127.0.0.1".parse().unwrap()),
        block_size: 128 * 1024,
        reverse: false,
    };
    // Stopped 200 ms into the second stage.
    let (handle, stop) = Stop::new();
    let handle = Arc::new(handle);
    let h2 = handle.clone();
    let run = tokio::spawn(async move {
        perf_client::run(&cfg, stop, move |_| {
            let h = h2.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(400)).await;
                h.stop();
            });
        })
        .await
    });
    let r = tokio::time::timeout(Duration::from_secs(3), run).await.expect("the client stops").unwrap();
    assert!(r.interrupted);
    assert_eq!(r.stages.len(), 2);
    assert_eq!(r.stages[0].error, None);
    assert_eq!(r.stages[1].error.as_deref(), Some("interrupted"));
    assert!(r.stages[1].latency.sent > 0);
    tokio::time::sleep(Duration::from_millis(200)).await;
    {
        let logs = logs.lock().unwrap();
        assert_eq!(logs.len(), 2, "{logs:?}");
        assert_eq!(logs[0].error, None);
        assert_eq!(logs[1].error.as_deref(), Some("the client interrupted the test"));
    }
    server_stop.stop();
    tokio::time::timeout(Duration::from_secs(2), srv).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn the_server_refuses_what_it_does_not_serve_and_ignores_bare_connections() {
    let (port, logs, _keep) = spawn_server(server::Limits::default()).await;

    // A latency probe: connect, close. Nothing happens.
    drop(tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    // A UDP test: SERVER_ERROR, iperf3's "not implemented", errno 0.
    let mut c = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    c.write_all(&erdiag_probe::iperf::make_cookie()).await.unwrap();
    assert_eq!(erdiag_probe::iperf::read_state(&mut c).await.unwrap(), erdiag_probe::iperf::PARAM_EXCHANGE);
    erdiag_probe::iperf::write_json(&mut c, &serde_json::json!({"udp": true, "time": 1, "parallel": 1})).await.unwrap();
    assert_eq!(erdiag_probe::iperf::read_state(&mut c).await.unwrap(), erdiag_probe::iperf::SERVER_ERROR);
    assert_eq!(erdiag_probe::iperf::read_server_error(&mut c).await.unwrap(), (erdiag_probe::iperf::IE_UNIMPLEMENTED, 0));
    drop(c);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let logs = logs.lock().unwrap();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].line().ends_with("not run: only TCP tests are served"), "{}", logs[0].line());
}

#[test]
fn a_client_with_no_server_is_exit_code_two() {
    let port = net::closed_port();
    let out = bin().args(["perf", "client", "127.0.0.1", "-p", &port.to_string(), "--stage-seconds", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("error: cannot connect to 127.0.0.1:{port}: Connection refused")), "{err}");
}

/// A server on a free loopback port, with the log of its tests; it runs
/// until the returned handle is dropped.
async fn spawn_server(limits: server::Limits) -> (u16, Arc<Mutex<Vec<server::TestLog>>>, erdiag_probe::StopHandle) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let (keep, stop) = Stop::new();
    let l2 = logs.clone();
    tokio::spawn(server::serve(listener, stop, limits, move |log| l2.lock().unwrap().push(log)));
    (port, logs, keep)
}

/// Starts a test as a client would, up to TEST_RUNNING, with one data
/// stream that never sends; returns the control and data connections.
async fn start_idle_test(port: u16, params: serde_json::Value) -> (tokio::net::TcpStream, tokio::net::TcpStream) {
    use erdiag_probe::iperf;
    let cookie = iperf::make_cookie();
    let mut c = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    c.write_all(&cookie).await.unwrap();
    assert_eq!(iperf::read_state(&mut c).await.unwrap(), iperf::PARAM_EXCHANGE);
    iperf::write_json(&mut c, &params).await.unwrap();
    assert_eq!(iperf::read_state(&mut c).await.unwrap(), iperf::CREATE_STREAMS);
    let mut d = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    d.write_all(&cookie).await.unwrap();
    assert_eq!(iperf::read_state(&mut c).await.unwrap(), iperf::TEST_START);
    assert_eq!(iperf::read_state(&mut c).await.unwrap(), iperf::TEST_RUNNING);
    (c, d)
}

#[tokio::test]
async fn a_test_without_a_time_cannot_hold_the_server() {
    use erdiag_probe::iperf;
    let (port, logs, _keep) = spawn_server(server::Limits { max_time: Duration::from_secs(3), idle_timeout: Duration::from_millis(400) }).await;

    // `time: 0` and an idle stream: ended once nothing moved for the idle timeout.
    let (_c, _d) = start_idle_test(port, serde_json::json!({"tcp": true, "time": 0, "parallel": 1})).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(logs.lock().unwrap().iter().any(|l| l.line().contains("no data moved")), "{:?}", logs.lock().unwrap());
    // The server takes the next test.
    let mut next = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    next.write_all(&iperf::make_cookie()).await.unwrap();
    assert_eq!(iperf::read_state(&mut next).await.unwrap(), iperf::PARAM_EXCHANGE);
    // A test asking for more than --max-time is refused before it starts.
    iperf::write_json(&mut next, &serde_json::json!({"tcp": true, "time": 86400, "parallel": 1})).await.unwrap();
    assert_eq!(iperf::read_state(&mut next).await.unwrap(), iperf::SERVER_ERROR);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(logs.lock().unwrap().last().unwrap().line().contains("--max-time of 3 s"), "{:?}", logs.lock().unwrap());
}
