//! `erdiag watch` through the real binary: settings refused with exit 2
//! (the file and line named), `--once` for cron, and a service over the
//! emulator's fleet that serves /metrics, keeps its circuits when ARM goes
//! away, logs JSON lines, and exits 0 on SIGTERM.

#![cfg(unix)]

mod common;
use common::*;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_bad_config_file_is_refused_naming_the_file_and_line() {
    let dir = tmp_dir("watch-config");
    let file = dir.join("watch.toml");
    std::fs::write(&file, "every = \"5m\"\nstore = \"h.db\"\nevery-other = 3\n").unwrap();
    let out = erdiag(&["watch", "--config", &file.display().to_string(), "--scenario", "healthy-private", "--once"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("{}: line 3:", file.display())) && err.contains("every-other"), "{err}");
    std::fs::write(&file, "every = \"soon\"\n").unwrap();
    let out = erdiag(&["watch", "--config", &file.display().to_string(), "--scenario", "healthy-private", "--once"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("every"), "{}", stderr(&out));
}

#[test]
fn a_listener_beyond_loopback_needs_a_token() {
    let out = erdiag(&["watch", "--scenario", "healthy-private", "--listen", "0.0.0.0:0", "--once"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--auth-token"), "{}", stderr(&out));
}

#[test]
fn once_polls_records_and_exits() {
    let dir = tmp_dir("watch-once");
    let db = dir.join("history.db").display().to_string();
    let out = erdiag(&["watch", "--scenario", "secondary-path-down", "--once", "--store", &db]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "logs go to standard error");
    assert!(stderr(&out).contains("poll done"), "{}", stderr(&out));
    let list = erdiag(&["history", "--list", "--store", &db, "-o", "json"]);
    assert!(stdout(&list).contains("er-ckt-ams"), "{}", stdout(&list));
}

#[test]
fn once_fails_with_exit_2_when_the_poll_fails() {
    let port = free_port();
    let out = erdiag(&["watch", "--once", "--all-subscriptions", "--arm-endpoint", &format!("https://127.0.0.1:{port}"), "--access-token", TOKEN, "--retries", "0", "--timeout", "5"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot discover the circuits"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(TOKEN));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A GET over plain HTTP: the status and the body (None while nothing listens).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes()).ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    Some((head.split(' ').nth(1)?.parse().ok()?, body.to_string()))
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(60);
    while !f() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The value of the one sample whose line starts with `prefix`.
fn sample(metrics: &str, prefix: &str) -> Option<f64> {
    metrics.lines().find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[test]
fn a_service_over_the_fleet_serves_metrics_survives_arm_leaving_and_stops_on_sigterm() {
    let dir = tmp_dir("watch-service");
    let emulator = emulate_in(&dir, &["--fleet", "circuits=4,subscriptions=2,regions=1,faulty=0,seed=5"]);
    let port = free_port();
    let db = dir.join("history.db").display().to_string();
    let child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["watch", "--all-subscriptions", "--arm-endpoint", &emulator.url, "--ca-cert", &emulator.cert, "--access-token", TOKEN])
        .args(["--every", "1s", "--no-jitter", "--retries", "0", "--timeout", "5", "--listen", &format!("127.0.0.1:{port}"), "--log-format", "json", "--store", &db])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the first poll", || get(port, "/healthz").is_some_and(|(s, _)| s == 200));
    let (status, metrics) = get(port, "/metrics").unwrap();
    assert_eq!(status, 200);
    let healthy = metrics.lines().filter(|l| l.starts_with("erdiag_circuit_verdict{") && l.contains("verdict=\"healthy\"") && l.ends_with(" 1.0")).count();
    assert_eq!(healthy, 4, "{metrics}");
    assert!(sample(&metrics, "erdiag_arm_calls_total").unwrap() > 10.0, "{metrics}");

    // ARM goes away: the polls fail, the circuits keep their last status.
    drop(emulator);
    wait_for("a failed poll", || get(port, "/metrics").and_then(|(_, m)| sample(&m, "erdiag_polls_total{result=\"failed\"}")).is_some_and(|n| n >= 1.0));
    let (_, metrics) = get(port, "/metrics").unwrap();
    assert_eq!(metrics.lines().filter(|l| l.starts_with("erdiag_circuit_verdict{") && l.ends_with(" 1.0")).count(), 4, "{metrics}");

    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    for line in err.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        assert!(v["level"].is_string() && v["fields"]["message"].is_string(), "{line}");
    }
    assert!(err.contains("SIGTERM"), "{err}");
    assert!(!err.contains(TOKEN), "the token never reaches the logs");
}

/// The ARM calls of one poll of a fleet of 6 circuits in 2 subscriptions.
fn calls_of_one_poll(extra: &[&str]) -> f64 {
    let dir = tmp_dir("watch-batch");
    let emulator = emulate_in(&dir, &["--fleet", "circuits=6,subscriptions=2,regions=1,faulty=0,seed=9"]);
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["watch", "--all-subscriptions", "--arm-endpoint", &emulator.url, "--ca-cert", &emulator.cert, "--access-token", TOKEN])
        .args(["--every", "1h", "--no-jitter", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the first poll", || get(port, "/healthz").is_some_and(|(s, _)| s == 200));
    let (_, metrics) = get(port, "/metrics").unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(sample(&metrics, "erdiag_polls_total{result=\"ok\"}"), Some(1.0), "{metrics}");
    sample(&metrics, "erdiag_arm_calls_total").unwrap()
}

/// A fleet's metrics are read through metrics:getBatch (one call per 50
/// circuits of a subscription and region) unless --no-metrics-batch.
#[test]
fn a_fleet_poll_reads_metrics_in_batches_unless_told_not_to() {
    let batched = calls_of_one_poll(&[]);
    let one_by_one = calls_of_one_poll(&["--no-metrics-batch"]);
    assert!(batched < one_by_one, "batched {batched} ARM calls, one by one {one_by_one}");
}

#[test]
fn a_poll_longer_than_every_is_followed_at_once_never_overlapped() {
    use std::io::BufRead;
    let dir = tmp_dir("watch-overrun");
    // Each long-running operation takes 2 s: a poll lasts longer than --every 1s.
    let emulator = emulate_in(&dir, &["healthy-private", "--latency", "2"]);
    let (sub, rg, name) = circuit("healthy-private");
    let id = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/expressRouteCircuits/{name}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_erdiag"))
        .args(["watch", "--id", &id, "--arm-endpoint", &emulator.url, "--ca-cert", &emulator.cert, "--access-token", TOKEN])
        .args(["--every", "1s", "--no-jitter", "--no-listen", "--log-format", "json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let until = Instant::now() + Duration::from_secs(60);
    let mut events: Vec<serde_json::Value> = Vec::new();
    while events.iter().filter(|e| e["fields"]["message"] == "poll done").count() < 2 {
        let line = rx.recv_timeout(until.saturating_duration_since(Instant::now())).expect("two polls within a minute");
        events.push(serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}")));
    }
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let polls: Vec<&serde_json::Value> = events.iter().filter(|e| e["fields"]["message"] == "poll done").collect();
    for p in &polls {
        assert_eq!(p["fields"]["circuits"], 1, "--id names one circuit: {p}");
        assert!(p["fields"]["ms"].as_u64().unwrap() >= 1000, "{p}");
    }
    let overran = events.iter().position(|e| e["level"] == "WARN" && e["fields"]["message"].as_str().is_some_and(|m| m.contains("longer than the interval")));
    let first = events.iter().position(|e| e["fields"]["message"] == "poll done").unwrap();
    assert!(overran.is_some_and(|o| o > first), "the overrun is logged after the first poll: {events:?}");
}
