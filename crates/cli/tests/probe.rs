//! `probe tcp` end to end: against a listener, a closed port and a full
//! accept queue on 127.0.0.1, Ctrl-C, bad input. Every run is bounded by
//! `--count` or by a signal and a deadline.

mod net;

use net::{accepting_listener, bin, closed_port, Reaped};
use erdiag_probe::{tcp, Outcome, ProbeConfig, ProbeReport, Stop, Target};
use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

/// The attempt lines of a run's text with this result (`ok`, `refused`…).
fn attempts(text: &str, result: &str) -> usize {
    text.lines()
        .filter(|l| {
            let mut w = l.split_whitespace();
            w.next().is_some_and(|seq| seq.parse::<u64>().is_ok()) && w.nth(1) == Some(result)
        })
        .count()
}

fn probe(args: &[&str]) -> (i32, String, String) {
    let out = bin().arg("probe").arg("tcp").args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn twenty_attempts_against_a_listener() {
    let port = accepting_listener();
    let target = format!("127.0.0.1:{port}");
    let (code, out, err) = probe(&[&target, "--count", "20", "--interval", "10ms", "--source", "127.0.0.1", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let r = ProbeReport::from_json(out.as_bytes()).unwrap();
    assert_eq!(r.format, "erdiag-probe/1");
    assert_eq!((r.target.as_str(), r.source.as_deref()), (target.as_str(), Some("127.0.0.1")));
    assert_eq!(r.samples.len(), 20);
    assert_eq!(r.samples.iter().map(|s| s.seq).collect::<Vec<_>>(), (1..=20).collect::<Vec<_>>());
    assert!(r.samples.iter().all(|s| s.result == Outcome::Ok && s.latency_ms.is_some_and(|ms| ms > 0.0) && s.error.is_none()));
    let s = &r.summary;
    assert_eq!((s.sent, s.received, s.lost, s.loss_percent), (20, 20, 0, 0.0));
    assert_eq!(s.by_result.ok, 20);
    let (min, med, p90, p95, p99, max) =
        (s.min_ms.unwrap(), s.median_ms.unwrap(), s.p90_ms.unwrap(), s.p95_ms.unwrap(), s.p99_ms.unwrap(), s.max_ms.unwrap());
    assert!(min <= med && med <= p90 && p90 <= p95 && p95 <= p99 && p99 <= max, "{s:?}");
    assert_eq!(s.histogram.iter().map(|b| b.count).sum::<u64>(), 20);
    // The attempt lines went to stderr, with the summary.
    assert_eq!(attempts(&err, "ok"), 20, "{err}");
    assert!(err.contains("sent 20, received 20, lost 0 (0% loss)"), "{err}");

    // The table: 20 lines and the summary on stdout.
    let (code, out, _) = probe(&[&target, "-n", "20", "-i", "5ms"]);
    assert_eq!(code, 0);
    assert_eq!(attempts(&out, "ok"), 20, "{out}");
    assert!(out.contains(&format!("--- {target} TCP connect statistics ---")), "{out}");
    assert!(out.contains("sent 20, received 20, lost 0 (0% loss)"), "{out}");
    assert!(out.contains("latency ms: min "), "{out}");
    assert!(out.contains("results: ok 20"), "{out}");
    assert!(out.contains("histogram:"), "{out}");
}

#[test]
fn twenty_attempts_against_a_closed_port() {
    let target = format!("127.0.0.1:{}", closed_port());
    let (code, out, err) = probe(&[&target, "--count", "20", "--interval", "5ms", "-o", "json", "-q"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "-q: {err}");
    let r = ProbeReport::from_json(out.as_bytes()).unwrap();
    let s = &r.summary;
    assert_eq!((s.sent, s.received, s.lost, s.loss_percent), (20, 0, 20, 100.0));
    assert_eq!((s.by_result.refused, s.by_result.ok, s.by_result.timeout), (20, 0, 0));
    assert_eq!((s.min_ms, s.median_ms, s.max_ms), (None, None, None));
    assert!(s.histogram.is_empty());
    assert!(r.samples.iter().all(|x| x.result == Outcome::Refused && x.latency_ms.is_none() && x.error.is_some()));

    let (code, out, _) = probe(&[&target, "-n", "20", "-i", "5ms"]);
    assert_eq!(code, 1);
    assert_eq!(attempts(&out, "refused"), 20, "{out}");
    assert!(out.contains("sent 20, received 0, lost 20 (100% loss)"), "{out}");
    assert!(out.contains("latency ms: none (no attempt connected)"), "{out}");
    assert!(out.contains("results: refused 20"), "{out}");
}

#[test]
fn ctrl_c_prints_the_summary() {
    let port = accepting_listener();
    let mut child = Reaped::spawn(&["probe", "tcp", &format!("127.0.0.1:{port}"), "--interval", "50ms"]);
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut seen = String::new();
    let mut seen_ok = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen_ok < 3 {
        assert!(Instant::now() < deadline, "no attempts: {seen}");
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "stdout closed: {seen}");
        seen_ok += attempts(&line, "ok");
        seen.push_str(&line);
    }
    child.signal("-INT");
    let status = child.wait_for(Duration::from_secs(5));
    stdout.read_to_string(&mut seen).unwrap();
    assert_eq!(status.code(), Some(0), "{seen}");
    assert!(seen.contains("TCP connect statistics (interrupted) ---"), "{seen}");
    let sent = attempts(&seen, "ok");
    assert!(sent >= 3);
    assert!(seen.contains(&format!("sent {sent}, received {sent}, lost 0 (0% loss)")), "{seen}");
}

#[test]
fn ctrl_c_with_json_still_writes_the_document() {
    let target = format!("127.0.0.1:{}", closed_port());
    let mut child = Reaped::spawn(&["probe", "tcp", &target, "--interval", "50ms", "-o", "json"]);
    let mut stderr = BufReader::new(child.0.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        assert!(Instant::now() < deadline);
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0);
        if attempts(&line, "refused") > 0 {
            break;
        }
    }
    child.signal("-INT");
    let status = child.wait_for(Duration::from_secs(5));
    let mut out = String::new();
    child.0.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert_eq!(status.code(), Some(1));
    let r = ProbeReport::from_json(out.as_bytes()).unwrap();
    assert!(r.summary.sent >= 1 && r.summary.lost == r.summary.sent, "{:?}", r.summary);
}

#[test]
fn bad_input_is_exit_code_two() {
    let (code, _, err) = probe(&["no-port-here", "-n", "1"]);
    assert_eq!(code, 2);
    assert_eq!(err.trim(), "error: `no-port-here` has no port: write HOST:PORT, for example 10.17.1.4:3389");
    let (code, _, err) = probe(&["127.0.0.1:9", "--interval", "soon"]);
    assert_eq!(code, 2, "{err}");
    // Port 0 cannot be connected to, and an interval of 0 would spin.
    for args in [["127.0.0.1:0", "-n", "1"], ["[::1]:0", "-n", "1"], ["127.0.0.1:9", "-i", "0"], ["127.0.0.1:9", "-i", "0ms"]] {
        let (code, _, err) = probe(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    assert!(err.contains("not a duration"), "{err}");
}

#[tokio::test]
async fn a_full_accept_queue_times_out_and_a_stop_ends_the_run() {
    // A listener that never accepts, with a backlog of one: once its queue
    // is full, Linux drops further handshakes, which is what a filtered port
    // looks like. Everything stays on 127.0.0.1.
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = sock.listen(1).unwrap();
    let port = listener.local_addr().unwrap().port();
    let target = Target { host: "127.0.0.1".into(), port };
    let mut held = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(s)) = tokio::time::timeout(Duration::from_millis(200), tokio::net::TcpStream::connect(("127.0.0.1", port))).await {
            held.push(s);
        }
    }
    let cfg = ProbeConfig {
        target,
        source: None,
        count: Some(2),
        duration: None,
        interval: Duration::from_millis(10),
        timeout: Duration::from_millis(150),
    };
    let (_keep, stop) = Stop::new();
    let r = tcp::run(&cfg, stop, |_| {}).await;
    assert_eq!(r.summary.by_result.timeout, 2, "{:?}", r.samples);
    assert!(r.samples[0].error.as_deref().unwrap().contains("no answer within 150 ms"));
    drop(held);
    drop(listener);

    // Stop: the run ends at once, with the attempts made so far.
    let port = accepting_listener();
    let cfg = ProbeConfig {
        target: Target { host: "127.0.0.1".into(), port },
        count: None,
        interval: Duration::from_millis(20),
        ..cfg
    };
    let (handle, stop) = Stop::new();
    let started = Instant::now();
    let run = tokio::spawn(async move { tcp::run(&cfg, stop, |_| {}).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    handle.stop();
    let r = tokio::time::timeout(Duration::from_secs(2), run).await.unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!((1..=10).contains(&r.summary.sent), "{}", r.summary.sent);
    assert_eq!(r.summary.lost, 0);
}

#[tokio::test]
async fn a_duration_bounds_the_run() {
    let port = accepting_listener();
    let cfg = ProbeConfig {
        target: Target { host: "localhost".into(), port },
        source: None,
        count: None,
        duration: Some(Duration::from_millis(200)),
        interval: Duration::from_millis(50),
        timeout: Duration::from_secs(1),
    };
    let (_keep, stop) = Stop::new();
    let r = tcp::run(&cfg, stop, |_| {}).await;
    // Attempts start at 0, 50, 100 and 150 ms.
    assert!((2..=4).contains(&r.summary.sent), "{}", r.summary.sent);
    assert_eq!(r.summary.by_result.ok, r.summary.sent, "{:?}", r.samples);
}
